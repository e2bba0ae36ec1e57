package gitlabfake

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRoutes checks each endpoint's status and error body (gitlab-api.md §1,
// §3, §5, §11).
func TestRoutes(t *testing.T) {
	h := newHarness(t, Options{})
	showcase := itoa(h.srv.showcase.ID)
	var bridge, build *job
	for _, j := range h.srv.showcase.jobs {
		if j.bridge {
			bridge = j
		} else if build == nil {
			build = j
		}
	}
	require.NotNil(t, bridge)
	b, j := itoa(bridge.ID), itoa(build.ID)
	cases := []struct {
		name, method, path string
		status             int
		body               string // exact body, when set
		contains           string
	}{
		{"the current user is served", "GET", "/api/v4/user", 200, "", `"username":"jobscope-demo"`},
		{"a project is found by id", "GET", "/api/v4/projects/7", 200, "", `"path_with_namespace":"demo/platform/api"`},
		{"a project is found by its URL-encoded path (§3)", "GET", "/api/v4/projects/demo%2Fplatform%2Fapi", 200, "", `"id":7`},
		{"a project path is case-insensitive", "GET", "/api/v4/projects/DEMO%2Fplatform%2FAPI", 200, "", `"id":7`},
		{"an unencoded path falls to the catch-all route (§3)", "GET", "/api/v4/projects/demo/platform/api/jobs", 404, `{"error":"404 Not Found"}`, ""},
		{"a bare project name is not found (§3)", "GET", "/api/v4/projects/api", 404, `{"message":"404 Project Not Found"}`, ""},
		{"an unknown project id is not found", "GET", "/api/v4/projects/999999", 404, `{"message":"404 Project Not Found"}`, ""},
		{"an unknown route is the catch-all 404 (§1)", "GET", "/api/v4/nope", 404, `{"error":"404 Not Found"}`, ""},
		{"API v3 is gone (§1)", "GET", "/api/v3/projects", 410, `{"error":"API V3 is no longer supported. Use API V4 instead."}`, ""},
		{"an unknown job is lowercase 'Not found' (§3)", "GET", "/api/v4/projects/7/jobs/1", 404, `{"message":"404 Not found"}`, ""},
		{"a job of another project is not found (§3)", "GET", "/api/v4/projects/12/jobs/" + j, 404, `{"message":"404 Not found"}`, ""},
		{"a non-numeric job id is a 400 (§3)", "GET", "/api/v4/projects/7/jobs/abc", 400, `{"error":"job_id is invalid"}`, ""},
		{"a bridge is 404 as a single job (§3)", "GET", "/api/v4/projects/7/jobs/" + b, 404, `{"message":"404 Not found"}`, ""},
		{"a bridge has no trace (§3)", "GET", "/api/v4/projects/7/jobs/" + b + "/trace", 404, `{"message":"404 Not found"}`, ""},
		{"a bridge cannot be canceled (§3)", "POST", "/api/v4/projects/7/jobs/" + b + "/cancel", 404, `{"message":"404 Not found"}`, ""},
		{"a bridge cannot be erased (§3)", "POST", "/api/v4/projects/7/jobs/" + b + "/erase", 404, `{"message":"404 Not found"}`, ""},
		{"a bridge can be retried (find_job!, §3)", "POST", "/api/v4/projects/7/jobs/" + b + "/retry", 201, "", `"downstream_pipeline":`},
		{"a job is served", "GET", "/api/v4/projects/7/jobs/" + j, 200, "", `"id":` + j},
		{"an unknown pipeline is lowercase 'Not found' (§5.2)", "GET", "/api/v4/projects/7/pipelines/1", 404, `{"message":"404 Not found"}`, ""},
		{"pipeline jobs of an unknown pipeline are 404 (§5.2)", "GET", "/api/v4/projects/7/pipelines/1/jobs", 404, `{"message":"404 Not found"}`, ""},
		{"a pipeline is served with detailed_status (§11)", "GET", "/api/v4/projects/7/pipelines/" + showcase, 200, "", `"detailed_status":{`},
		{"bridges of a pipeline are listed (§5.3)", "GET", "/api/v4/projects/7/pipelines/" + showcase + "/bridges", 200, "", `"downstream_pipeline":{`},
		{"trigger_jobs is the 19.2 alias of bridges (§5.3)", "GET", "/api/v4/projects/7/pipelines/" + showcase + "/trigger_jobs", 200, "", `"name":"integration-suite"`},
		{"artifacts are downloaded as a zip (§11)", "GET", "/api/v4/projects/7/jobs/" + j + "/artifacts", 200, "", "PK"},
		{"one artifact file is extracted (§11)", "GET", "/api/v4/projects/7/jobs/" + j + "/artifacts/report.txt", 200, "", "report"},
		{"a missing artifact file is 404 (§11)", "GET", "/api/v4/projects/7/jobs/" + j + "/artifacts/nope.txt", 404, `{"message":"404 Not Found"}`, ""},
		{"a wrong method on a known path is 405", "GET", "/api/v4/projects/7/jobs/" + j + "/cancel", 405, `{"error":"405 Not Allowed"}`, ""},
		{"unknown query parameters are ignored", "GET", "/api/v4/projects/7/jobs?frobnicate=1&per_page=1", 200, "", `"id":`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := h.do(tc.method, tc.path, "", "PRIVATE-TOKEN", DefaultToken)
			assert.Equal(t, tc.status, r.status, "body: %.200s", r.body)
			if tc.body != "" {
				assert.Equal(t, tc.body, string(r.body))
			}
			if tc.contains != "" {
				assert.Contains(t, string(r.body), tc.contains)
			}
		})
	}
}

