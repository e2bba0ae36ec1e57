package gitlab

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewValidatesTheBaseURL(t *testing.T) {
	cases := []struct {
		name, in, want string
		bad            bool
	}{
		{"a bare host is the instance root", "https://gitlab.com", "https://gitlab.com", false},
		{"a trailing slash is dropped", "https://gitlab.com/", "https://gitlab.com", false},
		{"a relative-URL instance keeps its prefix", "https://example.com/gitlab/", "https://example.com/gitlab", false},
		{"a trailing /api/v4 is accepted", "http://127.0.0.1:8929/api/v4", "http://127.0.0.1:8929", false},
		{"credentials in the URL are refused", "https://user:glpat-x@gitlab.com", "", true},
		{"a query is refused (it could hold private_token)", "https://gitlab.com/?private_token=x", "", true},
		{"a non-http scheme is refused", "ftp://gitlab.com", "", true},
		{"a URL without host is refused", "https://", "", true},
		{"garbage is refused", "://", "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(tc.in, Auth{})
			if tc.bad {
				require.ErrorIs(t, err, ErrInvalidArgument)
				assert.NotContains(t, err.Error(), "glpat-x")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, c.BaseURL())
		})
	}
}

// gitlab-api.md §2.1: each credential in its header, never in the URL.
func TestEachAuthModeSendsItsHeaderAndNothingInTheURL(t *testing.T) {
	cases := []struct {
		name   string
		auth   Auth
		header string
		value  string
	}{
		{"a personal access token goes in Authorization Bearer, which fetch drops on leaving the origin", PrivateToken("tok1"), "Authorization", "Bearer tok1"},
		{"an OAuth token goes in Authorization Bearer", OAuthToken("tok2"), "Authorization", "Bearer tok2"},
		{"a job token goes in JOB-TOKEN", JobToken("tok3"), "JOB-TOKEN", "tok3"},
		{"no credential sends no credential header", Auth{}, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, ft, _ := newFakeClient(t, ok(200, map[string]any{"id": 1}))
			_, err := c.WithAuth(tc.auth).CurrentUser(context.Background())
			require.NoError(t, err)
			r := ft.last(t)
			for _, h := range credentialHeaders {
				if strings.EqualFold(h, tc.header) {
					assert.Equal(t, tc.value, r.Header.Get(h))
				} else {
					assert.False(t, r.Header.Has(h), "unexpected %s header", h)
				}
			}
			if tc.value != "" {
				assert.NotContains(t, r.URL, strings.TrimPrefix(tc.value, "Bearer "))
			}
			assert.NotContains(t, r.URL, "token")
		})
	}
}

func TestAuthNeverPrintsItsToken(t *testing.T) {
	for _, a := range []Auth{PrivateToken(testToken), OAuthToken(testToken), JobToken(testToken), {}} {
		for _, s := range []string{a.String(), a.GoString()} {
			assert.NotContains(t, s, testToken)
			assert.Contains(t, s, "gitlab.Auth(")
		}
	}
}

// gitlab-api.md §3: :id is a number or the %2F-encoded full path.
func TestProjectRefsBecomeOnePathSegment(t *testing.T) {
	cases := []struct {
		name    string
		ref     ProjectRef
		wantURL string
	}{
		{"a numeric id is written as is", ProjectID(42), "/api/v4/projects/42/jobs/7"},
		{"a nested path has every slash as %2F", ProjectPath("group/sub/project"), "/api/v4/projects/group%2Fsub%2Fproject/jobs/7"},
		{"surrounding slashes are ignored", ProjectPath("/group/project/"), "/api/v4/projects/group%2Fproject/jobs/7"},
		{"odd characters are escaped, not interpreted", ProjectPath("g/a b?c#d"), "/api/v4/projects/g%2Fa%20b%3Fc%23d/jobs/7"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, ft, _ := newFakeClient(t, ok(200, map[string]any{"id": 7}))
			_, err := c.GetJob(context.Background(), tc.ref, 7)
			require.NoError(t, err)
			assert.Equal(t, "https://gitlab.example.com"+tc.wantURL, ft.last(t).URL)
		})
	}
}

