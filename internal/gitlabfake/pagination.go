package gitlabfake

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Pagination as GitLab does it (gitlab-api.md §7).

const (
	defaultPerPage = 20
	maxPerPage     = 100   // Kaminari max_per_page (§7.1)
	countLimit     = 10000 // above this GitLab skips counting (§7.1)
)

// pageParams reads page and per_page like Grape's Integer coercion plus
// Kaminari: page < 1 is page 1, per_page above 100 is 100. ⚠ per_page <= 0
// is taken as the default (Kaminari ignores it for GitLab's relations).
func (c *call) pageParams() (page, perPage int, resp *response) {
	page, perPage = 1, defaultPerPage
	if v := c.q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, 0, errorJSON(http.StatusBadRequest, "page is invalid")
		}
		page = max(n, 1)
	}
	if v := c.q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, 0, errorJSON(http.StatusBadRequest, "per_page is invalid")
		}
		if n > 0 {
			perPage = min(n, maxPerPage)
		}
	}
	return page, perPage, nil
}

// offsetPage slices n rows for the requested page and sets the headers of
// OffsetHeaderBuilder (§7.1) on resp. counted=false is `without_count`: no
// X-Total, X-Total-Pages or rel="last"; the next page is still known (GitLab
// fetches one row more). defaults are the route's declared Grape defaults,
// which GitLab's Link URLs carry.
func (c *call) offsetPage(n int, counted bool, defaults map[string]string) (lo, hi int, set func(*response), resp *response) {
	page, perPage, resp := c.pageParams()
	if resp != nil {
		return 0, 0, nil, resp
	}
	lo = min((page-1)*perPage, n)
	hi = min(lo+perPage, n)
	counted = counted && n <= countLimit
	totalPages := max((n+perPage-1)/perPage, 1)
	next, prev := "", ""
	if page*perPage < n {
		next = strconv.Itoa(page + 1)
	}
	if page > 1 {
		prev = strconv.Itoa(page - 1)
	}
	params := c.linkParams(defaults)
	href := func(p int) string {
		params.single["page"] = strconv.Itoa(p)
		params.single["per_page"] = strconv.Itoa(perPage)
		return c.pageURL(params)
	}
	var links []string
	if prev != "" {
		links = append(links, fmt.Sprintf(`<%s>; rel="prev"`, href(page-1)))
	}
	if next != "" {
		links = append(links, fmt.Sprintf(`<%s>; rel="next"`, href(page+1)))
	}
	links = append(links, fmt.Sprintf(`<%s>; rel="first"`, href(1)))
	if counted {
		links = append(links, fmt.Sprintf(`<%s>; rel="last"`, href(totalPages)))
	}
	set = func(r *response) {
		h := r.header
		h.Set("X-Per-Page", strconv.Itoa(perPage))
		h.Set("X-Page", strconv.Itoa(page))
		h.Set("X-Next-Page", next)
		h.Set("X-Prev-Page", prev)
		h.Set("Link", strings.Join(links, ", "))
		if counted {
			h.Set("X-Total", strconv.Itoa(n))
			h.Set("X-Total-Pages", strconv.Itoa(totalPages))
		}
	}
	return lo, hi, set, nil
}

// linkParams are Grape's `params` as GitLab's header builders see them: the
// route params, the declared defaults and every request parameter, known or
// not (so, like GitLab, a private_token query parameter is echoed in Link).
type linkParams struct {
	single map[string]string
	arrays map[string][]string
}

var hashKey = regexp.MustCompile(`^([^\[\]]+)\[(\d*)\]$`)

func (c *call) linkParams(defaults map[string]string) linkParams {
	p := linkParams{single: map[string]string{}, arrays: map[string][]string{}}
	for k, v := range defaults {
		p.single[k] = v
	}
	for k, v := range c.params {
		p.single[k] = v
	}
	keys := make([]string, 0, len(c.q))
	for k := range c.q {
		keys = append(keys, k)
	}
	sort.Strings(keys) // scope[0], scope[1]... in index order
	for _, k := range keys {
		vs := c.q[k]
		if m := hashKey.FindStringSubmatch(k); m != nil {
			// scope[]=a and scope[0]=a both become an array (Rack + Grape).
			delete(p.single, m[1])
			p.arrays[m[1]] = append(p.arrays[m[1]], vs...)
			continue
		}
		if _, isArray := p.arrays[k]; !isArray {
			p.single[k] = vs[len(vs)-1] // Rack keeps the last of repeated keys
		}
	}
	return p
}

