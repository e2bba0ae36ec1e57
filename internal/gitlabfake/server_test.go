package gitlabfake

import (
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestZeroConfigServerJustWorks(t *testing.T) {
	ts := httptest.NewServer(New(Options{Frozen: true}))
	defer ts.Close()
	h := &harness{t: t, ts: ts}
	r := h.get("/api/v4/projects/demo%2Fplatform%2Fapi/jobs?per_page=5")
	require.Equal(t, 200, r.status)
	var js []jobJSON
	r.json(t, &js)
	assert.Len(t, js, 5)
}

func TestHeadIsGetWithoutBody(t *testing.T) {
	h := newHarness(t, Options{})
	get := h.get("/api/v4/projects/7/jobs")
	head := h.do("HEAD", "/api/v4/projects/7/jobs", "", "PRIVATE-TOKEN", DefaultToken)
	assert.Equal(t, 200, head.status)
	assert.Empty(t, head.body)
	assert.Equal(t, get.header.Get("X-Next-Page"), head.header.Get("X-Next-Page"))
	assert.Equal(t, get.header.Get("Content-Length"), head.header.Get("Content-Length"))
}

// TestInfo checks what the command prints first (issue 2).
func TestInfo(t *testing.T) {
	h := newHarness(t, Options{})
	info := h.srv.Info()
	assert.Equal(t, DefaultToken, info.Token)
	assert.Equal(t, []string{"demo/platform/api", "demo/web-frontend", "demo/docs", "demo/flaky-service"}, info.Projects)
	raw, err := json.Marshal(info)
	require.NoError(t, err)
	assert.Equal(t, `{"api_url":"","token":"glpat-jobscope-demo-token","projects":["demo/platform/api","demo/web-frontend","demo/docs","demo/flaky-service"],"pipeline_id":`+
		itoa(info.PipelineID)+`,"job_token":"`+info.JobToken+`"}`, string(raw), "exactly the agreed keys, in order")

	t.Run("pipeline_id has a retried job and a bridge with a downstream pipeline", func(t *testing.T) {
		var all, latest, bridges []jobJSON
		base := "/api/v4/projects/7/pipelines/" + itoa(info.PipelineID)
		h.get(base+"/jobs?include_retried=true&per_page=100").json(t, &all)
		h.get(base+"/jobs?per_page=100").json(t, &latest)
		h.get(base+"/bridges").json(t, &bridges)
		assert.Greater(t, len(all), len(latest))
		require.Len(t, bridges, 1)
		require.NotNil(t, bridges[0].DownstreamPipeline)
		assert.Equal(t, 200, h.get("/api/v4/projects/7/pipelines/"+itoa(bridges[0].DownstreamPipeline.ID)).status)
	})
	t.Run("job_token is a running job's", func(t *testing.T) {
		var j jobJSON
		h.do("GET", "/api/v4/job", "", "JOB-TOKEN", info.JobToken).json(t, &j)
		assert.Equal(t, "running", j.Status)
	})
	t.Run("the control endpoint fills api_url from the request", func(t *testing.T) {
		var got Info
		h.do("GET", "/-/emulator/info", "").json(t, &got)
		assert.Equal(t, h.ts.URL+"/api/v4", got.APIURL)
		assert.Equal(t, info.PipelineID, got.PipelineID)
	})
}

func TestLiveDemoKeepsMoving(t *testing.T) {
	h := newHarness(t, Options{})
	var before []map[string]any
	h.get("/api/v4/projects/12/pipelines").json(t, &before)
	h.clock.Advance(spawnEvery)
	var after []map[string]any
	h.get("/api/v4/projects/12/pipelines").json(t, &after)
	require.Len(t, after, len(before)+1, "a new pipeline starts every few minutes")
	assert.Equal(t, "pending", after[0]["status"], "its first jobs are queued")
	h.clock.Advance(30 * time.Minute)
	var later map[string]any
	h.get("/api/v4/projects/12/pipelines/"+itoa(int64(after[0]["id"].(float64)))).json(t, &later)
	assert.Contains(t, []any{"success", "failed"}, later["status"], "and it finishes")

	t.Run("a frozen server does not spawn until its clock is moved", func(t *testing.T) {
		srv := New(Options{Frozen: true})
		n := len(srv.projects[1].pipelines)
		srv.Info()
		assert.Len(t, srv.projects[1].pipelines, n)
	})
}

func TestSingleProjectAndProjects(t *testing.T) {
	h := newHarness(t, Options{})
	cases := []struct {
		name, path string
		status     int
		ids        []float64
	}{
		{"projects default to created_at desc", "/api/v4/projects", 200, []float64{15, 12, 7, 21}},
		{"order_by=id sort=asc", "/api/v4/projects?order_by=id&sort=asc", 200, []float64{7, 12, 15, 21}},
		{"search matches path and description, terms ANDed", "/api/v4/projects?search=platform+rest", 200, []float64{7}},
		{"simple=true still lists", "/api/v4/projects?simple=true&search=docs", 200, []float64{15}},
		{"membership=true lists member projects", "/api/v4/projects?membership=true&order_by=id", 200, []float64{21, 15, 12, 7}},
		{"an invalid order_by is a 400", "/api/v4/projects?order_by=bogus", 400, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := h.get(tc.path)
			require.Equal(t, tc.status, r.status, "%s", r.body)
			if tc.ids == nil {
				return
			}
			var ps []map[string]any
			r.json(t, &ps)
			var ids []float64
			for _, p := range ps {
				ids = append(ids, p["id"].(float64))
			}
			assert.Equal(t, tc.ids, ids)
		})
	}
	t.Run("anonymous lists only public projects", func(t *testing.T) {
		var ps []map[string]any
		h.do("GET", "/api/v4/projects", "").json(t, &ps)
		require.Len(t, ps, 1)
		assert.Equal(t, "demo/docs", ps[0]["path_with_namespace"])
	})
	t.Run("pipelines filter by status, scope and ref", func(t *testing.T) {
		for _, q := range []string{"status=running", "scope=running", "scope=finished", "ref=main", "scope=tags", "scope=branches"} {
			r := h.get("/api/v4/projects/7/pipelines?per_page=100&" + q)
			assert.Equal(t, 200, r.status, q)
		}
		assert.Equal(t, 400, h.get("/api/v4/projects/7/pipelines?scope=bogus").status)
		assert.Equal(t, 400, h.get("/api/v4/projects/7/pipelines?status=bogus").status)
		var pls []map[string]any
		h.get("/api/v4/projects/7/pipelines?status=running").json(t, &pls)
		require.NotEmpty(t, pls)
		for _, p := range pls {
			assert.Equal(t, "running", p["status"])
		}
		h.get("/api/v4/projects/7/pipelines?source=parent_pipeline").json(t, &pls)
		assert.Len(t, pls, 1, "child pipelines only with source=parent_pipeline (§11)")
	})
}
