package site

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testSite(t *testing.T) string {
	dir := t.TempDir()
	files := map[string]string{
		"index.html":           "index",
		"projects.html":        "<html><head></head><body>projects</body></html>",
		"404.html":             "shell",
		"web/app.wasm":         "raw wasm",
		"web/app.wasm.br":      "brotli wasm",
		"web/app.wasm.gz":      "gzip wasm",
		"manifest.webmanifest": "{}",
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	}
	return dir
}

func TestFileServerActsLikeAStaticHost(t *testing.T) {
	h := FileServer(testSite(t), ServeOptions{})
	cases := []struct {
		name, path, accept string
		status             int
		body, ctype, enc   string
	}{
		{"the root is the index", "/", "", 200, "index", "text/html; charset=utf-8", ""},
		{"an entry page needs no extension", "/projects", "", 200, "<html><head></head><body>projects</body></html>", "text/html; charset=utf-8", ""},
		{"a deep link gets 404.html with 404, as GitLab Pages does", "/projects/g/p/-/jobs/1", "", 404, "shell", "text/html; charset=utf-8", ""},
		{"brotli is preferred when accepted", "/web/app.wasm", "gzip, deflate, br", 200, "brotli wasm", "application/wasm", "br"},
		{"gzip when brotli is not accepted", "/web/app.wasm", "gzip", 200, "gzip wasm", "application/wasm", "gzip"},
		{"brotli refused with q=0 falls back to gzip", "/web/app.wasm", "br;q=0, gzip", 200, "gzip wasm", "application/wasm", "gzip"},
		{"br with q=0.5 is still accepted", "/web/app.wasm", "br;q=0.5", 200, "brotli wasm", "application/wasm", "br"},
		{"the raw file without Accept-Encoding", "/web/app.wasm", "", 200, "raw wasm", "application/wasm", ""},
		{"the manifest has its media type", "/manifest.webmanifest", "", 200, "{}", "application/manifest+json", ""},
		{"no escape from the folder", "/../../etc/passwd", "", 404, "shell", "text/html; charset=utf-8", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, tc.path, nil)
			if tc.accept != "" {
				req.Header.Set("Accept-Encoding", tc.accept)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			assert.Equal(t, tc.status, rec.Code)
			body, _ := io.ReadAll(rec.Body)
			assert.Equal(t, tc.body, string(body))
			assert.Equal(t, tc.ctype, rec.Header().Get("Content-Type"))
			assert.Equal(t, tc.enc, rec.Header().Get("Content-Encoding"))
			assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
			if strings.HasPrefix(tc.ctype, "text/html") {
				assert.Contains(t, rec.Header().Values("Content-Security-Policy"), "frame-ancestors 'none'", "no page may frame it (README)")
			}
		})
	}
}

func TestFileServerAddsTheDemoHeadAndHeaders(t *testing.T) {
	h := FileServer(testSite(t), ServeOptions{
		Head:   `<meta name="marker">`,
		Header: http.Header{"Content-Security-Policy": {"default-src 'self'"}},
	})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/projects", nil))
	assert.Equal(t, `<html><head><meta name="marker"></head><body>projects</body></html>`, rec.Body.String())
	assert.Equal(t, "default-src 'self'", rec.Header().Get("Content-Security-Policy"))
}

func TestFileServerRefusesWrites(t *testing.T) {
	rec := httptest.NewRecorder()
	FileServer(testSite(t), ServeOptions{}).ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", nil))
	assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)
}

func TestDeepLinksOKAnswersAsTryFilesDoes(t *testing.T) {
	h := FileServer(testSite(t), ServeOptions{DeepLinksOK: true})
	cases := []struct {
		name, path string
		body       string
	}{
		{"a deep link gets 404.html with 200", "/projects/g/p/-/jobs/1", "shell"},
		{"an existing page is still itself", "/projects", "<html><head></head><body>projects</body></html>"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tc.path, nil))
			assert.Equal(t, http.StatusOK, rec.Code)
			assert.Equal(t, tc.body, rec.Body.String())
		})
	}
}
