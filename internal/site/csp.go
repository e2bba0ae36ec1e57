package site

import (
	"html"
	"strings"
)

// DefaultConnectSrc is where the page may send requests when the build names
// no GitLab origin: any https origin (GitLab instances the user adds at run
// time cannot be listed at build time) and loopback over http (a local GitLab
// or the demo's emulator). A server in front of the site can narrow it with a
// CSP header of its own: both policies apply, so the stricter wins (the demo
// server does that).
var DefaultConnectSrc = []string{"https:", "http://127.0.0.1:*", "http://localhost:*"}

// CSP is the site's Content Security Policy: nothing inline, scripts only from
// the site itself plus WebAssembly compilation, requests only to connectSrc.
func CSP(connectSrc []string) string {
	if len(connectSrc) == 0 {
		connectSrc = DefaultConnectSrc
	}
	return strings.Join([]string{
		"default-src 'self'",
		"script-src 'self' 'wasm-unsafe-eval'",
		"style-src 'self'",
		"img-src 'self' data:",
		"connect-src 'self' " + strings.Join(connectSrc, " "),
		"worker-src 'self'",
		"manifest-src 'self'",
		"object-src 'none'",
		"base-uri 'self'",
		"form-action 'none'",
	}, "; ")
}

func cspMeta(connectSrc []string) string {
	return `<meta http-equiv="Content-Security-Policy" content="` + html.EscapeString(CSP(connectSrc)) + `">`
}