func TestParseProjectRef(t *testing.T) {
	cases := []struct {
		name, in string
		id       int64
		path     string
		bad      bool
	}{
		{"digits are an id", "278964", 278964, "", false},
		{"a path with a namespace is a path", "gitlab-org/gitlab", 0, "gitlab-org/gitlab", false},
		{"a bare name is refused (§3: not found)", "gitlab", 0, "", true},
		{"an empty segment is refused", "a//b", 0, "", true},
		{"zero is refused", "0", 0, "", true},
		{"a negative id is refused", "-5", 0, "", true},
		{"empty is refused", " ", 0, "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParseProjectRef(tc.in)
			if tc.bad {
				require.ErrorIs(t, err, ErrInvalidArgument)
				return
			}
			require.NoError(t, err)
			if id, ok := p.ID(); ok {
				assert.Equal(t, tc.id, id)
			} else {
				path, isPath := p.Path()
				require.True(t, isPath)
				assert.Equal(t, tc.path, path)
			}
			assert.Equal(t, strings.TrimSpace(tc.in), p.String())
		})
	}
}

// Bad input is refused before anything is sent.
func TestInvalidArgumentsSendNoRequest(t *testing.T) {
	ctx := context.Background()
	p := ProjectID(1)
	cases := []struct {
		name string
		call func(c *Client) error
	}{
		{"an unknown scope bit", func(c *Client) error {
			_, _, err := c.ListProjectJobs(ctx, p, ListProjectJobsOptions{Scope: 1 << 15})
			return err
		}},
		{"per_page above 100", func(c *Client) error {
			_, _, err := c.ListProjectJobs(ctx, p, ListProjectJobsOptions{ListOptions: ListOptions{PerPage: 101}})
			return err
		}},
		{"a negative page", func(c *Client) error {
			_, _, err := c.ListPipelineJobs(ctx, p, 1, ListPipelineJobsOptions{ListOptions: ListOptions{Page: -1}})
			return err
		}},
		{"a page number with keyset pagination", func(c *Client) error {
			_, _, err := c.ListProjectJobs(ctx, p, ListProjectJobsOptions{Keyset: true, ListOptions: ListOptions{Page: 3}})
			return err
		}},
		{"a zero project", func(c *Client) error { _, err := c.GetJob(ctx, ProjectRef{}, 1); return err }},
		{"a zero job id", func(c *Client) error { _, err := c.RetryJob(ctx, p, 0); return err }},
		{"a zero pipeline id", func(c *Client) error {
			_, _, err := c.ListPipelineBridges(ctx, p, 0, ListPipelineBridgesOptions{})
			return err
		}},
		{"a play variable without key", func(c *Client) error {
			_, err := c.PlayJob(ctx, p, 1, PlayOptions{Variables: []JobVariable{{Key: "", Value: "v"}}})
			return err
		}},
		{"an unknown pipeline status", func(c *Client) error {
			_, _, err := c.ListPipelines(ctx, p, ListPipelinesOptions{Status: "bogus"})
			return err
		}},
		{"an unknown pipeline scope", func(c *Client) error {
			_, _, err := c.ListPipelines(ctx, p, ListPipelinesOptions{Scope: "all"})
			return err
		}},
		{"an unknown project order", func(c *Client) error {
			_, _, err := c.ListProjects(ctx, ListProjectsOptions{OrderBy: "stars"})
			return err
		}},
		{"a sort that is neither asc nor desc", func(c *Client) error {
			_, _, err := c.ListProjects(ctx, ListProjectsOptions{Sort: "up"})
			return err
		}},
		{"a nil context", func(c *Client) error {
			_, err := c.CurrentUser(nil) //nolint:staticcheck // the point of the test
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, ft, _ := newFakeClient(t, ok(200, []any{}))
			err := tc.call(c)
			require.ErrorIs(t, err, ErrInvalidArgument)
			assert.Zero(t, ft.count(), "a request was sent")
		})
	}
}

