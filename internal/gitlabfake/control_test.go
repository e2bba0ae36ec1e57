package gitlabfake

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A web page open while tests run must not read the job token or inject
// faults (issue 15, the test oracle): a control request naming an origin
// that is not on loopback is refused, and does nothing.
func TestControlEndpointsAnswerLoopbackPagesOnly(t *testing.T) {
	cases := []struct {
		name   string
		origin string // "" sends no Origin header
		ok     bool
	}{
		{"no Origin (curl, a test's client)", "", true},
		{"a page on 127.0.0.1", "http://127.0.0.1:8928", true},
		{"a page on another loopback address", "http://127.0.0.2:8928", true},
		{"a page on ::1", "http://[::1]:3000", true},
		{"a page on localhost over https", "https://localhost", true},
		{"a web site", "https://evil.example", false},
		{"a sandboxed frame or a file", "null", false},
		{"a name that starts like loopback", "http://127.0.0.1.evil.example", false},
		{"a name that starts like localhost", "http://localhost.evil.example", false},
		{"an extension page", "chrome-extension://abcdefghijklmnop", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, Options{})
			var origin []string
			if tc.origin != "" {
				origin = []string{"Origin", tc.origin}
			}
			info := h.do("GET", "/-/emulator/info", "", origin...)
			preflight := h.do("OPTIONS", "/-/emulator/faults", "", append([]string{"Access-Control-Request-Method", "POST"}, origin...)...)
			fault := h.do("POST", "/-/emulator/faults", `{"route":"*","status":503}`, origin...)
			if !tc.ok {
				assert.Equal(t, http.StatusForbidden, info.status)
				assert.NotContains(t, string(info.body), h.srv.Info().JobToken, "no job token for the page")
				assert.Empty(t, info.header.Get("Access-Control-Allow-Origin"), "nothing the page may read")
				assert.Equal(t, http.StatusForbidden, preflight.status)
				assert.Equal(t, http.StatusForbidden, fault.status)
				assert.Empty(t, h.srv.Faults(), "no fault injected")
				return
			}
			require.Equal(t, http.StatusOK, info.status, "%s", info.body)
			assert.Contains(t, string(info.body), h.srv.Info().JobToken)
			assert.Equal(t, http.StatusNoContent, preflight.status)
			assert.Equal(t, http.StatusOK, fault.status)
			assert.Len(t, h.srv.Faults(), 1)
		})
	}
}
