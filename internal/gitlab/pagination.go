package gitlab

import (
	"context"
	"fmt"
	"iter"
	"net/url"
	"strconv"
	"strings"
)

// ListOptions selects one page in offset pagination (gitlab-api.md §7.1).
// Zero values mean GitLab's defaults: page 1, 20 per page.
type ListOptions struct {
	Page    int // 1-based
	PerPage int // 1..100; GitLab clamps larger values, this client rejects them
	// IfNoneMatch is the ETag of the page held (PageInfo.ETag): if the page
	// is still the same the call answers PageInfo.NotModified and no items
	// (a 304, §4). One page only: the All walks ignore it.
	IfNoneMatch string
}

func (o ListOptions) validate() error {
	if o.Page < 0 {
		return fmt.Errorf("%w: page %d", ErrInvalidArgument, o.Page)
	}
	if o.PerPage < 0 || o.PerPage > 100 {
		return fmt.Errorf("%w: per_page %d is outside 1..100", ErrInvalidArgument, o.PerPage)
	}
	return nil
}

func (o ListOptions) encode(q url.Values) {
	if o.Page > 0 {
		q.Set("page", strconv.Itoa(o.Page))
	}
	if o.PerPage > 0 {
		q.Set("per_page", strconv.Itoa(o.PerPage))
	}
}

// PageInfo describes the page a List call returned, from the response
// headers (gitlab-api.md §7). Offset pages fill Page..PrevPage and, when
// GitLab counted, Total and TotalPages; keyset pages fill only NextCursor.
type PageInfo struct {
	Page     int // X-Page; 0 when absent
	PerPage  int // X-Per-Page, the effective page size; 0 when absent
	NextPage int // X-Next-Page; 0 on the last page
	PrevPage int // X-Prev-Page; 0 on the first page

	// Counted reports whether GitLab sent X-Total and X-Total-Pages. It
	// never does for GET /projects/:id/jobs, nor beyond 10,000 rows (§7.1).
	Counted    bool
	Total      int // X-Total, when Counted
	TotalPages int // X-Total-Pages, when Counted

	// NextCursor is the keyset cursor of the next page, taken from the
	// Link rel="next" URL (§7.2); "" on the last page. Pass it back as the
	// options' Cursor. Only the cursor is reused, never the Link's host,
	// which comes from GitLab's configured URL and could differ from the
	// one the credential is meant for.
	NextCursor string

	// ETag is the page's validator, when GitLab sent one and CORS lets it
	// be read (§4, §10); pass it back as ListOptions.IfNoneMatch.
	ETag string
	// NotModified: the page is the one IfNoneMatch named (304); the call
	// returned no items and the caller keeps what it holds.
	NotModified bool
}

// HasNext reports whether another page follows.
func (p PageInfo) HasNext() bool { return p.NextPage > 0 || p.NextCursor != "" }

// pageInfo reads the pagination headers. X-Next-Page is authoritative for
// offset pages; if a proxy dropped it, the Link rel="next" URL's page is used.
func pageInfo(h Header) PageInfo {
	p := PageInfo{
		Page:     headerInt(h, "X-Page"),
		PerPage:  headerInt(h, "X-Per-Page"),
		NextPage: headerInt(h, "X-Next-Page"),
		PrevPage: headerInt(h, "X-Prev-Page"),
		ETag:     h.Get("ETag"),
	}
	if h.Has("X-Total") && h.Has("X-Total-Pages") {
		p.Total, p.TotalPages = headerInt(h, "X-Total"), headerInt(h, "X-Total-Pages")
		p.Counted = true
	}
	next := linkRel(parseLinks(h.Get("Link")), "next")
	if next == "" {
		return p
	}
	u, err := url.Parse(next)
	if err != nil {
		return p
	}
	q := u.Query()
	if c := q.Get("cursor"); c != "" {
		p.NextCursor = c
	} else if !h.Has("X-Next-Page") {
		if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 0 {
			p.NextPage = n
		}
	}
	return p
}

// headerInt reads a non-negative integer header; absent, empty ("" is the
// last page's X-Next-Page) or malformed gives 0.
func headerInt(h Header, name string) int {
	n, err := strconv.Atoi(strings.TrimSpace(h.Get(name)))
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// pageRequest is where a page starts: an offset page number or a keyset cursor.
type pageRequest struct {
	page   int
	cursor string
}

// all walks pages from start, yielding each item, until the last page, an
// error (yielded once, then the walk ends), the consumer's break, or ctx's
// end. A page number that does not advance, or an empty page, also ends
// the walk, so a misbehaving server cannot make it loop forever.
func all[T any](ctx context.Context, start pageRequest, list func(context.Context, pageRequest) ([]T, PageInfo, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		pr := start
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			items, info, err := list(ctx, pr)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			switch {
			case len(items) == 0:
				return
			case info.NextCursor != "":
				if info.NextCursor == pr.cursor {
					return
				}
				pr = pageRequest{cursor: info.NextCursor}
			case info.NextPage > max(pr.page, 1) && pr.cursor == "":
				pr = pageRequest{page: info.NextPage}
			default:
				return
			}
		}
	}
}
