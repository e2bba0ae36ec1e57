package gitlab

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every error body shape of gitlab-api.md §4 and §2.2.
func TestDecodeErrorBodyReadsEveryGitLabShape(t *testing.T) {
	cases := []struct {
		name, contentType, body string
		message, code           string
	}{
		{"a plain message (§4 render_api_error!)", "application/json", `{"message":"404 Project Not Found"}`, "404 Project Not Found", ""},
		{"a lowercase record-not-found message (§3)", "application/json", `{"message":"404 Not found"}`, "404 Not found", ""},
		{"a forbidden reason (§8.3)", "application/json", `{"message":"403 Forbidden - Job is not retryable"}`, "403 Forbidden - Job is not retryable", ""},
		{"the jobs rate limiter's nested error (§9)", "application/json",
			`{"message":{"error":"This endpoint has been requested too many times. Try again later."}}`,
			"This endpoint has been requested too many times. Try again later.", ""},
		{"model validation errors, fields sorted", "application/json", `{"message":{"name":["has already been taken","is too short"],"base":["locked"]}}`,
			"base locked; name has already been taken; name is too short", ""},
		{"a Grape validation error", "application/json", `{"error":"job_variables_attributes[0][key] is missing"}`, "job_variables_attributes[0][key] is missing", ""},
		{"the catch-all route (§1)", "application/json", `{"error":"404 Not Found"}`, "404 Not Found", ""},
		{"an expired token (§2.2)", "application/json",
			`{"error":"invalid_token","error_description":"Token is expired. You can either do re-authorization or token refresh."}`,
			"Token is expired. You can either do re-authorization or token refresh.", "invalid_token"},
		{"an insufficient scope (§2.2)", "application/json",
			`{"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token.","scope":"api"}`,
			"The request requires higher privileges than provided by the access token.", "insufficient_scope"},
		{"Rack::Attack's text/plain throttle (§9)", "text/plain", "Retry later\n", "Retry later", ""},
		{"a text body without content type", "", "Retry later", "Retry later", ""},
		{"a proxy's HTML page says nothing", "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>", "", ""},
		{"an empty body says nothing", "application/json", "", "", ""},
		{"a truncated JSON body says nothing", "application/json", `{"message":"404 Proj`, "", ""},
		{"a JSON null message falls back to error", "application/json", `{"message":null,"error":"x"}`, "x", ""},
		{"control and bidi characters are neutralised", "application/json", `{"message":"a\u202eb\nc\u0007d"}`, "a b c d", ""},
		{"broken UTF-8 in text becomes U+FFFD", "text/plain", "bad \xff byte", "bad \uFFFD byte", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			msg, code := decodeErrorBody(tc.contentType, []byte(tc.body))
			assert.Equal(t, tc.message, msg)
			assert.Equal(t, tc.code, code)
		})
	}
}

func TestSanitizeBoundsTheMessage(t *testing.T) {
	long := strings.Repeat("é", 1000)
	got := sanitize(long)
	assert.LessOrEqual(t, len(got), maxMessage)
	assert.True(t, strings.HasPrefix(long, got), "cut on a rune boundary")
}

// Each status maps to its kind (gitlab-api.md §2.2, §3, §4, §9) and only to it.
func TestErrorKindsMatchByStatus(t *testing.T) {
	kinds := []error{ErrBadRequest, ErrUnauthorized, ErrForbidden, ErrInsufficientScope, ErrNotFound,
		ErrMethodNotAllowed, ErrConflict, ErrRateLimited, ErrServer, ErrUnexpected}
	cases := []struct {
		name   string
		status int
		body   string
		want   []error
	}{
		{"400 is a bad request", 400, `{"message":"400 Bad request - Unplayable Job"}`, []error{ErrBadRequest}},
		{"401 is unauthorized", 401, `{"message":"401 Unauthorized"}`, []error{ErrUnauthorized}},
		{"403 for a role is forbidden", 403, `{"message":"403 Forbidden"}`, []error{ErrForbidden}},
		{"403 insufficient_scope is forbidden and insufficient scope", 403,
			`{"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token.","scope":"api"}`,
			[]error{ErrForbidden, ErrInsufficientScope}},
		{"404 is not found", 404, `{"message":"404 Project Not Found"}`, []error{ErrNotFound}},
		{"405 is method not allowed", 405, `{"message":"Non GET methods are not allowed for moved projects"}`, []error{ErrMethodNotAllowed}},
		{"409 is a conflict", 409, `{"message":"Action temporarily disabled. The project this pipeline belongs to is undergoing stats refresh."}`, []error{ErrConflict}},
		{"429 is rate limited", 429, `{"message":{"error":"This endpoint has been requested too many times. Try again later."}}`, []error{ErrRateLimited}},
		{"500 is a server error", 500, `{"message":"500 Internal Server Error"}`, []error{ErrServer}},
		{"503 is a server error", 503, "", []error{ErrServer}},
		{"a 304 is unexpected", 304, "", []error{ErrUnexpected}},
		{"a 418 is none of the named kinds", 418, "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _, _ := newFakeClient(t, ok(tc.status, []byte(tc.body), "Content-Type", "application/json", "X-Request-Id", "01HREQ"))
			_, err := c.EraseJob(context.Background(), ProjectID(1), 2)
			require.Error(t, err)
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.status, e.StatusCode)
			assert.Equal(t, "POST", e.Method)
			assert.Equal(t, "/api/v4/projects/1/jobs/2/erase", e.Path)
			assert.Equal(t, "01HREQ", e.RequestID)
			for _, k := range kinds {
				want := false
				for _, w := range tc.want {
					want = want || w == k
				}
				assert.Equal(t, want, errors.Is(err, k), "errors.Is(%v)", k)
			}
			assert.True(t, strings.HasPrefix(err.Error(), "erase job: POST /api/v4/projects/1/jobs/2/erase: "), err.Error())
			assert.Contains(t, err.Error(), "request id 01HREQ")
		})
	}
}