// pageURL is GitLab's page_href: the request's scheme and path with the
// configured host and port, and the params in Rails' Hash#to_query form
// (sorted pairs, arrays as key[]=v, CGI escaping).
func (c *call) pageURL(p linkParams) string {
	var chunks []string
	for k, v := range p.single {
		chunks = append(chunks, url.QueryEscape(k)+"="+url.QueryEscape(v))
	}
	for k, vs := range p.arrays {
		parts := make([]string, len(vs))
		for i, v := range vs {
			parts[i] = url.QueryEscape(k+"[]") + "=" + url.QueryEscape(v)
		}
		chunks = append(chunks, strings.Join(parts, "&"))
	}
	sort.Strings(chunks)
	base := c.base
	if u, err := url.Parse(c.base); err == nil {
		base = u.Scheme + "://" + u.Host
	}
	return base + c.r.URL.EscapedPath() + "?" + strings.Join(chunks, "&")
}

// keysetCursor is GitLab's cursor: url-safe base64 of {"id":"<id>","_kd":"n"}
// (§7.2; "_kd":"n" is the direction, next).
type keysetCursor struct {
	ID string `json:"id"`
	KD string `json:"_kd"`
}

func encodeCursor(id int64) string {
	raw, _ := json.Marshal(keysetCursor{ID: strconv.FormatInt(id, 10), KD: "n"})
	return base64.URLEncoding.EncodeToString(raw)
}

func decodeCursor(s string) (int64, bool) {
	raw, err := base64.URLEncoding.DecodeString(s)
	if err != nil {
		if raw, err = base64.RawURLEncoding.DecodeString(s); err != nil {
			return 0, false
		}
	}
	var c keysetCursor
	if json.Unmarshal(raw, &c) != nil || c.KD != "n" {
		return 0, false
	}
	id, err := strconv.ParseInt(c.ID, 10, 64)
	return id, err == nil
}

// offsetAnswer answers the requested offset page of rows: render makes the
// response, offsetPage's headers are added to it.
func offsetAnswer[T any](c *call, rows []T, counted bool, defaults map[string]string, render func([]T) *response) *response {
	lo, hi, set, resp := c.offsetPage(len(rows), counted, defaults)
	if resp != nil {
		return resp
	}
	r := render(rows[lo:hi])
	set(r)
	return r
}

// sortByDir sorts rows stably by less, ascending for sortDir "asc" and
// descending otherwise (the `sort` param, validated by the caller).
func sortByDir[T any](rows []T, less func(a, b T) bool, sortDir string) {
	sort.SliceStable(rows, func(i, j int) bool {
		if sortDir == "asc" {
			return less(rows[i], rows[j])
		}
		return less(rows[j], rows[i])
	})
}

// keysetJobs pages jobs (id descending) with a cursor (§7.2): only
// order_by=id and sort=desc, else 405; a next Link only when there is more;
// no pagination headers at all on an empty page.
func (c *call) keysetJobs(rows []*job, defaults map[string]string) ([]*job, func(*response), *response) {
	if ob := c.q.Get("order_by"); ob != "" && ob != "id" {
		return nil, nil, errorJSON(http.StatusMethodNotAllowed, "Keyset pagination is not yet available for this type of request")
	}
	if so := c.q.Get("sort"); so != "" && so != "desc" {
		return nil, nil, errorJSON(http.StatusMethodNotAllowed, "Keyset pagination is not yet available for this type of request")
	}
	perPage := defaultPerPage
	if v := c.q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, nil, errorJSON(http.StatusBadRequest, "per_page is invalid")
		}
		if n > 0 {
			perPage = n // ⚠ no clamp is visible on this path (§7.2)
		}
	}
	if v := c.q.Get("cursor"); v != "" {
		after, ok := decodeCursor(v)
		if !ok {
			// ⚠ GitLab's answer to a malformed cursor is unconfirmed (§7.2).
			return nil, nil, errorJSON(http.StatusBadRequest, "cursor is invalid")
		}
		i := sort.Search(len(rows), func(i int) bool { return rows[i].ID < after })
		rows = rows[i:]
	}
	more := len(rows) > perPage
	rows = rows[:min(perPage, len(rows))]
	if !more {
		return rows, func(*response) {}, nil
	}
	params := c.linkParams(defaults)
	cursor := encodeCursor(rows[len(rows)-1].ID)
	params.single["cursor"] = cursor
	link := fmt.Sprintf(`<%s>; rel="next"`, c.pageURL(params))
	return rows, func(r *response) {
		r.header.Set("Link", link)
		r.header.Set("X-Next-Cursor", cursor) // newer GitLab; not CORS-exposed (§7.2)
	}, nil
}
