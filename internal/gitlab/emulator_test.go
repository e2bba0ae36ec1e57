//go:build !js

package gitlab

// The client against the emulator (internal/gitlabfake) over real HTTP on
// loopback: every endpoint, every error status, both paginations to the
// last page, every action in every status. Expectations come from
// docs/gitlab-api.md, cited by section; where the emulator and the
// reference differ, the reference wins and the test fails.

import (
	"context"
	"net/http/httptest"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type emu struct {
	fake  *gitlabfake.Server
	info  gitlabfake.Info
	c     *Client // DefaultToken: api scope, Maintainer everywhere
	sleep *sleepRecorder
	base  string
}

// newEmu starts a frozen emulator (nothing changes unless a request or the
// test moves time) and a client with instant, recorded backoff.
func newEmu(t *testing.T) *emu {
	t.Helper()
	fake := gitlabfake.New(gitlabfake.Options{Frozen: true})
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	sr := &sleepRecorder{}
	b := DefaultBackoff
	b.Sleep = sr.sleep
	b.Jitter = func() float64 { return 0.5 }
	c, err := New(srv.URL, PrivateToken(gitlabfake.DefaultToken), WithBackoff(b))
	require.NoError(t, err)
	info := fake.Info()
	require.NotEmpty(t, info.Projects)
	require.NotZero(t, info.PipelineID)
	require.NotEmpty(t, info.JobToken)
	return &emu{fake: fake, info: info, c: c, sleep: sr, base: srv.URL}
}

func (e *emu) project() ProjectRef { return ProjectPath(e.info.Projects[0]) }

// latestJobs returns the latest attempt of every job of the richest
// project, by status. A retried attempt (same pipeline and name, lower id,
// §5.2) is left out: GitLab refuses to retry it again (§8.3).
func (e *emu) latestJobs(t *testing.T) map[Status][]Job {
	t.Helper()
	seen := map[[2]any]bool{}
	out := map[Status][]Job{}
	for j, err := range e.c.AllProjectJobs(context.Background(), e.project(), ListProjectJobsOptions{ListOptions: ListOptions{PerPage: 100}}) {
		require.NoError(t, err)
		k := [2]any{j.Pipeline.ID, j.Name}
		if seen[k] { // ids descend: the first seen is the latest
			continue
		}
		seen[k] = true
		out[j.Status] = append(out[j.Status], j)
	}
	return out
}

func TestEmulatorEveryEndpoint(t *testing.T) {
	e := newEmu(t)
	ctx := context.Background()
	proj, err := e.c.GetProject(ctx, e.project())
	require.NoError(t, err)
	byID := ProjectID(proj.ID)

	for _, p := range []ProjectRef{e.project(), byID} {
		t.Run("project "+p.String(), func(t *testing.T) {
			// §11 single project: by path and by id, the same project.
			got, err := e.c.GetProject(ctx, p)
			require.NoError(t, err)
			assert.Equal(t, proj.ID, got.ID)
			assert.Equal(t, e.info.Projects[0], got.PathWithNamespace)

			// §5.1: builds only, id descending.
			jobs, page, err := e.c.ListProjectJobs(ctx, p, ListProjectJobsOptions{ListOptions: ListOptions{PerPage: 50}})
			require.NoError(t, err)
			require.Len(t, jobs, 50)
			assert.True(t, slices.IsSortedFunc(jobs, func(a, b Job) int { return int(b.ID - a.ID) }), "id descending")
			assert.False(t, page.Counted, "project jobs never carry totals (§5.1)")
			assert.Equal(t, 2, page.NextPage)

			// §5.1 scope filter.
			running, _, err := e.c.ListProjectJobs(ctx, p, ListProjectJobsOptions{Scope: ScopeRunning | ScopeFailed})
			require.NoError(t, err)
			require.NotEmpty(t, running)
			for _, j := range running {
				assert.Contains(t, []Status{StatusRunning, StatusFailed}, j.Status)
			}

			// §5.2: include_retried shows older attempts.
			latest, _, err := e.c.ListPipelineJobs(ctx, p, e.info.PipelineID, ListPipelineJobsOptions{})
			require.NoError(t, err)
			withRetried, _, err := e.c.ListPipelineJobs(ctx, p, e.info.PipelineID, ListPipelineJobsOptions{IncludeRetried: true})
			require.NoError(t, err)
			assert.Greater(t, len(withRetried), len(latest))
			for _, j := range latest {
				assert.Equal(t, e.info.PipelineID, j.Pipeline.ID)
			}

			// §5.3: the showcase pipeline's bridge has a downstream pipeline.
			bridges, _, err := e.c.ListPipelineBridges(ctx, p, e.info.PipelineID, ListPipelineBridgesOptions{})
			require.NoError(t, err)
			require.NotEmpty(t, bridges)
			require.NotNil(t, bridges[0].DownstreamPipeline)
			assert.NotEqual(t, e.info.PipelineID, bridges[0].DownstreamPipeline.ID)

			// §5.6, §5.7: a job and its log.
			job, err := e.c.GetJob(ctx, p, latest[0].ID)
			require.NoError(t, err)
			assert.Equal(t, latest[0].ID, job.ID)
			assert.Equal(t, latest[0].Name, job.Name)

			// §11 pipelines, list and single.
			pipes, page, err := e.c.ListPipelines(ctx, p, ListPipelinesOptions{ListOptions: ListOptions{PerPage: 100}})
			require.NoError(t, err)
			assert.True(t, page.Counted, "pipelines carry totals (§7.3)")
			assert.True(t, slices.ContainsFunc(pipes, func(pb PipelineBasic) bool { return pb.ID == e.info.PipelineID }))
			pipe, err := e.c.GetPipeline(ctx, p, e.info.PipelineID)
			require.NoError(t, err)
			assert.Equal(t, e.info.PipelineID, pipe.ID)
			assert.NotNil(t, pipe.DetailedStatus)
		})
	}

	t.Run("job log of a finished job", func(t *testing.T) {
		jobs, _, err := e.c.ListProjectJobs(ctx, e.project(), ListProjectJobsOptions{Scope: ScopeSuccess})
		require.NoError(t, err)
		require.NotEmpty(t, jobs)
		log, err := e.c.JobLog(ctx, e.project(), jobs[0].ID)
		require.NoError(t, err)
		assert.NotEmpty(t, log)
	})

	t.Run("current user", func(t *testing.T) {
		u, err := e.c.CurrentUser(ctx)
		require.NoError(t, err)
		assert.NotEmpty(t, u.Username)
		assert.Positive(t, u.ID)
	})

	t.Run("project search", func(t *testing.T) {
		ps, _, err := e.c.ListProjects(ctx, ListProjectsOptions{Membership: true, Search: proj.Path, Simple: true, OrderBy: ProjectOrderID, Sort: SortAsc})
		require.NoError(t, err)
		assert.True(t, slices.ContainsFunc(ps, func(p Project) bool { return p.ID == proj.ID }))
		var all []string
		for p, err := range e.c.AllProjects(ctx, ListProjectsOptions{ListOptions: ListOptions{PerPage: 1}}) {
			require.NoError(t, err)
			all = append(all, p.PathWithNamespace)
		}
		for _, want := range e.info.Projects {
			assert.Contains(t, all, want)
		}
	})

	t.Run("the job token's job and allowed agents (§5.4, §5.5)", func(t *testing.T) {
		jc := e.c.WithAuth(JobToken(e.info.JobToken))
		j, err := jc.CurrentJob(ctx)
		require.NoError(t, err)
		assert.Equal(t, StatusRunning, j.Status)
		a, err := jc.JobAllowedAgents(ctx)
		require.NoError(t, err)
		assert.Equal(t, j.ID, a.Job.ID)
		assert.Equal(t, j.Pipeline.ID, a.Pipeline.ID)
		assert.NotNil(t, a.AllowedAgents)
		// §2.1: a job token may list its project's jobs.
		_, _, err = jc.ListProjectJobs(ctx, e.project(), ListProjectJobsOptions{})
		assert.NoError(t, err)
	})

	t.Run("artifacts download URL works with the token header (§11)", func(t *testing.T) {
		jobs, _, err := e.c.ListProjectJobs(ctx, e.project(), ListProjectJobsOptions{Scope: ScopeSuccess, ListOptions: ListOptions{PerPage: 100}})
		require.NoError(t, err)
		i := slices.IndexFunc(jobs, func(j Job) bool { return j.ArtifactsFile != nil })
		require.GreaterOrEqual(t, i, 0, "a job with an artifacts archive")
		u, err := e.c.ArtifactsURL(e.project(), jobs[i].ID)
		require.NoError(t, err)
		h := Header{}
		e.c.Auth().apply(h)
		resp, err := HTTPTransport{}.Do(ctx, &Request{Method: "GET", URL: u, Header: h})
		require.NoError(t, err)
		assert.Equal(t, 200, resp.StatusCode)
		assert.Len(t, resp.Body, int(jobs[i].ArtifactsFile.Size))

		zip, err := e.c.JobArtifacts(ctx, e.project(), jobs[i].ID)
		require.NoError(t, err)
		assert.Equal(t, resp.Body, zip, "JobArtifacts downloads the same archive")
		assert.Equal(t, "PK", string(zip[:2]), "a zip archive")

		none := slices.IndexFunc(jobs, func(j Job) bool { return j.ArtifactsFile == nil })
		require.GreaterOrEqual(t, none, 0, "a job without an archive")
		_, err = e.c.JobArtifacts(ctx, e.project(), jobs[none].ID)
		assert.ErrorIs(t, err, ErrNotFound, "no archive is a 404 (§11)")
	})
}

// A running job's log grows with the clock and keeps its prefix (§5.7).
func TestEmulatorRunningLogGrows(t *testing.T) {
	e := newEmu(t)
	ctx := context.Background()
	j, err := e.c.WithAuth(JobToken(e.info.JobToken)).CurrentJob(ctx)
	require.NoError(t, err)
	before, err := e.c.JobLog(ctx, e.project(), j.ID)
	require.NoError(t, err)
	e.fake.AdvanceClock(5 * time.Second)
	after, err := e.c.JobLog(ctx, e.project(), j.ID)
	require.NoError(t, err)
	assert.Greater(t, len(after), len(before))
	assert.Equal(t, before, after[:len(before)])
}

func TestEmulatorBothPaginationsReachTheLastPage(t *testing.T) {
	e := newEmu(t)
	ctx := context.Background()
	walk := func(opts ListProjectJobsOptions) []int64 {
		var ids []int64
		for j, err := range e.c.AllProjectJobs(ctx, e.project(), opts) {
			require.NoError(t, err)
			ids = append(ids, j.ID)
		}
		return ids
	}
	offset := walk(ListProjectJobsOptions{ListOptions: ListOptions{PerPage: 7}})
	keyset := walk(ListProjectJobsOptions{Keyset: true, ListOptions: ListOptions{PerPage: 7}})
	big := walk(ListProjectJobsOptions{ListOptions: ListOptions{PerPage: 100}})
	require.Greater(t, len(big), 100, "more than one page of 100")
	assert.Equal(t, big, offset, "offset pages of 7 (§7.1)")
	assert.Equal(t, big, keyset, "keyset pages of 7 (§7.2)")
	assert.True(t, slices.IsSortedFunc(big, func(a, b int64) int { return int(b - a) }))

	// The last offset page: no next, nothing after it (§7.1: past the end is []).
	last := (len(big) + 6) / 7
	jobs, page, err := e.c.ListProjectJobs(ctx, e.project(), ListProjectJobsOptions{ListOptions: ListOptions{Page: last, PerPage: 7}})
	require.NoError(t, err)
	assert.Len(t, jobs, len(big)-(last-1)*7)
	assert.False(t, page.HasNext())
	assert.Equal(t, last-1, page.PrevPage)
	jobs, _, err = e.c.ListProjectJobs(ctx, e.project(), ListProjectJobsOptions{ListOptions: ListOptions{Page: last + 1, PerPage: 7}})
	require.NoError(t, err)
	assert.Empty(t, jobs)

	// Counted lists: the walk matches the totals (§7.1).
	_, page, err = e.c.ListPipelineJobs(ctx, e.project(), e.info.PipelineID, ListPipelineJobsOptions{IncludeRetried: true, ListOptions: ListOptions{PerPage: 2}})
	require.NoError(t, err)
	require.True(t, page.Counted)
	n := 0
	for _, err := range e.c.AllPipelineJobs(ctx, e.project(), e.info.PipelineID, ListPipelineJobsOptions{IncludeRetried: true, ListOptions: ListOptions{PerPage: 2}}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, page.Total, n)
	assert.Equal(t, (n+1)/2, page.TotalPages)
}

func TestEmulatorErrorStatuses(t *testing.T) {
	e := newEmu(t)
	ctx := context.Background()
	p := e.project()
	byStatus := e.latestJobs(t)
	require.NotEmpty(t, byStatus[StatusRunning])
	require.NotEmpty(t, byStatus[StatusSuccess])
	bridges, _, err := e.c.ListPipelineBridges(ctx, p, e.info.PipelineID, ListPipelineBridgesOptions{})
	require.NoError(t, err)
	require.NotEmpty(t, bridges)
	as := func(a Auth) *Client { return e.c.WithAuth(a) }
	listJobs := func(c *Client) error { _, _, err := c.ListProjectJobs(ctx, p, ListProjectJobsOptions{}); return err }

	cases := []struct {
		name    string
		call    func() error
		kind    error
		status  int
		message string
		code    string
	}{
		{"no credential on a job endpoint is 401 (§5, §2.2)", func() error { return listJobs(as(Auth{})) },
			ErrUnauthorized, 401, "401 Unauthorized", ""},
		{"an unknown token is 401 (§2.2)", func() error { return listJobs(as(PrivateToken("glpat-nobody"))) },
			ErrUnauthorized, 401, "401 Unauthorized", ""},
		{"an unknown OAuth token is 401 (§2.2)", func() error { return listJobs(as(OAuthToken("nobody"))) },
			ErrUnauthorized, 401, "401 Unauthorized", ""},
		{"an expired token is 401 invalid_token (§2.2)", func() error { return listJobs(as(PrivateToken(gitlabfake.ExpiredToken))) },
			ErrUnauthorized, 401, "Token is expired. You can either do re-authorization or token refresh.", "invalid_token"},
		{"a revoked token is 401 invalid_token (§2.2)", func() error { return listJobs(as(PrivateToken(gitlabfake.RevokedToken))) },
			ErrUnauthorized, 401, "Token was revoked. You have to re-authorize from the user.", "invalid_token"},
		{"a read_api token cannot act: 403 insufficient_scope (§2.1)", func() error {
			_, err := as(PrivateToken(gitlabfake.ReadAPIToken)).RetryJob(ctx, p, byStatus[StatusSuccess][0].ID)
			return err
		}, ErrInsufficientScope, 403, "The request requires higher privileges than provided by the access token.", "insufficient_scope"},
		{"a guest cannot read a private project's jobs: 403 (§5)", func() error { return listJobs(as(PrivateToken(gitlabfake.GuestToken))) },
			ErrForbidden, 403, "403 Forbidden", ""},
		{"an unknown project is 404 Project Not Found (§3)", func() error {
			_, err := e.c.GetJob(ctx, ProjectPath("nobody/nothing"), 1)
			return err
		}, ErrNotFound, 404, "404 Project Not Found", ""},
		{"an unknown job is 404 Not found (§3)", func() error { _, err := e.c.GetJob(ctx, p, 999999999); return err },
			ErrNotFound, 404, "404 Not found", ""},
		{"a bridge is not a job: 404 (§3)", func() error { _, err := e.c.GetJob(ctx, p, bridges[0].ID); return err },
			ErrNotFound, 404, "404 Not found", ""},
		{"a bridge has no log: 404 (§3)", func() error { _, err := e.c.JobLog(ctx, p, bridges[0].ID); return err },
			ErrNotFound, 404, "404 Not found", ""},
		{"an unknown pipeline is 404 (§5.2)", func() error {
			_, _, err := e.c.ListPipelineJobs(ctx, p, 999999999, ListPipelineJobsOptions{})
			return err
		}, ErrNotFound, 404, "404 Not found", ""},
		{"an unknown single pipeline is 404 (§11)", func() error { _, err := e.c.GetPipeline(ctx, p, 999999999); return err },
			ErrNotFound, 404, "404 Not found", ""},
		{"GET /job with a personal token is 404 Job Not Found (§5.4)", func() error { _, err := e.c.CurrentJob(ctx); return err },
			ErrNotFound, 404, "404 Job Not Found", ""},
		{"GET /job/allowed_agents with a personal token is 404 (§5.5)", func() error { _, err := e.c.JobAllowedAgents(ctx); return err },
			ErrNotFound, 404, "404 Job Not Found", ""},
		{"GET /job with an unknown job token is 401 (§5.4)", func() error { _, err := as(JobToken("glcbt-nothing")).CurrentJob(ctx); return err },
			ErrUnauthorized, 401, "401 Unauthorized", ""},
		{"retrying a running job is 403 not retryable (§8.3)", func() error { _, err := e.c.RetryJob(ctx, p, byStatus[StatusRunning][0].ID); return err },
			ErrForbidden, 403, "403 Forbidden - Job is not retryable", ""},
		{"an invalid scope sent raw is 400 (§5.1)", func() error {
			_, err := e.c.send(ctx, call{method: "GET", path: "/projects/" + p.segment() + "/jobs", query: url.Values{"scope[]": {"bogus"}}})
			return err
		}, ErrBadRequest, 400, "scope does not have a valid value", ""},
		{"keyset with sort=asc is 405 (§7.2)", func() error {
			_, err := e.c.send(ctx, call{method: "GET", path: "/projects/" + p.segment() + "/jobs", query: url.Values{"pagination": {"keyset"}, "sort": {"asc"}}})
			return err
		}, ErrMethodNotAllowed, 405, "Keyset pagination is not yet available for this type of request", ""},
		{"an unknown route is 404 (§1)", func() error {
			_, err := e.c.send(ctx, call{method: "GET", path: "/nothing/here"})
			return err
		}, ErrNotFound, 404, "404 Not Found", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			require.ErrorIs(t, err, tc.kind)
			var ge *Error
			require.ErrorAs(t, err, &ge)
			assert.Equal(t, tc.status, ge.StatusCode)
			assert.Equal(t, tc.message, ge.Message)
			assert.Equal(t, tc.code, ge.Code)
			assert.NotEmpty(t, ge.RequestID, "X-Request-Id (§4)")
			assert.NotContains(t, err.Error(), gitlabfake.DefaultToken)
			assert.NotContains(t, err.Error(), e.info.JobToken)
		})
	}
}

