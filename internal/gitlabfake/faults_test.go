package gitlabfake

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFaults(t *testing.T) {
	cases := []struct {
		name  string
		fault Fault
		check func(t *testing.T, resp *http.Response, body []byte, err error)
	}{
		{"a 503 comes as a proxy's HTML page", Fault{Status: 503}, func(t *testing.T, resp *http.Response, body []byte, err error) {
			require.NoError(t, err)
			assert.Equal(t, 503, resp.StatusCode)
			assert.Equal(t, "text/html", resp.Header.Get("Content-Type"))
			assert.Contains(t, string(body), "503 Service Unavailable")
		}},
		{"a 500 has GitLab's JSON body (§4)", Fault{Status: 500}, func(t *testing.T, resp *http.Response, body []byte, err error) {
			require.NoError(t, err)
			assert.Equal(t, 500, resp.StatusCode)
			assert.Equal(t, `{"message":"500 Internal Server Error"}`, string(body))
		}},
		{"a 429 is Rack::Attack's (§9)", Fault{Status: 429}, func(t *testing.T, resp *http.Response, body []byte, err error) {
			require.NoError(t, err)
			assert.Equal(t, 429, resp.StatusCode)
			assert.Equal(t, "Retry later\n", string(body))
			assert.NotEmpty(t, resp.Header.Get("Retry-After"))
		}},
		{"a malformed body is not JSON", Fault{Malformed: true}, func(t *testing.T, resp *http.Response, body []byte, err error) {
			require.NoError(t, err)
			assert.Equal(t, 200, resp.StatusCode)
			assert.False(t, json.Valid(body))
		}},
		{"a truncated body is a complete message with broken JSON", Fault{Truncated: true}, func(t *testing.T, resp *http.Response, body []byte, err error) {
			require.NoError(t, err)
			assert.Equal(t, 200, resp.StatusCode)
			assert.Equal(t, int64(len(body)), resp.ContentLength)
			var v any
			assert.Error(t, json.Unmarshal(body, &v))
		}},
		{"a dropped connection is a transport error", Fault{Drop: true}, func(t *testing.T, resp *http.Response, body []byte, err error) {
			assert.Error(t, err)
		}},
		{"latency delays the real answer", Fault{Latency: 30 * time.Millisecond}, func(t *testing.T, resp *http.Response, body []byte, err error) {
			require.NoError(t, err)
			assert.Equal(t, 200, resp.StatusCode)
			assert.True(t, json.Valid(body))
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, Options{})
			h.srv.SetFault(RouteProjectJobs, tc.fault)
			req, _ := http.NewRequest("GET", h.ts.URL+"/api/v4/projects/7/jobs", nil)
			req.Header.Set("PRIVATE-TOKEN", DefaultToken)
			resp, err := h.ts.Client().Do(req)
			var body []byte
			if err == nil {
				body, _ = io.ReadAll(resp.Body)
				resp.Body.Close()
			}
			tc.check(t, resp, body, err)
			assert.Equal(t, 200, h.get("/api/v4/projects/7").status, "other routes are not affected")
		})
	}
}

func TestFaultControl(t *testing.T) {
	h := newHarness(t, Options{})
	t.Run("a fault set over HTTP applies Times times, then clears", func(t *testing.T) {
		r := h.do("POST", "/-/emulator/faults", `{"route":"GET /projects/:id/jobs","status":502,"times":2}`)
		require.Equal(t, 200, r.status, "%s", r.body)
		assert.Equal(t, 502, h.get("/api/v4/projects/7/jobs").status)
		assert.Equal(t, 502, h.get("/api/v4/projects/7/jobs").status)
		assert.Equal(t, 200, h.get("/api/v4/projects/7/jobs").status)
	})
	t.Run("the * route faults every API route until DELETE", func(t *testing.T) {
		require.Equal(t, 200, h.do("POST", "/-/emulator/faults", `{"route":"*","status":500}`).status)
		assert.Equal(t, 500, h.get("/api/v4/user").status)
		r := h.do("GET", "/-/emulator/faults", "")
		assert.Contains(t, string(r.body), `"*"`)
		require.Equal(t, 200, h.do("DELETE", "/-/emulator/faults", "").status)
		assert.Equal(t, 200, h.get("/api/v4/user").status)
	})
	t.Run("bad fault requests are refused with a reason", func(t *testing.T) {
		for _, body := range []string{`{"route":"GET /nope"}`, `{"route":"*","latency":"x"}`, `{"route":"*","status":200}`, `{"route":"*","bogus":1}`} {
			r := h.do("POST", "/-/emulator/faults", body)
			assert.Equal(t, 400, r.status, body)
			assert.Contains(t, string(r.body), `"error"`)
		}
	})
}

