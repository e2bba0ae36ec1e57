package gitlabfake_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	gitlab "gitlab.com/gitlab-org/api/client-go"

	"github.com/jobscope/jobscope/internal/gitlabfake"
)

// These tests drive the emulator with GitLab's official Go client, which
// must work against it unchanged (issue 2). Its decoding, pagination
// (offset and keyset, via Scan2), path escaping and error handling are a
// second opinion on the emulator's fidelity.

func newClientGo(t *testing.T, token string, opts gitlabfake.Options) (*gitlabfake.Server, *gitlab.Client) {
	t.Helper()
	opts.Clock = gitlabfake.NewManualClock(time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC))
	srv := gitlabfake.New(opts)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	c, err := gitlab.NewClient(token, gitlab.WithBaseURL(ts.URL+"/api/v4"),
		gitlab.WithCustomBackoff(func(time.Duration, time.Duration, int, *http.Response) time.Duration { return time.Millisecond }))
	require.NoError(t, err)
	return srv, c
}

func TestClientGoReads(t *testing.T) {
	srv, c := newClientGo(t, gitlabfake.DefaultToken, gitlabfake.Options{})
	info := srv.Info()
	const project = "demo/platform/api"

	collect := func(opts *gitlab.ListJobsOptions) []int64 {
		var ids []int64
		for j, err := range gitlab.Scan2(func(p gitlab.PaginationOptionFunc) ([]*gitlab.Job, *gitlab.Response, error) {
			return c.Jobs.ListProjectJobs(project, opts, p)
		}) {
			require.NoError(t, err)
			ids = append(ids, j.ID)
		}
		return ids
	}
	offset := collect(&gitlab.ListJobsOptions{ListOptions: gitlab.ListOptions{PerPage: 100}})
	keyset := collect(&gitlab.ListJobsOptions{ListOptions: gitlab.ListOptions{PerPage: 70, Pagination: "keyset"}})
	require.Greater(t, len(offset), 300)
	assert.Equal(t, offset, keyset, "offset and keyset walks agree (§7)")
	assert.True(t, slices.IsSortedFunc(offset, func(a, b int64) int { return int(b - a) }), "id descending (§5.1)")

	scoped, _, err := c.Jobs.ListProjectJobs(project, &gitlab.ListJobsOptions{Scope: &[]gitlab.BuildStateValue{gitlab.Manual, gitlab.Running}})
	require.NoError(t, err)
	require.NotEmpty(t, scoped)
	for _, j := range scoped {
		assert.Contains(t, []string{"manual", "running"}, j.Status)
	}

	p, _, err := c.Projects.GetProject(project, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(7), p.ID)
	u, _, err := c.Users.CurrentUser()
	require.NoError(t, err)
	assert.Equal(t, "jobscope-demo", u.Username)

	var projects []string
	for pr, err := range gitlab.Scan2(func(pg gitlab.PaginationOptionFunc) ([]*gitlab.Project, *gitlab.Response, error) {
		return c.Projects.ListProjects(&gitlab.ListProjectsOptions{ListOptions: gitlab.ListOptions{PerPage: 1, Pagination: "keyset", OrderBy: "id", Sort: "asc"}}, pg)
	}) {
		require.NoError(t, err)
		projects = append(projects, pr.PathWithNamespace)
	}
	assert.Equal(t, info.Projects, projects, "keyset over /projects (§7.3)")

	all, _, err := c.Jobs.ListPipelineJobs(project, info.PipelineID, &gitlab.ListJobsOptions{IncludeRetried: gitlab.Ptr(true)})
	require.NoError(t, err)
	latest, resp, err := c.Jobs.ListPipelineJobs(project, info.PipelineID, nil)
	require.NoError(t, err)
	assert.Len(t, all, len(latest)+1)
	assert.Equal(t, int64(len(latest)), resp.TotalItems, "pipeline jobs are counted (§5.2)")

	bridges, _, err := c.Jobs.ListPipelineBridges(project, info.PipelineID, nil)
	require.NoError(t, err)
	require.Len(t, bridges, 1)
	require.NotNil(t, bridges[0].DownstreamPipeline)

	pl, _, err := c.Pipelines.GetPipeline(project, info.PipelineID)
	require.NoError(t, err)
	require.NotNil(t, pl.DetailedStatus)
	assert.Equal(t, "passed", pl.DetailedStatus.Label)

	running := scoped[slices.IndexFunc(scoped, func(j *gitlab.Job) bool { return j.Status == "running" })]
	trace, _, err := c.Jobs.GetTraceFile(project, running.ID)
	require.NoError(t, err)
	b, _ := io.ReadAll(trace)
	assert.NotEmpty(t, b)

	_, _, err = c.Jobs.GetJob(project, 1)
	assert.ErrorIs(t, err, gitlab.ErrNotFound, "404 Not found (§3)")
}