// A guest may see the pipeline but not its jobs: [] not 403 (§5.2).
func TestEmulatorGuestGetsAnEmptyPipelineJobList(t *testing.T) {
	e := newEmu(t)
	jobs, _, err := e.c.WithAuth(PrivateToken(gitlabfake.GuestToken)).ListPipelineJobs(context.Background(), e.project(), e.info.PipelineID, ListPipelineJobsOptions{})
	require.NoError(t, err)
	assert.Empty(t, jobs)
}

func TestEmulatorRateLimitsAndFaults(t *testing.T) {
	ctx := context.Background()
	t.Run("the jobs list limiter's JSON 429 has no Retry-After; reads back off and give up (§9)", func(t *testing.T) {
		e := newEmu(t)
		e.fake.SetRateLimit(gitlabfake.RateLimit{ProjectJobsPerMinute: 1})
		_, _, err := e.c.ListProjectJobs(ctx, e.project(), ListProjectJobsOptions{})
		require.NoError(t, err)
		_, _, err = e.c.ListProjectJobs(ctx, e.project(), ListProjectJobsOptions{})
		require.ErrorIs(t, err, ErrRateLimited)
		var ge *Error
		require.ErrorAs(t, err, &ge)
		assert.Equal(t, "This endpoint has been requested too many times. Try again later.", ge.Message)
		assert.Zero(t, ge.RetryAfter)
		assert.Len(t, e.sleep.waits, DefaultBackoff.MaxAttempts-1)
		assert.Equal(t, 3750*time.Millisecond, e.sleep.waits[0], "the 429 fallback, not the 5xx one")
	})
	t.Run("Rack::Attack's text 429 carries Retry-After, honoured natively (§9)", func(t *testing.T) {
		e := newEmu(t)
		e.fake.SetRateLimit(gitlabfake.RateLimit{RequestsPerMinute: 1})
		_, err := e.c.CurrentUser(ctx)
		require.NoError(t, err)
		_, err = e.c.CurrentUser(ctx)
		require.ErrorIs(t, err, ErrRateLimited)
		var ge *Error
		require.ErrorAs(t, err, &ge)
		assert.Equal(t, "Retry later", ge.Message)
		assert.Positive(t, ge.RetryAfter)
		require.NotEmpty(t, e.sleep.waits)
		assert.Equal(t, ge.RetryAfter, e.sleep.waits[0])
	})
	t.Run("a read retries through 503s and succeeds", func(t *testing.T) {
		e := newEmu(t)
		e.fake.SetFault(gitlabfake.RouteUser, gitlabfake.Fault{Status: 503, Times: 2})
		_, err := e.c.CurrentUser(ctx)
		require.NoError(t, err)
		assert.Len(t, e.sleep.waits, 2)
	})
	t.Run("a read retries through a dropped connection", func(t *testing.T) {
		e := newEmu(t)
		e.fake.SetFault(gitlabfake.RouteUser, gitlabfake.Fault{Drop: true, Times: 1})
		_, err := e.c.CurrentUser(ctx)
		require.NoError(t, err)
		assert.Len(t, e.sleep.waits, 1)
	})
	for _, status := range []int{502, 503, 504, 429} {
		t.Run("an action is never retried on "+statusName(status), func(t *testing.T) {
			e := newEmu(t)
			job := e.latestJobs(t)[StatusSuccess][0]
			e.fake.SetFault(gitlabfake.RouteRetry, gitlabfake.Fault{Status: status, Times: 1})
			_, err := e.c.RetryJob(ctx, e.project(), job.ID)
			var ge *Error
			require.ErrorAs(t, err, &ge)
			assert.Equal(t, status, ge.StatusCode)
			assert.Empty(t, e.sleep.waits)
			// The fault was used once; the job was not retried behind our back.
			withRetried, _, err := e.c.ListPipelineJobs(ctx, e.project(), job.Pipeline.ID, ListPipelineJobsOptions{IncludeRetried: true, ListOptions: ListOptions{PerPage: 100}})
			require.NoError(t, err)
			n := 0
			for _, j := range withRetried {
				if j.Name == job.Name {
					n++
				}
			}
			assert.Equal(t, 1, n, "attempts of %s", job.Name)
		})
	}
	t.Run("a 500 is not retried", func(t *testing.T) {
		e := newEmu(t)
		e.fake.SetFault(gitlabfake.RouteUser, gitlabfake.Fault{Status: 500, Times: 1})
		_, err := e.c.CurrentUser(ctx)
		require.ErrorIs(t, err, ErrServer)
		var ge *Error
		require.ErrorAs(t, err, &ge)
		assert.Equal(t, "500 Internal Server Error", ge.Message)
		assert.Empty(t, e.sleep.waits)
	})
	t.Run("an nginx 502 page gives no message, only the status", func(t *testing.T) {
		e := newEmu(t)
		e.fake.SetFault(gitlabfake.RouteUser, gitlabfake.Fault{Status: 502})
		_, err := e.c.CurrentUser(ctx)
		var ge *Error
		require.ErrorAs(t, err, &ge)
		assert.Equal(t, 502, ge.StatusCode)
		assert.Empty(t, ge.Message)
	})
	for _, f := range []gitlabfake.Fault{{Malformed: true}, {Truncated: true}} {
		t.Run("a broken body is an unexpected error", func(t *testing.T) {
			e := newEmu(t)
			e.fake.SetFault(gitlabfake.RouteProjectJobs, f)
			_, _, err := e.c.ListProjectJobs(ctx, e.project(), ListProjectJobsOptions{})
			require.ErrorIs(t, err, ErrUnexpected)
		})
	}
}

