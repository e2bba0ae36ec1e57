package gitlab

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPageInfoFromHeaders(t *testing.T) {
	cases := []struct {
		name    string
		headers []string
		want    PageInfo
	}{
		{"a counted middle page (§7.1)",
			[]string{"X-Page", "2", "X-Per-Page", "20", "X-Next-Page", "3", "X-Prev-Page", "1", "X-Total", "57", "X-Total-Pages", "3"},
			PageInfo{Page: 2, PerPage: 20, NextPage: 3, PrevPage: 1, Counted: true, Total: 57, TotalPages: 3}},
		{"the last page has an empty X-Next-Page",
			[]string{"X-Page", "3", "X-Per-Page", "20", "X-Next-Page", "", "X-Prev-Page", "2", "X-Total", "57", "X-Total-Pages", "3"},
			PageInfo{Page: 3, PerPage: 20, PrevPage: 2, Counted: true, Total: 57, TotalPages: 3}},
		{"project jobs are never counted (§5.1)",
			[]string{"X-Page", "1", "X-Per-Page", "20", "X-Next-Page", "2", "X-Prev-Page", ""},
			PageInfo{Page: 1, PerPage: 20, NextPage: 2}},
		{"a keyset page takes only the Link cursor (§7.2)",
			[]string{"Link", `<https://other-host.example/api/v4/projects/1/jobs?cursor=eyJpZCI6IjQyIn0%3D&pagination=keyset&per_page=2>; rel="next"`},
			PageInfo{NextCursor: "eyJpZCI6IjQyIn0="}},
		{"the last keyset page has no Link", nil, PageInfo{}},
		{"without X-Next-Page the Link's page is used",
			[]string{"X-Page", "1", "Link", `<https://h/api/v4/projects/1/pipelines?page=2&per_page=20>; rel="next", <https://h/api/v4/projects/1/pipelines?page=1&per_page=20>; rel="first"`},
			PageInfo{Page: 1, NextPage: 2}},
		{"an empty X-Next-Page wins over a Link",
			[]string{"X-Next-Page", "", "Link", `<https://h/x?page=9>; rel="next"`},
			PageInfo{}},
		{"half the totals is no count", []string{"X-Total", "5"}, PageInfo{}},
		{"malformed numbers read as absent", []string{"X-Page", "two", "X-Next-Page", "-3", "X-Per-Page", "1e3"}, PageInfo{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := Header{}
			for i := 0; i+1 < len(tc.headers); i += 2 {
				h.Set(tc.headers[i], tc.headers[i+1])
			}
			got := pageInfo(h)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.want.NextPage > 0 || tc.want.NextCursor != "", got.HasNext())
		})
	}
}

// offsetServer serves total jobs (ids total..1), perPage per page, with
// GitLab's offset headers and no totals, as GET /projects/:id/jobs does.
func offsetServer(total, perPage int) func(int, *Request) (*Response, error) {
	return func(_ int, r *Request) (*Response, error) {
		u, _ := url.Parse(r.URL)
		page, _ := strconv.Atoi(u.Query().Get("page"))
		page = max(page, 1)
		var jobs []map[string]any
		for i := (page-1)*perPage + 1; i <= min(page*perPage, total); i++ {
			jobs = append(jobs, map[string]any{"id": total - i + 1, "status": "success"})
		}
		next := ""
		if page*perPage < total {
			next = strconv.Itoa(page + 1)
		}
		if jobs == nil {
			jobs = []map[string]any{}
		}
		return respond(200, jobs, "X-Page", strconv.Itoa(page), "X-Per-Page", strconv.Itoa(perPage), "X-Next-Page", next), nil
	}
}

// keysetServer serves ids total..1 with a Link rel=next cursor until the end.
func keysetServer(total, perPage int) func(int, *Request) (*Response, error) {
	return func(_ int, r *Request) (*Response, error) {
		u, _ := url.Parse(r.URL)
		q := u.Query()
		if q.Get("pagination") != "keyset" {
			return respond(400, map[string]any{"error": "expected keyset"}), nil
		}
		below := total + 1
		if c := q.Get("cursor"); c != "" {
			below, _ = strconv.Atoi(c)
		}
		var jobs []map[string]any
		for id := below - 1; id >= 1 && len(jobs) < perPage; id-- {
			jobs = append(jobs, map[string]any{"id": id})
		}
		if len(jobs) == 0 || jobs[len(jobs)-1]["id"].(int) == 1 {
			return respond(200, jobs), nil
		}
		q.Set("cursor", strconv.Itoa(jobs[len(jobs)-1]["id"].(int)))
		return respond(200, jobs, "Link", fmt.Sprintf(`<https://gitlab.example.com/api/v4/projects/1/jobs?%s>; rel="next"`, q.Encode())), nil
	}
}

func collectIDs(t *testing.T, seq func(func(Job, error) bool)) []int64 {
	t.Helper()
	var ids []int64
	for j, err := range seq {
		require.NoError(t, err)
		ids = append(ids, j.ID)
	}
	return ids
}

