package gitlabfake

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSeedFile(t *testing.T) {
	h := newHarness(t, Options{SeedFile: "testdata/fixtures.json"})
	t.Run("a fixture project is served by path", func(t *testing.T) {
		r := h.get("/api/v4/projects/fixtures%2Frender-bugs")
		require.Equal(t, 200, r.status, "%s", r.body)
		assert.Contains(t, string(r.body), `"id":901`)
	})
	t.Run("a fixture job keeps its fields and derives duration from timestamps", func(t *testing.T) {
		var got map[string]any
		h.get("/api/v4/projects/901/jobs/9900001").json(t, &got)
		assert.Equal(t, "failed", got["status"])
		assert.Equal(t, "script_failure", got["failure_reason"])
		assert.Equal(t, 60.5, got["duration"])
		assert.Equal(t, 5.0, got["queued_duration"])
		assert.Equal(t, "2026-01-01T00:01:05.500Z", got["finished_at"])
		assert.Equal(t, "my-runner", got["runner"].(map[string]any)["description"], "other fields are rendered verbatim")
		assert.Equal(t, "Reproduce issue 42", got["commit"].(map[string]any)["title"])
	})
	t.Run("a log file next to the JSON is the trace", func(t *testing.T) {
		want, err := os.ReadFile(filepath.Join("testdata", "traces", "render-bug.log"))
		require.NoError(t, err)
		assert.Equal(t, want, h.get("/api/v4/projects/901/jobs/9900001/trace").body)
	})
	t.Run("an inline log is the trace and a running fixture job stays as written", func(t *testing.T) {
		var js []jobJSON
		h.get("/api/v4/projects/901/jobs?scope=running").json(t, &js)
		require.Len(t, js, 1)
		h.clock.Advance(24 * 3600e9)
		r := h.get("/api/v4/projects/901/jobs/" + itoa(js[0].ID) + "/trace")
		assert.Equal(t, "\x1b[32mhello\x1b[0m\nstill running\n", string(r.body))
		var j jobJSON
		h.get("/api/v4/projects/901/jobs/"+itoa(js[0].ID)).json(t, &j)
		assert.Equal(t, "running", j.Status)
	})
	t.Run("pipelines can be added to a seeded project", func(t *testing.T) {
		var pls []map[string]any
		h.get("/api/v4/projects/7/pipelines?ref=fixture-branch").json(t, &pls)
		require.Len(t, pls, 1)
		assert.Equal(t, "success", pls[0]["status"])
	})
}

func TestSeedFileErrors(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, json, want string
	}{
		{"a missing file", "", "no such file"},
		{"not JSON", "{", "unexpected EOF"},
		{"an unknown top-level field", `{"projets":[]}`, "unknown field"},
		{"a project path without a group", `{"projects":[{"path_with_namespace":"solo"}]}`, "must be group/.../project"},
		{"an unknown job status", `{"projects":[{"path_with_namespace":"a/b","pipelines":[{"jobs":[{"name":"x","status":"bogus"}]}]}]}`, `projects[0].pipelines[0].jobs[0]: invalid fixture: status "bogus"`},
		{"a job without a name", `{"projects":[{"path_with_namespace":"a/b","pipelines":[{"jobs":[{}]}]}]}`, "needs a name"},
		{"a log file that does not exist", `{"projects":[{"path_with_namespace":"a/b","pipelines":[{"jobs":[{"name":"x","log_file":"nope.log"}]}]}]}`, "nope.log"},
		{"a duplicate job id", `{"projects":[{"path_with_namespace":"a/b","pipelines":[{"jobs":[{"name":"x","id":5},{"name":"y","id":5}]}]}]}`, "job id 5 is taken"},
	}
	for i, tc := range cases {
		t.Run(tc.name+" is a clear error", func(t *testing.T) {
			path := filepath.Join(dir, "missing.json")
			if tc.json != "" {
				path = filepath.Join(dir, "f"+itoa(i)+".json")
				require.NoError(t, os.WriteFile(path, []byte(tc.json), 0o600))
			}
			_, err := Open(Options{Clock: NewManualClock(testStart), SeedFile: path})
			require.Error(t, err)
			assert.ErrorContains(t, err, tc.want)
			assert.Panics(t, func() { New(Options{Clock: NewManualClock(testStart), SeedFile: path}) }, "New is the Must form")
		})
	}
}