func statusName(status int) string { return statusText(status) }

// Every action in every status, against a fresh emulator each (§8.3).
func TestEmulatorEveryActionInEveryStatus(t *testing.T) {
	ctx := context.Background()
	for _, status := range Statuses {
		for _, action := range []string{"cancel", "retry", "erase", "play"} {
			t.Run(action+" a "+string(status)+" job", func(t *testing.T) {
				e := newEmu(t)
				jobs := e.latestJobs(t)[status]
				jobs = slices.DeleteFunc(jobs, func(j Job) bool { return j.Archived })
				if len(jobs) == 0 {
					t.Skipf("the seed has no unarchived latest %s job", status)
				}
				job := jobs[0]
				p := e.project()
				switch action {
				case "cancel":
					got, err := e.c.CancelJob(ctx, p, job.ID, CancelOptions{})
					require.NoError(t, err, "cancel answers 201 in every status (§8.3)")
					assert.Equal(t, job.ID, got.ID)
					switch {
					case status == StatusRunning:
						assert.Equal(t, StatusCanceling, got.Status, "graceful cancel (§8.2)")
					case status.Cancelable() || status == StatusManual:
						assert.Equal(t, StatusCanceled, got.Status)
					default:
						assert.Equal(t, status, got.Status, "unchanged (§8.3)")
					}
				case "retry":
					got, err := e.c.RetryJob(ctx, p, job.ID)
					if !status.Retryable() {
						requireGitLabError(t, err, ErrForbidden, 403, "403 Forbidden - Job is not retryable")
						return
					}
					require.NoError(t, err)
					assert.NotEqual(t, job.ID, got.ID, "a new job (§5.8)")
					assert.Equal(t, job.Name, got.Name)
					assert.Equal(t, StatusPending, got.Status)
					old, err := e.c.GetJob(ctx, p, job.ID)
					require.NoError(t, err)
					assert.Equal(t, status, old.Status, "the old job keeps its status")
					_, err = e.c.RetryJob(ctx, p, job.ID)
					requireGitLabError(t, err, ErrForbidden, 403, "403 Forbidden - Job is not retryable")
				case "erase":
					log, err := e.c.JobLog(ctx, p, job.ID)
					require.NoError(t, err)
					got, err := e.c.EraseJob(ctx, p, job.ID)
					if !status.Erasable() || (len(log) == 0 && len(job.Artifacts) == 0) {
						requireGitLabError(t, err, ErrForbidden, 403, "403 Forbidden - Job is not erasable!")
						return
					}
					require.NoError(t, err)
					require.NotNil(t, got.ErasedAt)
					assert.Empty(t, got.Artifacts)
					assert.Nil(t, got.ArtifactsExpireAt)
					log, err = e.c.JobLog(ctx, p, job.ID)
					require.NoError(t, err)
					assert.Empty(t, log, "an erased job's log is an empty 200 (§5.7)")
				case "play":
					got, err := e.c.PlayJob(ctx, p, job.ID, PlayOptions{Variables: []JobVariable{{Key: "DEPLOY_TARGET", Value: "staging"}}})
					switch {
					case status.Blocked():
						require.NoError(t, err)
						assert.Equal(t, job.ID, got.ID)
						assert.Equal(t, StatusPending, got.Status)
					case status.Retryable():
						// Playable only if the job is `when: manual`, which the API
						// does not show (§8.3); either answer is GitLab's.
						if err != nil {
							requireGitLabError(t, err, ErrBadRequest, 400, "400 Bad request - Unplayable Job")
						}
					default:
						requireGitLabError(t, err, ErrBadRequest, 400, "400 Bad request - Unplayable Job")
					}
				}
			})
		}
	}
}