// Each endpoint's method, path and query (gitlab-api.md §5, §11).
func TestEveryEndpointSendsGitLabsRequest(t *testing.T) {
	ctx := context.Background()
	p := ProjectPath("group/sub/app")
	const proj = "/api/v4/projects/group%2Fsub%2Fapp"
	cases := []struct {
		name   string
		call   func(c *Client) error
		method string
		path   string
		query  url.Values
		body   string
	}{
		{"list project jobs sends each scope as scope[]", func(c *Client) error {
			_, _, err := c.ListProjectJobs(ctx, p, ListProjectJobsOptions{Scope: ScopeRunning | ScopePending, ListOptions: ListOptions{Page: 2, PerPage: 50}})
			return err
		}, "GET", proj + "/jobs", url.Values{"scope[]": {"pending", "running"}, "page": {"2"}, "per_page": {"50"}}, ""},
		{"list project jobs in keyset mode sends pagination=keyset and the cursor", func(c *Client) error {
			_, _, err := c.ListProjectJobs(ctx, p, ListProjectJobsOptions{Keyset: true, Cursor: "eyJpZCI6IjEyMyIsIl9rZCI6Im4ifQ", ListOptions: ListOptions{PerPage: 100}})
			return err
		}, "GET", proj + "/jobs", url.Values{"pagination": {"keyset"}, "per_page": {"100"}, "cursor": {"eyJpZCI6IjEyMyIsIl9rZCI6Im4ifQ"}}, ""},
		{"list pipeline jobs sends include_retried", func(c *Client) error {
			_, _, err := c.ListPipelineJobs(ctx, p, 55, ListPipelineJobsOptions{IncludeRetried: true, Scope: ScopeFailed})
			return err
		}, "GET", proj + "/pipelines/55/jobs", url.Values{"include_retried": {"true"}, "scope[]": {"failed"}}, ""},
		{"list pipeline bridges", func(c *Client) error {
			_, _, err := c.ListPipelineBridges(ctx, p, 55, ListPipelineBridgesOptions{})
			return err
		}, "GET", proj + "/pipelines/55/bridges", url.Values{}, ""},
		{"get job", func(c *Client) error { _, err := c.GetJob(ctx, p, 9); return err }, "GET", proj + "/jobs/9", url.Values{}, ""},
		{"cancel without force sends no body", func(c *Client) error { _, err := c.CancelJob(ctx, p, 9, CancelOptions{}); return err },
			"POST", proj + "/jobs/9/cancel", url.Values{}, ""},
		{"cancel with force", func(c *Client) error { _, err := c.CancelJob(ctx, p, 9, CancelOptions{Force: true}); return err },
			"POST", proj + "/jobs/9/cancel", url.Values{}, `{"force":true}`},
		{"retry", func(c *Client) error { _, err := c.RetryJob(ctx, p, 9); return err }, "POST", proj + "/jobs/9/retry", url.Values{}, ""},
		{"erase", func(c *Client) error { _, err := c.EraseJob(ctx, p, 9); return err }, "POST", proj + "/jobs/9/erase", url.Values{}, ""},
		{"play with variables sends job_variables_attributes as JSON", func(c *Client) error {
			_, err := c.PlayJob(ctx, p, 9, PlayOptions{Variables: []JobVariable{{"DEPLOY", "yes"}, {"EMPTY", ""}}})
			return err
		}, "POST", proj + "/jobs/9/play", url.Values{}, `{"job_variables_attributes":[{"key":"DEPLOY","value":"yes"},{"key":"EMPTY","value":""}]}`},
		{"current job", func(c *Client) error { _, err := c.CurrentJob(ctx); return err }, "GET", "/api/v4/job", url.Values{}, ""},
		{"allowed agents", func(c *Client) error { _, err := c.JobAllowedAgents(ctx); return err }, "GET", "/api/v4/job/allowed_agents", url.Values{}, ""},
		{"current user", func(c *Client) error { _, err := c.CurrentUser(ctx); return err }, "GET", "/api/v4/user", url.Values{}, ""},
		{"project search", func(c *Client) error {
			_, _, err := c.ListProjects(ctx, ListProjectsOptions{Membership: true, Search: "my app", Simple: true, OrderBy: ProjectOrderLastActivityAt, Sort: SortAsc, MinAccessLevel: 30})
			return err
		}, "GET", "/api/v4/projects", url.Values{"membership": {"true"}, "search": {"my app"}, "simple": {"true"}, "order_by": {"last_activity_at"}, "sort": {"asc"}, "min_access_level": {"30"}}, ""},
		{"single project", func(c *Client) error { _, err := c.GetProject(ctx, p); return err }, "GET", proj, url.Values{}, ""},
		{"pipelines list", func(c *Client) error {
			_, _, err := c.ListPipelines(ctx, p, ListPipelinesOptions{Ref: "main", Status: StatusFailed, OrderBy: PipelineOrderUpdatedAt})
			return err
		}, "GET", proj + "/pipelines", url.Values{"ref": {"main"}, "status": {"failed"}, "order_by": {"updated_at"}}, ""},
		{"single pipeline", func(c *Client) error { _, err := c.GetPipeline(ctx, p, 55); return err }, "GET", proj + "/pipelines/55", url.Values{}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, ft, _ := newFakeClient(t, func(_ int, r *Request) (*Response, error) {
				if strings.HasSuffix(r.URL, "/jobs") || strings.Contains(r.URL, "/jobs?") || strings.Contains(r.URL, "/bridges") ||
					strings.Contains(r.URL, "/projects?") || strings.HasSuffix(r.URL, "/pipelines") || strings.Contains(r.URL, "/pipelines?") {
					return respond(200, []any{}), nil
				}
				return respond(200, map[string]any{"id": 1}), nil
			})
			require.NoError(t, tc.call(c))
			r := ft.last(t)
			assert.Equal(t, tc.method, r.Method)
			u, err := url.Parse(r.URL)
			require.NoError(t, err)
			assert.Equal(t, tc.path, u.EscapedPath())
			assert.Equal(t, tc.query, u.Query())
			assert.Equal(t, tc.body, string(r.Body))
			if tc.body != "" {
				assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
			}
			assert.Equal(t, "Bearer "+testToken, r.Header.Get("Authorization"))
		})
	}
}

