package gitlabfake

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzRequest sends arbitrary paths and query strings to the API. Properties:
// no panic; only statuses GitLab uses here; a JSON Content-Type always
// carries valid JSON; security headers and a request id on every /api answer.
func FuzzRequest(f *testing.F) {
	for _, seed := range []string{
		"/api/v4/projects/7/jobs?scope[0]=running&per_page=3",
		"/api/v4/projects/demo%2Fplatform%2Fapi/jobs?pagination=keyset&cursor=eyJpZCI6IjEyMyIsIl9rZCI6Im4ifQ==",
		"/api/v4/projects/7/jobs?pagination=keyset&cursor=%%%",
		"/api/v4/projects/7/pipelines?scope=tags&order_by=ref&sort=asc&updated_after=2026-01-01T00:00:00Z",
		"/api/v4/projects/7/jobs/abc/trace",
		"/api/v4/projects/%2F%2F/jobs",
		"/api/v4/projects?search=a+b&pagination=keyset&order_by=id&id_after=x",
		"/api/v3/anything",
		"/api/v4/projects/7/jobs/1/artifacts/../../etc/passwd",
	} {
		f.Add(seed)
	}
	srv := New(Options{Frozen: true, Clock: NewManualClock(testStart)})
	allowed := map[int]bool{200: true, 204: true, 400: true, 401: true, 403: true, 404: true, 405: true, 410: true}
	f.Fuzz(func(t *testing.T, target string) {
		if !strings.HasPrefix(target, "/") || strings.ContainsAny(target, " \r\n#") {
			return
		}
		req, err := http.NewRequest("GET", "http://gitlab.test"+target, nil)
		if err != nil {
			return
		}
		req.Header.Set("PRIVATE-TOKEN", DefaultToken)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Header().Get("X-Request-Id") == "" {
			t.Fatalf("%s: no X-Request-Id", target)
		}
		if !strings.HasPrefix(req.URL.EscapedPath(), "/api/") {
			return
		}
		if !allowed[rec.Code] {
			t.Fatalf("%s: status %d", target, rec.Code)
		}
		if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("%s: no security headers", target)
		}
		if rec.Header().Get("Content-Type") == "application/json" && !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%s: invalid JSON %.200q", target, rec.Body.Bytes())
		}
	})
}