func descending(n int) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = int64(n - i)
	}
	return out
}

func TestIteratorsWalkToTheLastPage(t *testing.T) {
	cases := []struct {
		name      string
		handle    func(int, *Request) (*Response, error)
		opts      ListProjectJobsOptions
		wantJobs  int
		wantCalls int
	}{
		{"offset pages of 3 over 10 jobs", offsetServer(10, 3), ListProjectJobsOptions{ListOptions: ListOptions{PerPage: 3}}, 10, 4},
		{"offset pages that end exactly on a boundary", offsetServer(9, 3), ListProjectJobsOptions{ListOptions: ListOptions{PerPage: 3}}, 9, 3},
		{"keyset pages of 4 over 10 jobs", keysetServer(10, 4), ListProjectJobsOptions{Keyset: true, ListOptions: ListOptions{PerPage: 4}}, 10, 3},
		{"keyset pages that end exactly on a boundary", keysetServer(8, 4), ListProjectJobsOptions{Keyset: true, ListOptions: ListOptions{PerPage: 4}}, 8, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, ft, _ := newFakeClient(t, tc.handle)
			ids := collectIDs(t, c.AllProjectJobs(context.Background(), ProjectID(1), tc.opts))
			assert.Equal(t, descending(tc.wantJobs), ids)
			assert.Equal(t, tc.wantCalls, ft.count())
		})
	}
}

func TestIteratorStopsOnBreakWithoutFetchingMore(t *testing.T) {
	c, ft, _ := newFakeClient(t, offsetServer(100, 10))
	n := 0
	for _, err := range c.AllProjectJobs(context.Background(), ProjectID(1), ListProjectJobsOptions{ListOptions: ListOptions{PerPage: 10}}) {
		require.NoError(t, err)
		if n++; n == 15 {
			break
		}
	}
	assert.Equal(t, 15, n)
	assert.Equal(t, 2, ft.count())
}

func TestIteratorStopsWhenTheContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c, ft, _ := newFakeClient(t, offsetServer(100, 10))
	var errs []error
	n := 0
	for _, err := range c.AllProjectJobs(ctx, ProjectID(1), ListProjectJobsOptions{ListOptions: ListOptions{PerPage: 10}}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if n++; n == 10 {
			cancel()
		}
	}
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
	assert.Equal(t, 1, ft.count())
}

func TestIteratorYieldsAnErrorOnceAndEnds(t *testing.T) {
	c, ft, _ := newFakeClient(t, func(n int, r *Request) (*Response, error) {
		if n == 1 {
			return respond(404, map[string]any{"message": "404 Project Not Found"}), nil
		}
		return offsetServer(100, 10)(n, r)
	})
	var got []error
	n := 0
	for _, err := range c.AllPipelineJobs(context.Background(), ProjectID(1), 5, ListPipelineJobsOptions{}) {
		if err != nil {
			got = append(got, err)
		} else {
			n++
		}
	}
	require.Len(t, got, 1)
	assert.ErrorIs(t, got[0], ErrNotFound)
	assert.Equal(t, 10, n)
	assert.Equal(t, 2, ft.count())
}

func TestIteratorSurvivesAServerThatNeverAdvances(t *testing.T) {
	c, ft, _ := newFakeClient(t, ok(200, []any{map[string]any{"id": 1}}, "X-Page", "1", "X-Next-Page", "1"))
	ids := collectIDs(t, c.AllProjectJobs(context.Background(), ProjectID(1), ListProjectJobsOptions{}))
	assert.Equal(t, []int64{1}, ids)
	assert.Equal(t, 1, ft.count())
}

func TestEveryListHasAnIterator(t *testing.T) {
	ctx := context.Background()
	c, _, _ := newFakeClient(t, offsetServer(25, 10))
	p := ProjectID(1)
	count := func(seq func(func(int64, error) bool)) int {
		n := 0
		for _, err := range seq {
			require.NoError(t, err)
			n++
		}
		return n
	}
	assert.Equal(t, 25, count(ids(c.AllPipelineJobs(ctx, p, 5, ListPipelineJobsOptions{}), func(j Job) int64 { return j.ID })))
	assert.Equal(t, 25, count(ids(c.AllPipelineBridges(ctx, p, 5, ListPipelineBridgesOptions{}), func(b Bridge) int64 { return b.ID })))
	assert.Equal(t, 25, count(ids(c.AllPipelines(ctx, p, ListPipelinesOptions{}), func(b PipelineBasic) int64 { return b.ID })))
	assert.Equal(t, 25, count(ids(c.AllProjects(ctx, ListProjectsOptions{}), func(b Project) int64 { return b.ID })))
}

func ids[T any](seq func(func(T, error) bool), id func(T) int64) func(func(int64, error) bool) {
	return func(yield func(int64, error) bool) {
		for v, err := range seq {
			if !yield(id(v), err) {
				return
			}
		}
	}
}
