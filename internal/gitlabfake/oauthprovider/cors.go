package oauthprovider

import (
	"net/http"
	"slices"
	"strings"
)

// oauthCORSRule is one rack-cors resource of oauth §3. They differ from
// the emulator's /api/* rules (gitlabfake's cors.go): fixed request headers, few methods, nothing exposed,
// never credentials, and no rule at all for /oauth/authorize.
type oauthCORSRule struct {
	methods []string
	headers []string
}

var oauthCORSRules = map[string]oauthCORSRule{
	"/oauth/token":      {methods: []string{"POST", "OPTIONS"}, headers: []string{"Authorization", "X-CSRF-Token", "X-Requested-With"}},
	"/oauth/revoke":     {methods: []string{"POST", "OPTIONS"}, headers: []string{"Authorization", "X-CSRF-Token", "X-Requested-With"}},
	"/oauth/token/info": {methods: []string{"GET", "HEAD", "OPTIONS"}, headers: []string{"Authorization"}},
}

// corsAnswered adds the CORS headers for path and answers preflights itself
// (200, empty body, before anything else, as for /api/*). A preflight asking
// for a method or header the rule lacks gets 200 without CORS headers, so
// the browser refuses the request (rack-cors' process_preflight). It
// reports whether the request was fully answered.
func corsAnswered(w http.ResponseWriter, r *http.Request, path string) bool {
	rule, ok := oauthCORSRules[path]
	if !ok || r.Header.Get("Origin") == "" {
		return false
	}
	// ⚠ Vary: Origin is not sent: rack-cors adds it only for resources
	// that are not public ('*'), by our reading.
	preflight := r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
	h := w.Header()
	if !preflight {
		if slices.Contains(rule.methods, r.Method) {
			h.Set("Access-Control-Allow-Origin", "*")
			h.Set("Access-Control-Allow-Methods", strings.Join(rule.methods, ", "))
			h.Set("Access-Control-Max-Age", "7200")
		}
		return false
	}
	if rule.allows(r.Header.Get("Access-Control-Request-Method"), r.Header.Get("Access-Control-Request-Headers")) {
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Allow-Methods", strings.Join(rule.methods, ", "))
		if rh := r.Header.Get("Access-Control-Request-Headers"); rh != "" {
			h.Set("Access-Control-Allow-Headers", rh)
		}
		h.Set("Access-Control-Max-Age", "7200")
	}
	h.Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
	return true
}

func (rule oauthCORSRule) allows(method, headers string) bool {
	if !slices.ContainsFunc(rule.methods, func(m string) bool { return strings.EqualFold(m, method) }) {
		return false
	}
	for _, h := range strings.Split(headers, ",") {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		if !slices.ContainsFunc(rule.headers, func(a string) bool { return strings.EqualFold(a, h) }) {
			return false
		}
	}
	return true
}
