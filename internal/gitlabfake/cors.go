package gitlabfake

import (
	"net/http"
	"strings"
)

// exposedHeaders is GitLab's expose list for /api/* (§10).
const exposedHeaders = "Link, X-Total, X-Total-Pages, X-Per-Page, X-Page, X-Next-Page, X-Prev-Page, " +
	"X-Gitlab-Blob-Id, X-Gitlab-Commit-Id, X-Gitlab-Content-Sha256, X-Gitlab-Encoding, " +
	"X-Gitlab-File-Name, X-Gitlab-File-Path, X-Gitlab-Last-Commit-Id, X-Gitlab-Ref, X-Gitlab-Size, " +
	"X-Request-Id, ETag"

// cors adds rack-cors' headers for a request with an Origin and answers
// preflights itself (§10): 200, empty body, before authentication. It
// reports whether the request was fully answered.
func (s *Server) cors(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	h := w.Header()
	if strings.EqualFold(origin, s.baseURL(r)) {
		// Rule 1: GitLab's own URL, with credentials.
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Credentials", "true")
	} else {
		h.Set("Access-Control-Allow-Origin", "*")
	}
	h.Set("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS")
	h.Set("Access-Control-Expose-Headers", exposedHeaders)
	h.Set("Access-Control-Max-Age", "7200")
	if r.Method != http.MethodOptions || r.Header.Get("Access-Control-Request-Method") == "" {
		return false
	}
	if rh := r.Header.Get("Access-Control-Request-Headers"); rh != "" {
		h.Set("Access-Control-Allow-Headers", rh)
	}
	h.Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
	return true
}

// baseURL is GitLab's external URL: Options.BaseURL, else the request's
// own scheme and host.
func (s *Server) baseURL(r *http.Request) string {
	if s.opts.BaseURL != "" {
		return strings.TrimSuffix(s.opts.BaseURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