func TestTheErrorPathHasNoQuery(t *testing.T) {
	c, _, _ := newFakeClient(t, ok(404, map[string]any{"message": "404 Project Not Found"}))
	_, _, err := c.ListProjects(context.Background(), ListProjectsOptions{Search: "secret-project-name"})
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "/api/v4/projects", e.Path)
	assert.NotContains(t, err.Error(), "secret-project-name")
}

// Even a server that echoes the credential cannot put it in an error.
func TestTheTokenNeverAppearsInAnError(t *testing.T) {
	cases := []struct {
		name string
		resp *Response
		err  error
	}{
		{"a message echoing the token", respond(401, map[string]any{"message": "401 Unauthorized: " + testToken}), nil},
		{"an error description echoing the token", respond(401, map[string]any{"error": "invalid_token", "error_description": "token " + testToken + " expired"}), nil},
		{"a text body echoing the token", respond(429, "Retry later "+testToken), nil},
		{"a request id echoing the token", respond(500, nil, "X-Request-Id", testToken), nil},
		{"a transport error echoing the token", nil, errors.New("dial: PRIVATE-TOKEN " + testToken)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _, _ := newFakeClient(t, func(int, *Request) (*Response, error) { return tc.resp, tc.err })
			_, err := c.CurrentUser(context.Background())
			require.Error(t, err)
			assert.NotContains(t, err.Error(), testToken)
			assert.NotContains(t, err.Error(), "SECRET")
		})
	}
}

func TestErrorStringNamesStatusAndMessage(t *testing.T) {
	e := &Error{Method: "GET", Path: "/api/v4/projects/1/jobs", StatusCode: 429,
		Message: "Retry later", RetryAfter: 30 * time.Second}
	assert.Equal(t, "GET /api/v4/projects/1/jobs: 429 Too Many Requests: Retry later", e.Error())
	assert.True(t, e.Temporary())
	assert.False(t, (&Error{StatusCode: 500}).Temporary(), "a plain 500 is not retried (§ style 6: 502/503/504 only)")
}

// Seeds: every shape above. Properties: no panic; the message is bounded,
// valid UTF-8 and one line without control characters; a {"message": s}
// body gives back exactly sanitize(s).
func FuzzDecodeErrorBody(f *testing.F) {
	for _, s := range []string{
		`{"message":"404 Project Not Found"}`,
		`{"message":{"error":"This endpoint has been requested too many times. Try again later."}}`,
		`{"message":{"name":["has already been taken"]}}`,
		`{"error":"scope does not have a valid value"}`,
		`{"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token.","scope":"api"}`,
		"Retry later",
		"<html>502</html>",
		`{"message":"\u202e\u0000x"}`,
		"\xff\xfe",
	} {
		f.Add("application/json", []byte(s))
		f.Add("text/plain", []byte(s))
	}
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		m, code := decodeErrorBody(contentType, body)
		checkSafeText(t, m)
		checkSafeText(t, code)
		// Round trip: whatever text GitLab puts in "message" comes back sanitised.
		b, err := json.Marshal(map[string]string{"message": string(body)})
		require.NoError(t, err)
		m, code = decodeErrorBody("application/json", b)
		assert.Equal(t, sanitize(string(body)), m)
		assert.Empty(t, code)
	})
}

func checkSafeText(t *testing.T, s string) {
	t.Helper()
	assert.LessOrEqual(t, len(s), maxMessage)
	assert.True(t, utf8Valid(s), "invalid UTF-8: %q", s)
	assert.Equal(t, strings.TrimSpace(s), s, "untrimmed: %q", s)
	for _, r := range s {
		assert.False(t, r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0), "control %U in %q", r, s)
		assert.False(t, r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c,
			"bidi control %U in %q", r, s)
	}
}