func TestRateLimits(t *testing.T) {
	t.Run("the jobs list's application limit answers JSON without Retry-After (§9)", func(t *testing.T) {
		h := newHarness(t, Options{RateLimit: RateLimit{ProjectJobsPerMinute: 2}})
		assert.Equal(t, 200, h.get("/api/v4/projects/7/jobs").status)
		assert.Equal(t, 200, h.get("/api/v4/projects/7/jobs").status)
		r := h.get("/api/v4/projects/7/jobs")
		assert.Equal(t, 429, r.status)
		assert.Equal(t, `{"message":{"error":"This endpoint has been requested too many times. Try again later."}}`, string(r.body))
		assert.Empty(t, r.header.Get("Retry-After"))
		assert.Equal(t, 200, h.get("/api/v4/projects/7").status, "other endpoints are not limited")
		h.clock.Advance(time.Minute)
		assert.Equal(t, 200, h.get("/api/v4/projects/7/jobs").status, "the window resets on the clock")
	})
	t.Run("Rack::Attack answers text with Retry-After and RateLimit-* (§9)", func(t *testing.T) {
		h := newHarness(t, Options{RateLimit: RateLimit{RequestsPerMinute: 1}})
		ok := h.get("/api/v4/user")
		assert.Equal(t, 200, ok.status)
		assert.Equal(t, "1", ok.header.Get("RateLimit-Limit"))
		r := h.do("GET", "/api/v4/user", "", "PRIVATE-TOKEN", DefaultToken, "Origin", "https://app.example")
		assert.Equal(t, 429, r.status)
		assert.Equal(t, "text/plain", r.header.Get("Content-Type"))
		assert.Equal(t, "Retry later\n", string(r.body))
		assert.Equal(t, "throttle_authenticated_api", r.header.Get("RateLimit-Name"))
		assert.Equal(t, "0", r.header.Get("RateLimit-Remaining"))
		assert.Equal(t, itoa(60-testStart.Unix()%60), r.header.Get("Retry-After"))
		assert.NotEmpty(t, r.header.Get("RateLimit-ResetTime"))
		assert.Equal(t, "*", r.header.Get("Access-Control-Allow-Origin"), "CORS headers on a 429 too (§10)")
		pre := h.do("OPTIONS", "/api/v4/user", "", "Origin", "https://app.example", "Access-Control-Request-Method", "GET")
		assert.Equal(t, 200, pre.status, "preflights are answered before Rack::Attack (§10)")
	})
	t.Run("limits can be switched on at run time", func(t *testing.T) {
		h := newHarness(t, Options{})
		require.Equal(t, 200, h.do("POST", "/-/emulator/ratelimit", `{"project_jobs_per_minute":1}`).status)
		h.get("/api/v4/projects/7/jobs")
		assert.Equal(t, 429, h.get("/api/v4/projects/7/jobs").status)
	})
}