// TestResponseHeaders checks the headers every API response carries (§1, §4).
func TestResponseHeaders(t *testing.T) {
	h := newHarness(t, Options{})
	for _, path := range []string{"/api/v4/projects/7/jobs", "/api/v4/nope", "/api/v4/projects/7/jobs/1"} {
		t.Run("security headers and a request id on "+path, func(t *testing.T) {
			r := h.get(path)
			assert.Equal(t, "SAMEORIGIN", r.header.Get("X-Frame-Options"))
			assert.Equal(t, "nosniff", r.header.Get("X-Content-Type-Options"))
			assert.Equal(t, "default-src 'none'", r.header.Get("Content-Security-Policy"))
			assert.Len(t, r.header.Get("X-Request-Id"), 26)
			assert.Equal(t, "application/json", r.header.Get("Content-Type"))
			assert.Equal(t, "Origin", r.header.Get("Vary"))
		})
	}
	t.Run("request ids differ between requests", func(t *testing.T) {
		assert.NotEqual(t, h.get("/api/v4/user").header.Get("X-Request-Id"), h.get("/api/v4/user").header.Get("X-Request-Id"))
	})
}

// TestTrace checks the trace endpoint (§5.7).
func TestTrace(t *testing.T) {
	h := newHarness(t, Options{})
	j := h.jobIn(statusFailed, func(j *job) bool { return j.log != nil })
	r := h.get("/api/v4/projects/7/jobs/" + itoa(j.ID) + "/trace")
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "text/plain", r.header.Get("Content-Type"))
	assert.Equal(t, `infile; filename="`+itoa(j.ID)+`.log"`, r.header.Get("Content-Disposition"))
	assert.Contains(t, string(r.body), "\x1b[", "the raw log keeps its ANSI escapes")
	assert.Contains(t, string(r.body), "section_start:", "and its section markers")

	t.Run("a job without a log answers 200 with an empty body", func(t *testing.T) {
		m := h.jobIn(statusManual, nil)
		r := h.get("/api/v4/projects/7/jobs/" + itoa(m.ID) + "/trace")
		assert.Equal(t, http.StatusOK, r.status)
		assert.Empty(t, r.body)
	})
	t.Run("huge-log has 500,000 lines and is on the first page of the jobs list", func(t *testing.T) {
		var first []jobJSON
		h.get("/api/v4/projects/7/jobs").json(t, &first)
		var id int64
		for _, j := range first {
			if j.Name == "huge-log" {
				id = j.ID
			}
		}
		require.NotZero(t, id, "huge-log not on page 1")
		r := h.get("/api/v4/projects/7/jobs/" + itoa(id) + "/trace")
		require.Equal(t, http.StatusOK, r.status)
		assert.Equal(t, 500_000, strings.Count(string(r.body), "\n"))
	})
}

// TestHostileSeedData checks the hostile text the safety tests rely on
// (issue 2): HTML, script and bidi controls in names, refs and commits, and
// broken UTF-8 in logs. JSON keeps them as text, unescaped like GitLab's.
func TestHostileSeedData(t *testing.T) {
	h := newHarness(t, Options{})
	var js []map[string]any
	h.get("/api/v4/projects/7/jobs?per_page=100").json(t, &js)
	names := map[string]map[string]any{}
	for _, j := range js {
		names[j["name"].(string)] = j
	}
	for _, name := range []string{hostileHTML, hostileScript, "test " + hostileBidi, "broken-utf8"} {
		require.Contains(t, names, name)
	}
	j := names[hostileScript]
	assert.Contains(t, j["ref"], "<script>")
	assert.Contains(t, j["commit"].(map[string]any)["message"], "\u202e")
	assert.Contains(t, j["user"].(map[string]any)["name"], "onerror")
	assert.Contains(t, string(h.get("/api/v4/projects/7/jobs?per_page=100").body), `<img src=x onerror=alert(1)>`, "no \\u003c escaping")
	trace := h.get("/api/v4/projects/7/jobs/" + itoa(int64(names["broken-utf8"]["id"].(float64))) + "/trace").body
	assert.Contains(t, string(trace), "\xff\xfe")
	hostileLog := h.get("/api/v4/projects/7/jobs/" + itoa(int64(j["id"].(float64))) + "/trace").body
	assert.NotEmpty(t, hostileLog)
}
