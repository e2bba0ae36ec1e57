package gitlabfake

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestAuth checks how each credential is answered (gitlab-api.md §2, §5.4).
func TestAuth(t *testing.T) {
	h := newHarness(t, Options{Token: "glpat-custom-token-123"})
	running := h.jobIn(statusRunning, nil)
	finished := h.jobIn(statusSuccess, func(j *job) bool { return j.token == "" })
	h.srv.mu.Lock()
	finishedToken := h.srv.jobToken(finished)
	h.srv.jobTokens[finishedToken] = finished // a token GitLab knows, of a finished job
	h.srv.mu.Unlock()
	manual := h.jobIn(statusManual, func(j *job) bool { return j.When == "manual" })
	const unauthorized = `{"message":"401 Unauthorized"}`
	cases := []struct {
		name    string
		method  string
		path    string
		headers []string
		status  int
		body    string
	}{
		{"no credential on the jobs list is 401", "GET", "/api/v4/projects/7/jobs", nil, 401, unauthorized},
		{"an unknown token is 401", "GET", "/api/v4/projects/7/jobs", []string{"PRIVATE-TOKEN", "glpat-nope"}, 401, unauthorized},
		{"the default token is refused when another is configured", "GET", "/api/v4/user", []string{"PRIVATE-TOKEN", DefaultToken}, 401, unauthorized},
		{"the configured token works in PRIVATE-TOKEN", "GET", "/api/v4/user", []string{"PRIVATE-TOKEN", "glpat-custom-token-123"}, 200, ""},
		{"the configured token works as Bearer", "GET", "/api/v4/user", []string{"Authorization", "Bearer glpat-custom-token-123"}, 200, ""},
		{"the configured token works as private_token", "GET", "/api/v4/user?private_token=glpat-custom-token-123", nil, 200, ""},
		{"an expired token gets the OAuth body (§2.2)", "GET", "/api/v4/user", []string{"PRIVATE-TOKEN", ExpiredToken}, 401,
			`{"error":"invalid_token","error_description":"Token is expired. You can either do re-authorization or token refresh."}`},
		{"a revoked token gets the OAuth body (§2.2)", "GET", "/api/v4/user", []string{"PRIVATE-TOKEN", RevokedToken}, 401,
			`{"error":"invalid_token","error_description":"Token was revoked. You have to re-authorize from the user."}`},
		{"read_api may read jobs (§2.1)", "GET", "/api/v4/projects/7/jobs", []string{"PRIVATE-TOKEN", ReadAPIToken}, 200, ""},
		{"read_api may not act (§2.1)", "POST", "/api/v4/projects/7/jobs/" + itoa(manual.ID) + "/play", []string{"PRIVATE-TOKEN", ReadAPIToken}, 403,
			`{"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token.","scope":"api"}`},
		{"a Guest may not read jobs of a private project (§5)", "GET", "/api/v4/projects/7/jobs", []string{"PRIVATE-TOKEN", GuestToken}, 403, `{"message":"403 Forbidden"}`},
		{"a Guest sees the private project itself", "GET", "/api/v4/projects/7", []string{"PRIVATE-TOKEN", GuestToken}, 200, ""},
		{"a Guest gets [] for pipeline jobs, not 403 (§5.2)", "GET", "/api/v4/projects/7/pipelines/" + itoa(h.srv.showcase.ID) + "/jobs", []string{"PRIVATE-TOKEN", GuestToken}, 200, "[]"},
		{"a Guest may not read bridges (§5.3)", "GET", "/api/v4/projects/7/pipelines/" + itoa(h.srv.showcase.ID) + "/bridges", []string{"PRIVATE-TOKEN", GuestToken}, 403, `{"message":"403 Forbidden"}`},
		{"a Guest may not cancel (§8.3)", "POST", "/api/v4/projects/7/jobs/" + itoa(running.ID) + "/cancel", []string{"PRIVATE-TOKEN", GuestToken}, 403, `{"message":"403 Forbidden"}`},
		{"a Guest may read jobs of a public project", "GET", "/api/v4/projects/15/jobs", []string{"PRIVATE-TOKEN", GuestToken}, 200, ""},
		{"anonymous may read a public project's pipelines (§11)", "GET", "/api/v4/projects/15/pipelines", nil, 200, ""},
		{"anonymous may not see a private project (§3)", "GET", "/api/v4/projects/7", nil, 404, `{"message":"404 Project Not Found"}`},
		{"a running job's token reads GET /job (§5.4)", "GET", "/api/v4/job", []string{"JOB-TOKEN", running.token}, 200, ""},
		{"a job token also works as job_token (§2.1)", "GET", "/api/v4/job?job_token=" + running.token, nil, 200, ""},
		{"a job token also works as Bearer on /job (§2.1)", "GET", "/api/v4/job", []string{"Authorization", "Bearer " + running.token}, 200, ""},
		{"a finished job's token is 401 (§2.1)", "GET", "/api/v4/job", []string{"JOB-TOKEN", finishedToken}, 401, unauthorized},
		{"a personal token on /job is 404 Job Not Found (§5.4)", "GET", "/api/v4/job", []string{"PRIVATE-TOKEN", "glpat-custom-token-123"}, 404, `{"message":"404 Job Not Found"}`},
		{"no credential on /job is 401 (§5.4)", "GET", "/api/v4/job", nil, 401, unauthorized},
		{"allowed_agents answers a job token (§5.5)", "GET", "/api/v4/job/allowed_agents", []string{"JOB-TOKEN", running.token}, 200, ""},
		{"a job token may list its project's jobs (§2.1)", "GET", "/api/v4/projects/7/jobs", []string{"JOB-TOKEN", running.token}, 200, ""},
		{"a job token is not looked at on the single-job route (§2.1)", "GET", "/api/v4/projects/7/jobs/" + itoa(running.ID), []string{"JOB-TOKEN", running.token}, 401, unauthorized},
		{"a job token sees no other private project", "GET", "/api/v4/projects/12/jobs", []string{"JOB-TOKEN", running.token}, 404, `{"message":"404 Project Not Found"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := h.do(tc.method, tc.path, "", tc.headers...)
			assert.Equal(t, tc.status, r.status, "body: %.200s", r.body)
			if tc.body != "" {
				assert.Equal(t, tc.body, string(r.body))
			}
		})
	}
}

// TestCORS checks rack-cors' answers for /api/* (§10).
func TestCORS(t *testing.T) {
	h := newHarness(t, Options{BaseURL: "https://gitlab.example.com"})
	t.Run("a preflight is 200 with an empty body before auth", func(t *testing.T) {
		r := h.do("OPTIONS", "/api/v4/projects/7/jobs", "", "Origin", "https://app.example",
			"Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "private-token, content-type")
		assert.Equal(t, 200, r.status)
		assert.Empty(t, r.body)
		assert.Equal(t, "*", r.header.Get("Access-Control-Allow-Origin"))
		assert.Equal(t, "private-token, content-type", r.header.Get("Access-Control-Allow-Headers"))
		assert.Equal(t, "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS", r.header.Get("Access-Control-Allow-Methods"))
		assert.Equal(t, "7200", r.header.Get("Access-Control-Max-Age"))
		assert.Equal(t, "Origin", r.header.Get("Vary"))
		assert.Empty(t, r.header.Get("Access-Control-Allow-Credentials"))
	})
	t.Run("a preflight of an unknown API path is answered too", func(t *testing.T) {
		r := h.do("OPTIONS", "/api/v4/whatever", "", "Origin", "chrome-extension://abc", "Access-Control-Request-Method", "POST")
		assert.Equal(t, 200, r.status)
	})
	t.Run("an error response carries CORS headers and the expose list", func(t *testing.T) {
		r := h.do("GET", "/api/v4/projects/7/jobs", "", "Origin", "https://app.example")
		assert.Equal(t, 401, r.status)
		assert.Equal(t, "*", r.header.Get("Access-Control-Allow-Origin"))
		assert.Equal(t, exposedHeaders, r.header.Get("Access-Control-Expose-Headers"))
		assert.Contains(t, r.header.Get("Access-Control-Expose-Headers"), "X-Next-Page")
	})
	t.Run("GitLab's own origin gets credentials and its origin echoed (rule 1)", func(t *testing.T) {
		r := h.do("GET", "/api/v4/user", "", "Origin", "https://gitlab.example.com", "PRIVATE-TOKEN", DefaultToken)
		assert.Equal(t, "https://gitlab.example.com", r.header.Get("Access-Control-Allow-Origin"))
		assert.Equal(t, "true", r.header.Get("Access-Control-Allow-Credentials"))
	})
	t.Run("a request without Origin gets no CORS headers but Vary", func(t *testing.T) {
		r := h.get("/api/v4/user")
		assert.Empty(t, r.header.Get("Access-Control-Allow-Origin"))
		assert.Equal(t, "Origin", r.header.Get("Vary"))
	})
}