func TestClientGoActions(t *testing.T) {
	_, c := newClientGo(t, gitlabfake.DefaultToken, gitlabfake.Options{})
	const project = "demo/platform/api"
	first := func(st gitlab.BuildStateValue) *gitlab.Job {
		js, _, err := c.Jobs.ListProjectJobs(project, &gitlab.ListJobsOptions{Scope: &[]gitlab.BuildStateValue{st}})
		require.NoError(t, err)
		require.NotEmpty(t, js, st)
		return js[0]
	}
	played, resp, err := c.Jobs.PlayJob(project, first(gitlab.Manual).ID, &gitlab.PlayJobOptions{
		JobVariablesAttributes: &[]*gitlab.JobVariableOptions{{Key: gitlab.Ptr("K"), Value: gitlab.Ptr("V")}}})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "pending", played.Status)

	canceled, resp, err := c.Jobs.CancelJob(project, first(gitlab.Running).ID)
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "canceling", canceled.Status)

	failed := first(gitlab.Failed)
	retried, _, err := c.Jobs.RetryJob(project, failed.ID)
	require.NoError(t, err)
	assert.Greater(t, retried.ID, failed.ID)

	erased, _, err := c.Jobs.EraseJob(project, failed.ID)
	require.NoError(t, err)
	assert.NotNil(t, erased.ErasedAt)

	_, _, err = c.Jobs.RetryJob(project, first(gitlab.Pending).ID)
	var er *gitlab.ErrorResponse
	require.ErrorAs(t, err, &er)
	assert.Equal(t, 403, er.Response.StatusCode)
	assert.Contains(t, er.Message, "Job is not retryable")
}

func TestClientGoErrorsAndFaults(t *testing.T) {
	t.Run("read_api cannot act: 403 insufficient_scope (§2.2)", func(t *testing.T) {
		_, c := newClientGo(t, gitlabfake.ReadAPIToken, gitlabfake.Options{})
		js, _, err := c.Jobs.ListProjectJobs(7, nil)
		require.NoError(t, err)
		_, _, err = c.Jobs.CancelJob(7, js[0].ID)
		var er *gitlab.ErrorResponse
		require.ErrorAs(t, err, &er)
		assert.Equal(t, 403, er.Response.StatusCode)
		assert.Contains(t, er.Message, "insufficient_scope")
	})
	t.Run("client-go rides out a 503 and a 429 by retrying reads", func(t *testing.T) {
		srv, c := newClientGo(t, gitlabfake.DefaultToken, gitlabfake.Options{})
		srv.SetFault(gitlabfake.RouteProjectJobs, gitlabfake.Fault{Status: 503, Times: 1})
		_, _, err := c.Jobs.ListProjectJobs(7, nil)
		require.NoError(t, err)
		srv.SetFault(gitlabfake.RouteProjectJobs, gitlabfake.Fault{Status: 429, Times: 1})
		_, _, err = c.Jobs.ListProjectJobs(7, nil)
		require.NoError(t, err)
	})
	t.Run("a dropped connection is an error, not a hang", func(t *testing.T) {
		srv, c := newClientGo(t, gitlabfake.DefaultToken, gitlabfake.Options{})
		srv.SetFault(gitlabfake.RouteProject, gitlabfake.Fault{Drop: true})
		_, _, err := c.Projects.GetProject(7, nil, gitlab.WithContext(t.Context()))
		require.Error(t, err)
		assert.False(t, errors.Is(err, gitlab.ErrNotFound))
	})
}