// A canceling job stays canceling on a plain cancel and becomes canceled
// with force by a Maintainer (§8.3).
func TestEmulatorForceCancel(t *testing.T) {
	e := newEmu(t)
	ctx := context.Background()
	running := e.latestJobs(t)[StatusRunning]
	require.NotEmpty(t, running)
	got, err := e.c.CancelJob(ctx, e.project(), running[0].ID, CancelOptions{})
	require.NoError(t, err)
	require.Equal(t, StatusCanceling, got.Status)
	got, err = e.c.CancelJob(ctx, e.project(), running[0].ID, CancelOptions{})
	require.NoError(t, err)
	assert.Equal(t, StatusCanceling, got.Status)
	got, err = e.c.CancelJob(ctx, e.project(), running[0].ID, CancelOptions{Force: true})
	require.NoError(t, err)
	assert.Equal(t, StatusCanceled, got.Status)
}

func requireGitLabError(t *testing.T, err error, kind error, status int, message string) {
	t.Helper()
	require.ErrorIs(t, err, kind)
	var ge *Error
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, status, ge.StatusCode)
	assert.Equal(t, message, ge.Message)
}

// GitLab answers an artifact download with a redirect to object storage
// (§11), another origin: the archive arrives, and no credential, in any
// header or mode, reaches the storage.
func TestArtifactDownloadsLeaveTheTokenAtGitLab(t *testing.T) {
	store := gitlabfake.NewObjectStorage()
	storage := httptest.NewServer(store)
	t.Cleanup(storage.Close)
	fake := gitlabfake.New(gitlabfake.Options{Frozen: true, ObjectStorage: store, ObjectStorageURL: storage.URL})
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	info := fake.Info()
	ctx := context.Background()
	c, err := New(srv.URL, PrivateToken(gitlabfake.DefaultToken))
	require.NoError(t, err)
	jobs, _, err := c.ListProjectJobs(ctx, ProjectPath(info.Projects[0]), ListProjectJobsOptions{Scope: ScopeSuccess, ListOptions: ListOptions{PerPage: 100}})
	require.NoError(t, err)
	i := slices.IndexFunc(jobs, func(j Job) bool { return j.ArtifactsFile != nil })
	require.GreaterOrEqual(t, i, 0, "a job with an artifacts archive")
	running, err := c.WithAuth(JobToken(info.JobToken)).CurrentJob(ctx)
	require.NoError(t, err)

	cases := []struct {
		name    string
		auth    Auth
		project ProjectRef
		job     Job
	}{
		{"a personal access token", PrivateToken(gitlabfake.DefaultToken), ProjectPath(info.Projects[0]), jobs[i]},
		{"a job token, on its own project (§2.1: artifact routes take job tokens)", JobToken(info.JobToken), ProjectID(running.Pipeline.ProjectID), jobs[i]},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			zip, err := c.WithAuth(tc.auth).JobArtifacts(ctx, tc.project, tc.job.ID)
			require.NoError(t, err)
			assert.Equal(t, "PK", string(zip[:2]), "the archive came from the storage")
			assert.Len(t, zip, int(tc.job.ArtifactsFile.Size))
			assert.Empty(t, store.Credentials(), "no credential reached the storage")
		})
	}
}

