package oauthprovider

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// preAuth is a validated authorization request (doorkeeper's
// PreAuthorization).
type preAuth struct {
	app         *Application
	redirectURI string
	state       string
	scopes      []string
	challenge   string
	method      string
}

// preAuthorize validates an authorization request in doorkeeper's order.
// Until the client and its redirect URI are known good, errors are shown on
// a page (redirect false); after that they go back to the client by
// redirect (oauth §2; RFC 6749 §4.1.2.1). Called with p.mu held.
func (p *Provider) preAuthorize(v url.Values) (pa *preAuth, e *oauthError, redirect bool) {
	pa = &preAuth{state: v.Get("state"), redirectURI: v.Get("redirect_uri")}
	clientID := v.Get("client_id")
	if clientID == "" {
		return pa, errOAuthMissing("client_id"), false
	}
	if pa.app = p.apps[clientID]; pa.app == nil {
		return pa, errOAuthInvalidClient, false
	}
	// ⚠ a missing redirect_uri is refused; doorkeeper may fall back to an
	// application's only registered URI.
	if pa.redirectURI == "" || !pa.app.redirectURIAllowed(pa.redirectURI) {
		return pa, errOAuthInvalidRedirectURI, false
	}
	switch rt := v.Get("response_type"); {
	case rt == "":
		return pa, errOAuthMissing("response_type"), true
	case rt != "code":
		return pa, errOAuthUnsupportedResponseType, true
	}
	pa.scopes = parseScopes(v.Get("scope"))
	for _, sc := range pa.scopes {
		if !slices.Contains(knownScopes, sc) || !pa.app.allows(sc) {
			return pa, errOAuthInvalidScope, true
		}
	}
	if pa.challenge = v.Get("code_challenge"); pa.challenge != "" {
		// RFC 7636 §4.3: without a method, plain. GitLab accepts plain
		// still (oauth §2).
		switch pa.method = v.Get("code_challenge_method"); pa.method {
		case "":
			pa.method = "plain"
		case "S256", "plain":
		default:
			return pa, errOAuthCodeChallengeMethod, true
		}
	}
	return pa, nil, true
}

// authorize serves GET /oauth/authorize (the consent page) and its
// form's POST (Authorize) and POST with _method=delete (Deny), like
// GitLab's Oauth::AuthorizationsController. Consent shows every time for
// public applications (oauth §2). ⚠ No CSRF token: the emulator has no
// session.
func (p *Provider) authorize(w http.ResponseWriter, r *http.Request) {
	var v url.Values
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		v = r.URL.Query()
	case http.MethodPost:
		r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
		if err := r.ParseForm(); err != nil {
			writeOAuthPage(w, http.StatusBadRequest, errorPage, errOAuthMissing("client_id"))
			return
		}
		v = r.Form
	default:
		http.NotFound(w, r)
		return
	}
	now := p.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	pa, e, redirect := p.preAuthorize(v)
	switch {
	case e != nil && !redirect:
		writeOAuthPage(w, e.status, errorPage, e)
		return
	case e != nil:
		http.Redirect(w, r, e.redirectTo(pa.redirectURI, pa.state), http.StatusFound)
		return
	case r.Method != http.MethodPost:
		writeOAuthPage(w, http.StatusOK, consentPage, consentData(pa, p.visitor, v))
		return
	case v.Get("_method") == "delete":
		http.Redirect(w, r, errOAuthAccessDenied.redirectTo(pa.redirectURI, pa.state), http.StatusFound)
		return
	}
	code := newSecret()
	p.grants[code] = &oauthGrant{app: pa.app, user: p.visitor, redirectURI: pa.redirectURI,
		scopes: pa.scopes, challenge: pa.challenge, method: pa.method, createdAt: now}
	q := url.Values{"code": {code}}
	if pa.state != "" {
		q.Set("state", pa.state)
	}
	// Only the code and the state travel in the URL; tokens come from
	// /oauth/token (RFC 6749 §4.1.2).
	http.Redirect(w, r, withQuery(pa.redirectURI, q), http.StatusFound)
}

// scopeDescriptions are shown on the consent page (after GitLab's
// wording on its scope list, ⚠ paraphrased).
var scopeDescriptions = map[string]string{
	ScopeAPI:      "Grants complete read/write access to the API, including all groups and projects.",
	ScopeReadAPI:  "Grants read access to the API, including all groups and projects.",
	ScopeReadUser: "Grants read-only access to your profile.",
}

type consentScope struct{ Name, Description string }

type consent struct {
	App    string
	User   string
	Scopes []consentScope
	Hidden [][2]string // the request's parameters, carried by both forms
}

func consentData(pa *preAuth, u User, v url.Values) consent {
	c := consent{App: pa.app.Name, User: u.Username}
	for _, sc := range pa.scopes {
		c.Scopes = append(c.Scopes, consentScope{sc, scopeDescriptions[sc]})
	}
	for _, k := range []string{"client_id", "redirect_uri", "state", "response_type", "scope",
		"code_challenge", "code_challenge_method"} {
		if val := v.Get(k); val != "" {
			c.Hidden = append(c.Hidden, [2]string{k, val})
		}
	}
	return c
}

// The pages are plain HTML forms, no script, so browser tests click through
// them. Element ids: #authorize and #deny (buttons), #oauth-error.
var (
	consentPage = template.Must(template.New("consent").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Authorize application · GitLab (emulator)</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family:sans-serif;max-width:40em;margin:2em auto">
<h1>Authorize <strong id="app-name">{{.App}}</strong> to use your account?</h1>
<p>You are signed in as <strong id="user">{{.User}}</strong>. An application called {{.App}} is requesting access to your GitLab account. This application will be able to:</p>
<ul id="scopes">{{range .Scopes}}<li data-scope="{{.Name}}"><strong>{{.Name}}</strong>: {{.Description}}</li>{{end}}</ul>
<form method="post" action="/oauth/authorize" style="display:inline">
{{range .Hidden}}<input type="hidden" name="{{index . 0}}" value="{{index . 1}}">
{{end}}<button type="submit" id="authorize">Authorize</button></form>
<form method="post" action="/oauth/authorize" style="display:inline">
<input type="hidden" name="_method" value="delete">
{{range .Hidden}}<input type="hidden" name="{{index . 0}}" value="{{index . 1}}">
{{end}}<button type="submit" id="deny">Deny</button></form>
</body></html>
`))
	errorPage = template.Must(template.New("error").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>An error has occurred · GitLab (emulator)</title></head>
<body style="font-family:sans-serif;max-width:40em;margin:2em auto">
<h1>An error has occurred</h1>
<p id="oauth-error" data-error="{{.code}}">{{.description}}</p>
</body></html>
`))
)

// writeOAuthPage renders a page. ⚠ GitLab's error page status is inferred
// from doorkeeper (the error's status).
func writeOAuthPage(w http.ResponseWriter, status int, t *template.Template, data any) {
	if e, ok := data.(*oauthError); ok {
		data = map[string]string{"code": e.code, "description": e.description}
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		http.Error(w, "template: "+strings.TrimSpace(err.Error()), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	// No script on these pages. form-action is left out: Chrome applies it
	// to the redirect after the form, which goes to the client.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	h.Set("X-Frame-Options", "DENY")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}
