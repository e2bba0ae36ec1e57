package gitlabfake

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/*.json")

// TestEntityGoldens pins the entities' shapes (gitlab-api.md §6, §11) on the
// deterministic seed: review a diff of testdata/golden like code.
func TestEntityGoldens(t *testing.T) {
	h := newHarness(t, Options{BaseURL: "https://gitlab.example.com"})
	var unitTests, bridge *job
	for _, j := range h.srv.showcase.jobs {
		switch {
		case j.bridge:
			bridge = j
		case j.Name == "unit-tests" && !j.retried:
			unitTests = j
		}
	}
	require.NotNil(t, unitTests)
	require.NotNil(t, bridge)
	pl := itoa(h.srv.showcase.ID)
	cases := []struct{ name, path string }{
		{"job", "/api/v4/projects/7/jobs/" + itoa(unitTests.ID)},
		{"running_job", "/api/v4/projects/7/jobs/" + itoa(h.srv.liveJob.ID)},
		{"bridges", "/api/v4/projects/7/pipelines/" + pl + "/bridges"},
		{"pipeline", "/api/v4/projects/7/pipelines/" + pl},
		{"pipelines", "/api/v4/projects/7/pipelines?per_page=2"},
		{"project", "/api/v4/projects/7"},
		{"projects_simple", "/api/v4/projects?simple=true&per_page=1"},
		{"user", "/api/v4/user"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := h.get(tc.path)
			require.Equal(t, 200, r.status, "%s", r.body)
			var pretty bytes.Buffer
			require.NoError(t, json.Indent(&pretty, r.body, "", "  "))
			pretty.WriteByte('\n')
			path := filepath.Join("testdata", "golden", tc.name+".json")
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
				require.NoError(t, os.WriteFile(path, pretty.Bytes(), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run with -update to create it")
			assert.Equal(t, string(want), pretty.String())
		})
	}
}