// TestEmulatorAnUnchangedListCostsA304: the lists a live screen refreshes
// carry a weak ETag (Rack::ETag, §4 "ETag"); sent back as If-None-Match it
// gets a 304 and no items while the list is the same, and the list again
// once it changed or for another validator. The All walks never send it.
func TestEmulatorAnUnchangedListCostsA304(t *testing.T) {
	e := newEmu(t)
	ctx := context.Background()
	pid := e.info.PipelineID
	lists := []struct {
		name string
		list func(etag string) (int, PageInfo, error)
	}{
		{"project jobs, keyset (§5.1)", func(etag string) (int, PageInfo, error) {
			jobs, page, err := e.c.ListProjectJobs(ctx, e.project(), ListProjectJobsOptions{Keyset: true, ListOptions: ListOptions{PerPage: 20, IfNoneMatch: etag}})
			return len(jobs), page, err
		}},
		{"pipeline jobs (§5.2)", func(etag string) (int, PageInfo, error) {
			jobs, page, err := e.c.ListPipelineJobs(ctx, e.project(), pid, ListPipelineJobsOptions{IncludeRetried: true, ListOptions: ListOptions{PerPage: 100, IfNoneMatch: etag}})
			return len(jobs), page, err
		}},
		{"pipeline bridges (§5.3)", func(etag string) (int, PageInfo, error) {
			bridges, page, err := e.c.ListPipelineBridges(ctx, e.project(), pid, ListPipelineBridgesOptions{ListOptions: ListOptions{PerPage: 100, IfNoneMatch: etag}})
			return len(bridges), page, err
		}},
	}
	for _, tc := range lists {
		t.Run(tc.name, func(t *testing.T) {
			n, page, err := tc.list("")
			require.NoError(t, err)
			require.Positive(t, n)
			require.NotEmpty(t, page.ETag, "a 200 list carries an ETag")
			assert.True(t, len(page.ETag) > 2 && page.ETag[:2] == `W/`, "weak, as Rack::ETag makes it: %q", page.ETag)
			assert.False(t, page.NotModified)

			n2, again, err := tc.list(page.ETag)
			require.NoError(t, err)
			assert.True(t, again.NotModified, "unchanged: 304")
			assert.Zero(t, n2, "a 304 has no body")
			assert.Equal(t, page.ETag, again.ETag)

			n3, other, err := tc.list(`W/"not-this-one"`)
			require.NoError(t, err)
			assert.False(t, other.NotModified)
			assert.Equal(t, n, n3)
		})
	}

	t.Run("a changed list is sent again", func(t *testing.T) {
		_, page, err := lists[0].list("")
		require.NoError(t, err)
		_, err = e.c.RetryJob(ctx, e.project(), e.latestJobs(t)[StatusFailed][0].ID)
		require.NoError(t, err)
		n, again, err := lists[0].list(page.ETag)
		require.NoError(t, err)
		assert.False(t, again.NotModified, "a retry added a job")
		assert.Positive(t, n)
		assert.NotEqual(t, page.ETag, again.ETag)
	})

	t.Run("the All walks do not send it", func(t *testing.T) {
		_, page, err := lists[1].list("")
		require.NoError(t, err)
		n := 0
		for _, err := range e.c.AllPipelineJobs(ctx, e.project(), pid, ListPipelineJobsOptions{IncludeRetried: true, ListOptions: ListOptions{PerPage: 100, IfNoneMatch: page.ETag}}) {
			require.NoError(t, err)
			n++
		}
		assert.Positive(t, n)
	})
}
