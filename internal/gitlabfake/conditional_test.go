package gitlabfake

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Rails' Rack::ETag and Rack::ConditionalGet around the API (§4 "ETag"):
// every 200 string body gets a weak ETag; a GET naming it gets a 304 that
// keeps the pagination and CORS headers and drops the body.
func TestAnUnchangedAnswerIsA304(t *testing.T) {
	h := newHarness(t, Options{})
	project := "/api/v4/projects/" + url.PathEscape(h.srv.Info().Projects[0])
	cases := []struct {
		name, path string
	}{
		{"project jobs, keyset (§5.1, §7.2)", project + "/jobs?pagination=keyset&per_page=5"},
		{"project jobs, offset (§5.1)", project + "/jobs?per_page=5&page=2"},
		{"a pipeline's jobs (§5.2)", project + "/pipelines/" + itoa(h.srv.Info().PipelineID) + "/jobs?include_retried=true"},
		{"a pipeline (§11)", project + "/pipelines/" + itoa(h.srv.Info().PipelineID)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			first := h.get(tc.path)
			require.Equal(t, http.StatusOK, first.status)
			etag := first.header.Get("ETag")
			require.Regexp(t, `^W/"[0-9a-f]{32}"$`, etag)
			assert.Equal(t, "max-age=0, private, must-revalidate", first.header.Get("Cache-Control"))

			again := h.do("GET", tc.path, "", "PRIVATE-TOKEN", DefaultToken, "If-None-Match", etag, "Origin", "https://jobscope.example")
			assert.Equal(t, http.StatusNotModified, again.status)
			assert.Empty(t, again.body)
			assert.Equal(t, etag, again.header.Get("ETag"))
			assert.Equal(t, first.header.Get("Link"), again.header.Get("Link"), "headers other than Content-Type and Content-Length stay")
			assert.Contains(t, again.header.Get("Access-Control-Expose-Headers"), "ETag", "a 304 is a CORS answer too (§10)")

			other := h.do("GET", tc.path, "", "PRIVATE-TOKEN", DefaultToken, "If-None-Match", `W/"0123"`)
			assert.Equal(t, http.StatusOK, other.status)
			assert.Equal(t, first.body, other.body)
		})
	}
	t.Run("the clock moves a running job: a new ETag", func(t *testing.T) {
		path := project + "/jobs?scope[]=running"
		first := h.get(path)
		h.clock.Advance(30e9)
		again := h.do("GET", path, "", "PRIVATE-TOKEN", DefaultToken, "If-None-Match", first.header.Get("ETag"))
		assert.Equal(t, http.StatusOK, again.status, "durations grew")
	})
	t.Run("errors carry none", func(t *testing.T) {
		r := h.get(project + "/jobs/1")
		require.Equal(t, http.StatusNotFound, r.status)
		assert.Empty(t, r.header.Get("ETag"))
	})
}
