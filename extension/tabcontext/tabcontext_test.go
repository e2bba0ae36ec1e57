package tabcontext

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/jobscope/jobscope/app"
	"github.com/jobscope/jobscope/internal/account"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Tab addresses of every web URL shape of gitlab-api.md §12.
func TestParse(t *testing.T) {
	cases := []struct {
		name string
		url  string
		ok   bool
		want Page
	}{
		{"a job page names the job", "https://gitlab.com/group/sub/project/-/jobs/42", true,
			Page{Base: "https://gitlab.com", Route: app.Route{Screen: app.ScreenJob, Project: "group/sub/project", ID: 42}}},
		{"a job's raw log names the log", "https://gitlab.example.com/g/p/-/jobs/42/raw", true,
			Page{Base: "https://gitlab.example.com", Route: app.Route{Screen: app.ScreenLog, Project: "g/p", ID: 42}}},
		{"a pipeline page names the pipeline", "https://gitlab.com/a/b/c/d/-/pipelines/7/builds", true,
			Page{Base: "https://gitlab.com", Route: app.Route{Screen: app.ScreenPipeline, Project: "a/b/c/d", ID: 7}}},
		{"a merge request names the project and the iid", "https://gitlab.com/g/p/-/merge_requests/12/diffs?commit_id=x", true,
			Page{Base: "https://gitlab.com", Route: app.Route{Screen: app.ScreenJobs, Project: "g/p"}, MergeRequest: 12}},
		{"a project home is the project's jobs", "http://127.0.0.1:8929/demo/platform/api", true,
			Page{Base: "http://127.0.0.1:8929", Route: app.Route{Screen: app.ScreenJobs, Project: "demo/platform/api"}}},
		{"a project subpage is the project's jobs", "https://gitlab.com/g/p/-/tree/main/src", true,
			Page{Base: "https://gitlab.com", Route: app.Route{Screen: app.ScreenJobs, Project: "g/p"}}},
		{"a merge request without a number is the project", "https://gitlab.com/g/p/-/merge_requests", true,
			Page{Base: "https://gitlab.com", Route: app.Route{Screen: app.ScreenJobs, Project: "g/p"}}},
		{"a top-level page names no project", "https://gitlab.com/dashboard", false, Page{}},
		{"a new tab page is not GitLab", "chrome://newtab/", false, Page{}},
		{"an empty address (no access to the tab) is nothing", "", false, Page{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := Parse(c.url)
			assert.Equal(t, c.ok, ok)
			assert.Equal(t, c.want, got)
		})
	}
}

func TestResolve(t *testing.T) {
	fake, err := gitlabfake.Open(gitlabfake.Options{Frozen: true, SeedFile: "testdata/mr.json"})
	require.NoError(t, err)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	env := app.NewEnv(&account.MemoryKV{})
	local := account.Instance{BaseURL: srv.URL, Token: gitlabfake.DefaultToken}
	com := account.Instance{BaseURL: account.DefaultBaseURL, Token: "glpat-elsewhere"}
	both := account.Settings{Instances: []account.Instance{com, local}, Active: com.BaseURL}
	project := "demo/platform/api"

	cases := []struct {
		name     string
		settings account.Settings
		url      string
		want     app.Route
		activate string
		offer    string // Unsaved: the GitLab Connect offers to add
	}{
		{"a job page of a saved instance opens the job there", both, srv.URL + "/" + project + "/-/jobs/5",
			app.Route{Screen: app.ScreenJob, Project: project, ID: 5}, srv.URL, ""},
		{"a pipeline page opens the pipeline", both, srv.URL + "/" + project + "/-/pipelines/9",
			app.Route{Screen: app.ScreenPipeline, Project: project, ID: 9}, srv.URL, ""},
		{"a merge request opens its latest pipeline", both, srv.URL + "/" + project + "/-/merge_requests/7",
			app.Route{Screen: app.ScreenPipeline, Project: project, ID: 995002}, srv.URL, ""},
		{"a merge request without pipelines opens the project's jobs", both, srv.URL + "/" + project + "/-/merge_requests/8",
			app.Route{Screen: app.ScreenJobs, Project: project}, srv.URL, ""},
		{"another project page opens the project's jobs", both, srv.URL + "/" + project + "/-/commits/main",
			app.Route{Screen: app.ScreenJobs, Project: project}, srv.URL, ""},
		{"a page elsewhere shows the recent projects", both, "https://example.org/some/page",
			app.Route{Screen: app.ScreenProjects}, "", ""},
		{"a GitLab page of an instance not added opens Connect to add it", both, "https://gitlab.other.example/g/p/-/jobs/1",
			app.Route{Screen: app.ScreenConnect}, "", "https://gitlab.other.example"},
		{"a two-segment page of an unknown site is not taken for GitLab", both, "https://blog.example/2026/post",
			app.Route{Screen: app.ScreenProjects}, "", ""},
		{"gitlab.com without a saved instance asks to connect", account.Settings{}, "https://gitlab.com/g/p/-/jobs/1",
			app.Route{Screen: app.ScreenConnect}, "", "https://gitlab.com"},
		{"nothing saved and a page elsewhere asks to connect", account.Settings{}, "https://example.org/",
			app.Route{Screen: app.ScreenConnect}, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			got, activate := Resolve(ctx, env, c.settings, c.url)
			assert.Equal(t, c.want, got)
			assert.Equal(t, c.activate, activate)
			assert.Equal(t, c.offer, Unsaved(c.settings, c.url))
		})
	}
}

// When GitLab refuses the merge request lookup (a bad token), the popup still
// opens on the project rather than failing.
func TestResolveMergeRequestWhenGitLabRefuses(t *testing.T) {
	srv := httptest.NewServer(gitlabfake.New(gitlabfake.Options{Frozen: true}))
	t.Cleanup(srv.Close)
	in := account.Instance{BaseURL: srv.URL, Token: gitlabfake.RevokedToken}
	st := account.Settings{Instances: []account.Instance{in}, Active: in.BaseURL}
	got, activate := Resolve(context.Background(), app.NewEnv(&account.MemoryKV{}), st, srv.URL+"/demo/platform/api/-/merge_requests/7")
	assert.Equal(t, app.Route{Screen: app.ScreenJobs, Project: "demo/platform/api"}, got)
	assert.Equal(t, srv.URL, activate)
}
