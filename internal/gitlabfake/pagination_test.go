package gitlabfake

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var linkRe = regexp.MustCompile(`<([^>]+)>; rel="(\w+)"`)

func links(t *testing.T, header string) map[string]*url.URL {
	t.Helper()
	out := map[string]*url.URL{}
	for _, m := range linkRe.FindAllStringSubmatch(header, -1) {
		u, err := url.Parse(m[1])
		require.NoError(t, err)
		out[m[2]] = u
	}
	return out
}

// TestOffsetPagination checks the headers of §7.1 on each list.
func TestOffsetPagination(t *testing.T) {
	h := newHarness(t, Options{BaseURL: "https://gitlab.example.com:8443"})
	total := len(h.allJobs())
	require.Greater(t, total, 300, "hundreds of jobs are seeded")
	pl := itoa(h.srv.showcase.ID)
	cases := []struct {
		name                      string
		path                      string
		page, perPage, next, prev string
		rels                      []string
		totals                    bool
		count                     int
	}{
		{"the jobs list's first page has next and first but never totals (§5.1)", "/api/v4/projects/7/jobs", "1", "20", "2", "", []string{"next", "first"}, false, 20},
		{"per_page above 100 is clamped to 100 (§7.1)", "/api/v4/projects/7/jobs?per_page=500", "1", "100", "2", "", []string{"next", "first"}, false, 100},
		{"a middle page links both ways", "/api/v4/projects/7/jobs?page=2&per_page=10", "2", "10", "3", "1", []string{"prev", "next", "first"}, false, 10},
		{"the last page has an empty X-Next-Page (§7.1)", "/api/v4/projects/7/jobs?per_page=100&page=" + itoa((total+99)/100), itoa((total + 99) / 100), "100", "", itoa((total+99)/100 - 1), []string{"prev", "first"}, false, total % 100},
		{"a page past the end is [] (§7.1)", "/api/v4/projects/7/jobs?page=999", "999", "20", "", "998", []string{"prev", "first"}, false, 0},
		{"page 0 is page 1", "/api/v4/projects/7/jobs?page=0&per_page=5", "1", "5", "2", "", []string{"next", "first"}, false, 5},
		{"pipeline jobs count and link the last page (§5.2)", "/api/v4/projects/7/pipelines/" + pl + "/jobs?per_page=3", "1", "3", "2", "", []string{"next", "first", "last"}, true, 3},
		{"bridges are counted (§5.3)", "/api/v4/projects/7/pipelines/" + pl + "/bridges", "1", "20", "", "", []string{"first", "last"}, true, 1},
		{"pipelines are counted (§7.3)", "/api/v4/projects/7/pipelines?per_page=2", "1", "2", "2", "", []string{"next", "first", "last"}, true, 2},
		{"projects are counted (§7.3)", "/api/v4/projects?per_page=1", "1", "1", "2", "", []string{"next", "first", "last"}, true, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := h.get(tc.path)
			require.Equal(t, 200, r.status, "%s", r.body)
			var rows []map[string]any
			r.json(t, &rows)
			assert.Len(t, rows, tc.count)
			assert.Equal(t, tc.page, r.header.Get("X-Page"))
			assert.Equal(t, tc.perPage, r.header.Get("X-Per-Page"))
			assert.Equal(t, tc.next, r.header.Get("X-Next-Page"))
			assert.Equal(t, tc.prev, r.header.Get("X-Prev-Page"))
			_, hasNext := r.header["X-Next-Page"]
			assert.True(t, hasNext, "X-Next-Page is present even when empty")
			_, hasTotal := r.header["X-Total"]
			_, hasTotalPages := r.header["X-Total-Pages"]
			assert.Equal(t, tc.totals, hasTotal)
			assert.Equal(t, tc.totals, hasTotalPages)
			l := links(t, r.header.Get("Link"))
			var rels []string
			for _, m := range linkRe.FindAllStringSubmatch(r.header.Get("Link"), -1) {
				rels = append(rels, m[2])
			}
			assert.Equal(t, tc.rels, rels, "Link order is prev, next, first, last")
			for rel, u := range l {
				assert.Equal(t, "gitlab.example.com:8443", u.Host, "%s: host from the configured URL (§7.1)", rel)
				assert.Equal(t, tc.perPage, u.Query().Get("per_page"), rel)
			}
		})
	}
	t.Run("Link keeps every request parameter, route params and arrays as key[] (§7.1)", func(t *testing.T) {
		r := h.get("/api/v4/projects/demo%2Fplatform%2Fapi/jobs?scope[0]=success&scope[1]=failed&per_page=2&unknown=x")
		require.Equal(t, 200, r.status)
		next := links(t, r.header.Get("Link"))["next"]
		require.NotNil(t, next)
		assert.Equal(t, "/api/v4/projects/demo%2Fplatform%2Fapi/jobs", next.EscapedPath())
		assert.Equal(t, "id=demo%2Fplatform%2Fapi&page=2&per_page=2&scope%5B%5D=success&scope%5B%5D=failed&unknown=x", next.RawQuery)
	})
	t.Run("following Link next walks every job exactly once", func(t *testing.T) {
		seen := map[int64]bool{}
		path := "/api/v4/projects/7/jobs?per_page=50"
		for path != "" {
			r := h.get(path)
			require.Equal(t, 200, r.status)
			var js []jobJSON
			r.json(t, &js)
			for _, j := range js {
				assert.False(t, seen[j.ID], "job %d twice", j.ID)
				seen[j.ID] = true
			}
			path = ""
			if u := links(t, r.header.Get("Link"))["next"]; u != nil {
				path = u.RequestURI()
			}
		}
		assert.Len(t, seen, total)
	})
	t.Run("jobs are ordered by id descending (§5.1)", func(t *testing.T) {
		js := h.allJobs()
		for i := 1; i < len(js); i++ {
			assert.Greater(t, js[i-1].ID, js[i].ID)
		}
	})
	t.Run("a non-numeric page is a 400", func(t *testing.T) {
		r := h.get("/api/v4/projects/7/jobs?page=x")
		assert.Equal(t, 400, r.status)
		assert.Equal(t, `{"error":"page is invalid"}`, string(r.body))
	})
}

