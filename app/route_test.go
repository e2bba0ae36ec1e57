package app

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParsePath(t *testing.T) {
	cases := []struct {
		name string
		path string
		want Route
	}{
		{"the root is the Connect screen", "/", Route{Screen: ScreenConnect}},
		{"projects is the project list", "/projects", Route{Screen: ScreenProjects}},
		{"a trailing slash is ignored", "/projects/", Route{Screen: ScreenProjects}},
		{"open is the log file screen", "/open", Route{Screen: ScreenOpenFile}},
		{"a numeric project's jobs", "/projects/42/-/jobs", Route{Screen: ScreenJobs, Project: "42"}},
		{"a nested project path keeps its slashes", "/projects/group/sub/project/-/jobs", Route{Screen: ScreenJobs, Project: "group/sub/project"}},
		{"a project called jobs is not confused with the resource", "/projects/group/jobs/-/jobs/7", Route{Screen: ScreenJob, Project: "group/jobs", ID: 7}},
		{"a pipeline", "/projects/g/p/-/pipelines/9", Route{Screen: ScreenPipeline, Project: "g/p", ID: 9}},
		{"a job's log", "/projects/g/p/-/jobs/5/log", Route{Screen: ScreenLog, Project: "g/p", ID: 5}},
		{"an escaped project path is decoded", "/projects/g%2Fp/-/jobs", Route{Screen: ScreenJobs, Project: "g/p"}},
		{"a job id that is not a number is not found", "/projects/g/p/-/jobs/abc", Route{}},
		{"a zero id is not found", "/projects/g/p/-/jobs/0", Route{}},
		{"a signed id is not found", "/projects/g/p/-/jobs/+5", Route{}},
		{"an empty project is not found", "/projects//-/jobs", Route{}},
		{"a dot-dot segment is not found", "/projects/g/../p/-/jobs", Route{}},
		{"an unknown resource is not found", "/projects/g/p/-/merge_requests", Route{}},
		{"an unknown top level path is not found", "/admin", Route{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, ParsePath(tc.path))
		})
	}
}

func TestRoutePathRoundTrips(t *testing.T) {
	routes := []Route{
		{Screen: ScreenConnect},
		{Screen: ScreenProjects},
		{Screen: ScreenOpenFile},
		{Screen: ScreenJobs, Project: "group/sub/project"},
		{Screen: ScreenJobs, Project: "42"},
		{Screen: ScreenPipeline, Project: "g/p", ID: 123456789012},
		{Screen: ScreenJob, Project: "g/p.js", ID: 1},
		{Screen: ScreenLog, Project: "g/my_project-2", ID: 3},
		{Screen: ScreenJobs, Project: "g/with space"},
	}
	for _, r := range routes {
		t.Run(r.Path(), func(t *testing.T) {
			assert.Equal(t, r, ParsePath(r.Path()))
		})
	}
}

// Shapes from gitlab-api.md §12.
func TestParseGitLabURL(t *testing.T) {
	cases := []struct {
		name     string
		url      string
		wantBase string
		want     Route
	}{
		{"a job page", "https://gitlab.com/group/sub/project/-/jobs/123", "https://gitlab.com", Route{Screen: ScreenJob, Project: "group/sub/project", ID: 123}},
		{"a raw job log", "https://gitlab.com/g/p/-/jobs/5/raw", "https://gitlab.com", Route{Screen: ScreenLog, Project: "g/p", ID: 5}},
		{"a pipeline page", "https://gitlab.example.com:8443/g/p/-/pipelines/77", "https://gitlab.example.com:8443", Route{Screen: ScreenPipeline, Project: "g/p", ID: 77}},
		{"a pipeline tab", "https://gitlab.com/g/p/-/pipelines/77/failures", "https://gitlab.com", Route{Screen: ScreenPipeline, Project: "g/p", ID: 77}},
		{"the jobs list", "https://gitlab.com/g/p/-/jobs", "https://gitlab.com", Route{Screen: ScreenJobs, Project: "g/p"}},
		{"a project home", "https://gitlab.com/g/p", "https://gitlab.com", Route{Screen: ScreenJobs, Project: "g/p"}},
		{"a project home with a trailing slash", "https://gitlab.com/g/p/", "https://gitlab.com", Route{Screen: ScreenJobs, Project: "g/p"}},
		{"an artifacts page falls back to the job", "https://gitlab.com/g/p/-/jobs/9/artifacts/browse/x", "https://gitlab.com", Route{Screen: ScreenJob, Project: "g/p", ID: 9}},
		{"a merge request page falls back to the project's jobs", "https://gitlab.com/g/p/-/merge_requests/4/pipelines", "https://gitlab.com", Route{Screen: ScreenJobs, Project: "g/p"}},
		{"query and fragment are ignored", "https://gitlab.com/g/p/-/jobs/8?x=1#L5", "https://gitlab.com", Route{Screen: ScreenJob, Project: "g/p", ID: 8}},
		{"surrounding spaces are ignored", "  https://gitlab.com/g/p/-/jobs/8 ", "https://gitlab.com", Route{Screen: ScreenJob, Project: "g/p", ID: 8}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			base, r, err := ParseGitLabURL(tc.url)
			require.NoError(t, err)
			assert.Equal(t, tc.wantBase, base)
			assert.Equal(t, tc.want, r)
		})
	}
}

func TestParseGitLabURLRejects(t *testing.T) {
	cases := []struct{ name, url string }{
		{"an empty string", ""},
		{"a javascript URL", "javascript:alert(1)"},
		{"a host without path", "https://gitlab.com"},
		{"a single segment (a user or group)", "https://gitlab.com/someone"},
		{"no scheme", "gitlab.com/g/p"},
		{"an ftp URL", "ftp://gitlab.com/g/p"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ParseGitLabURL(tc.url)
			assert.ErrorIs(t, err, ErrNotGitLabURL)
		})
	}
}