func TestJobLogReturnsTheRawBytes(t *testing.T) {
	raw := []byte("\x1b[32;1mSucceeded\x1b[0;m\r\nsection_start:1700000000:build\r\x1b[0K\xff broken utf-8\n")
	c, ft, _ := newFakeClient(t, ok(200, raw, "Content-Type", "text/plain"))
	got, err := c.JobLog(context.Background(), ProjectID(3), 12)
	require.NoError(t, err)
	assert.Equal(t, raw, got)
	assert.Equal(t, "https://gitlab.example.com/api/v4/projects/3/jobs/12/trace", ft.last(t).URL)
}

// gitlab-api.md §5.7: an erased job, or one with no log yet, has an empty 200.
func TestAnEmptyLogIsNotAnError(t *testing.T) {
	c, _, _ := newFakeClient(t, ok(200, []byte{}, "Content-Type", "text/plain"))
	got, err := c.JobLog(context.Background(), ProjectID(3), 12)
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestArtifactURLsCarryNoCredential(t *testing.T) {
	c, _, _ := newFakeClient(t, nil)
	u, err := c.ArtifactsURL(ProjectPath("g/p"), 5)
	require.NoError(t, err)
	assert.Equal(t, "https://gitlab.example.com/api/v4/projects/g%2Fp/jobs/5/artifacts", u)
	u, err = c.ArtifactFileURL(ProjectID(1), 5, "coverage/index a.html")
	require.NoError(t, err)
	assert.Equal(t, "https://gitlab.example.com/api/v4/projects/1/jobs/5/artifacts/coverage/index%20a.html", u)
	assert.NotContains(t, u, testToken)
	for _, bad := range []string{"../etc/passwd", "a//b", "", "a/./b"} {
		_, err := c.ArtifactFileURL(ProjectID(1), 5, bad)
		assert.ErrorIs(t, err, ErrInvalidArgument, bad)
	}
}

func TestAMalformedSuccessBodyIsAnUnexpectedError(t *testing.T) {
	c, _, _ := newFakeClient(t, ok(200, []byte(`[{"id":1,"status":"runn`)))
	_, _, err := c.ListProjectJobs(context.Background(), ProjectID(1), ListProjectJobsOptions{})
	require.ErrorIs(t, err, ErrUnexpected)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 200, e.StatusCode)
	assert.Contains(t, err.Error(), "list project jobs")
}

func TestACanceledContextStopsBeforeSending(t *testing.T) {
	c, ft, _ := newFakeClient(t, ok(200, map[string]any{}))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.GetJob(ctx, ProjectID(1), 2)
	require.ErrorIs(t, err, context.Canceled)
	assert.True(t, errors.Is(err, context.Canceled))
	assert.Zero(t, ft.count())
}