// TestKeysetPagination checks §7.2 on the jobs list and §7.3 on projects.
func TestKeysetPagination(t *testing.T) {
	h := newHarness(t, Options{})
	total := len(h.allJobs())
	t.Run("walking cursors reaches every job, with only a Link header", func(t *testing.T) {
		var got []int64
		path := "/api/v4/projects/7/jobs?pagination=keyset&per_page=40"
		for pages := 0; path != ""; pages++ {
			require.Less(t, pages, 100)
			r := h.get(path)
			require.Equal(t, 200, r.status, "%s", r.body)
			for _, k := range []string{"X-Page", "X-Per-Page", "X-Total", "X-Next-Page"} {
				assert.Empty(t, r.header.Values(k), k)
			}
			var js []jobJSON
			r.json(t, &js)
			for _, j := range js {
				got = append(got, j.ID)
			}
			path = ""
			if u := links(t, r.header.Get("Link"))["next"]; u != nil {
				c := u.Query().Get("cursor")
				id, ok := decodeCursor(c)
				require.True(t, ok, "cursor %q", c)
				assert.Equal(t, js[len(js)-1].ID, id, "the cursor is the last id of the page")
				assert.Equal(t, "keyset", u.Query().Get("pagination"))
				path = u.RequestURI()
			}
		}
		assert.Len(t, got, total)
		for i := 1; i < len(got); i++ {
			assert.Greater(t, got[i-1], got[i])
		}
	})
	t.Run("the cursor is url-safe base64 of GitLab's JSON", func(t *testing.T) {
		assert.Equal(t, "eyJpZCI6IjEyMyIsIl9rZCI6Im4ifQ==", encodeCursor(123))
	})
	t.Run("scope filters work with keyset", func(t *testing.T) {
		var js []jobJSON
		h.get("/api/v4/projects/7/jobs?pagination=keyset&scope[]=manual&per_page=100").json(t, &js)
		require.NotEmpty(t, js)
		for _, j := range js {
			assert.Equal(t, "manual", j.Status)
		}
	})
	for _, q := range []string{"sort=asc", "order_by=created_at", "order_by=id&sort=asc"} {
		t.Run("keyset with "+q+" is 405", func(t *testing.T) {
			r := h.get("/api/v4/projects/7/jobs?pagination=keyset&" + q)
			assert.Equal(t, 405, r.status)
			assert.Equal(t, `{"error":"Keyset pagination is not yet available for this type of request"}`, string(r.body))
		})
	}
	t.Run("an empty keyset page has no pagination headers", func(t *testing.T) {
		r := h.get("/api/v4/projects/7/jobs?pagination=keyset&cursor=" + encodeCursor(1))
		assert.Equal(t, 200, r.status)
		assert.Equal(t, "[]", string(r.body))
		assert.Empty(t, r.header.Get("Link"))
	})
	t.Run("pipeline jobs ignore pagination=keyset (§7.3)", func(t *testing.T) {
		r := h.get("/api/v4/projects/7/pipelines/" + itoa(h.srv.showcase.ID) + "/jobs?pagination=keyset")
		assert.Equal(t, 200, r.status)
		assert.Equal(t, "1", r.header.Get("X-Page"))
	})
	t.Run("projects page by id_after with order_by=id (§7.3)", func(t *testing.T) {
		r := h.get("/api/v4/projects?pagination=keyset&order_by=id&sort=asc&per_page=1")
		require.Equal(t, 200, r.status)
		next := links(t, r.header.Get("Link"))["next"]
		require.NotNil(t, next)
		assert.Equal(t, "7", next.Query().Get("id_after"))
		r = h.get(next.RequestURI())
		assert.Contains(t, string(r.body), `"id":12`)
		assert.Equal(t, 405, h.get("/api/v4/projects?pagination=keyset").status, "default order_by created_at has no keyset")
	})
}