func TestFaultControlReadsBackWhatItWrites(t *testing.T) {
	h := newHarness(t, Options{})
	const body = `{"route":"GET /projects/:id/jobs","latency":"2s","status":503,"times":2}`
	r := h.do("POST", "/-/emulator/faults", body)
	require.Equal(t, 200, r.status, "%s", r.body)
	assert.JSONEq(t, body, string(r.body), "POST answers the fault as set")
	r = h.do("GET", "/-/emulator/faults", "")
	require.Equal(t, 200, r.status)
	assert.JSONEq(t, `{"GET /projects/:id/jobs":`+body+`}`, string(r.body), "GET lists it in the same shape, by route")
	assert.Equal(t, map[Route]Fault{RouteProjectJobs: {Latency: 2 * time.Second, Status: 503, Times: 2}}, h.srv.Faults(),
		"the Go API sees the same Fault")
}

// TestTraceFaults: the trace's misbehaviours that a client of the log must
// detect (README.md, "The job log"), on a finished job's log served with
// ranges, each against the same request answered without the fault.
func TestTraceFaults(t *testing.T) {
	h := newHarness(t, Options{Trace: TraceOptions{Ranges: RangesAll}})
	j := h.jobIn(statusFailed, func(j *job) bool { return j.log != nil })
	path := "/api/v4/projects/7/jobs/" + itoa(j.ID) + "/trace"
	whole := h.get(path)
	require.Equal(t, http.StatusOK, whole.status)
	require.Greater(t, len(whole.body), 100)
	etag := whole.header.Get("ETag")

	tests := []struct {
		name    string
		fault   Fault
		headers []string
		check   func(t *testing.T, r reply)
	}{
		{"a range that starts later than asked, and says so", Fault{MisplacedRange: 10}, []string{"Range", "bytes=20-"}, func(t *testing.T, r reply) {
			assert.Equal(t, http.StatusPartialContent, r.status)
			assert.Equal(t, whole.body[30:], r.body)
			assert.Equal(t, "bytes 30-"+itoa(int64(len(whole.body)-1))+"/"+itoa(int64(len(whole.body))), r.header.Get("Content-Range"))
		}},
		{"a part answered to a request for the whole", Fault{UnaskedRange: true}, nil, func(t *testing.T, r reply) {
			half := len(whole.body) / 2
			assert.Equal(t, http.StatusPartialContent, r.status)
			assert.Equal(t, whole.body[half:], r.body)
			assert.Equal(t, "bytes "+itoa(int64(half))+"-"+itoa(int64(len(whole.body)-1))+"/"+itoa(int64(len(whole.body))), r.header.Get("Content-Range"))
		}},
		{"an unasked part is not made of an asked one", Fault{UnaskedRange: true}, []string{"Range", "bytes=20-"}, func(t *testing.T, r reply) {
			assert.Equal(t, http.StatusPartialContent, r.status)
			assert.Equal(t, whole.body[20:], r.body)
		}},
		{"a lying ETag: one validator for any bytes", Fault{LyingETag: true}, nil, func(t *testing.T, r reply) {
			assert.Equal(t, http.StatusOK, r.status)
			assert.Equal(t, whole.body, r.body)
			assert.Equal(t, lyingETag, r.header.Get("ETag"))
			assert.NotEqual(t, etag, r.header.Get("ETag"))
		}},
		{"a lying ETag: 304 to any If-None-Match", Fault{LyingETag: true}, []string{"If-None-Match", `W/"not-this-log"`}, func(t *testing.T, r reply) {
			assert.Equal(t, http.StatusNotModified, r.status)
			assert.Empty(t, r.body)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.srv.SetFault(RouteTrace, tt.fault)
			t.Cleanup(h.srv.ClearFaults)
			tt.check(t, h.do("GET", path, "", append([]string{"PRIVATE-TOKEN", DefaultToken}, tt.headers...)...))
			h.srv.ClearFaults()
			honest := h.do("GET", path, "", append([]string{"PRIVATE-TOKEN", DefaultToken}, tt.headers...)...)
			assert.NotEqual(t, http.StatusNotModified, honest.status, "without the fault, nothing matches")
			assert.Equal(t, etag, honest.header.Get("ETag"))
		})
	}
}