// TestScopes checks scope validation and filtering (§5.1).
func TestScopes(t *testing.T) {
	h := newHarness(t, Options{})
	cases := []struct {
		name   string
		query  string
		status int
		want   []string
	}{
		{"a single scope filters", "scope=running", 200, []string{"running"}},
		{"the array form filters by any of its values", "scope[]=pending&scope[]=running", 200, []string{"pending", "running"}},
		{"the hash form is accepted", "scope[0]=canceling&scope[1]=scheduled", 200, []string{"canceling", "scheduled"}},
		{"every status of §8.1 is a valid scope", "scope[]=waiting_for_callback&scope[]=preparing&scope[]=waiting_for_resource", 200,
			[]string{"waiting_for_callback", "preparing", "waiting_for_resource"}},
		{"an unknown scope is a 400", "scope=bogus", 400, nil},
		{"comma-joined scopes are one invalid value", "scope=running,pending", 400, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := h.get("/api/v4/projects/7/jobs?per_page=100&" + tc.query)
			require.Equal(t, tc.status, r.status)
			if tc.status == 400 {
				assert.Equal(t, `{"error":"scope does not have a valid value"}`, string(r.body))
				return
			}
			var js []jobJSON
			r.json(t, &js)
			require.NotEmpty(t, js)
			for _, j := range js {
				assert.Contains(t, tc.want, j.Status)
			}
		})
	}
	t.Run("the richest project has a job in each of the 13 statuses (§8.1)", func(t *testing.T) {
		seen := map[string]bool{}
		for _, j := range h.allJobs() {
			seen[j.Status] = true
		}
		for _, s := range allStatuses {
			assert.True(t, seen[string(s)], "no %s job", s)
		}
	})
	t.Run("include_retried shows older attempts in pipeline jobs (§5.2)", func(t *testing.T) {
		base := "/api/v4/projects/7/pipelines/" + itoa(h.srv.showcase.ID) + "/jobs"
		var latest, all []jobJSON
		h.get(base).json(t, &latest)
		h.get(base+"?include_retried=true").json(t, &all)
		assert.Equal(t, len(latest)+1, len(all))
		count := func(js []jobJSON) (n int) {
			for _, j := range js {
				if j.Name == "unit-tests" {
					n++
				}
			}
			return n
		}
		assert.Equal(t, 1, count(latest))
		assert.Equal(t, 2, count(all))
		assert.Equal(t, 400, h.get(base+"?include_retried=maybe").status)
		assert.False(t, strings.Contains(string(h.get(base).body), `"downstream_pipeline"`), "no bridges in pipeline jobs")
	})
}
