package oauthprovider

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// ServeHTTP answers /oauth/* (the request's escaped path, not stripped):
// CORS first (oauth §3), then the endpoints of oauth §2. Other paths and
// methods are 404, as Rails' router answers (⚠ GitLab renders its HTML 404
// page).
func (p *Provider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.EscapedPath()
	if corsAnswered(w, r, path) {
		return
	}
	var resp *response
	switch {
	case path == "/oauth/authorize":
		p.authorize(w, r)
		return
	case path == "/oauth/token" && r.Method == http.MethodPost:
		resp = p.token(w, r)
	case path == "/oauth/revoke" && r.Method == http.MethodPost:
		resp = p.revoke(w, r)
	case path == "/oauth/token/info" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		resp = p.tokenInfo(r)
	default:
		http.NotFound(w, r)
		return
	}
	resp.write(w, r)
}

// oauthForm reads the form body (and query, as Rails' params do). JSON
// bodies are not read: a browser cannot send them cross-origin here
// (oauth §3).
func oauthForm(w http.ResponseWriter, r *http.Request) (url.Values, bool) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	if err := r.ParseForm(); err != nil {
		return nil, false
	}
	return r.Form, true
}

// client authenticates the calling application: HTTP Basic or
// client_id/client_secret params; a public application by client_id
// alone, a confidential one only with its secret (oauth §1, doorkeeper's
// by_uid_and_secret). Called with p.mu held.
func (p *Provider) client(r *http.Request, v url.Values) (*Application, *oauthError) {
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = v.Get("client_id"), v.Get("client_secret")
	}
	app := p.apps[id]
	switch {
	case id == "" || app == nil:
		return nil, errOAuthInvalidClient
	case secret == "" && !app.Confidential:
		return app, nil
	case subtle.ConstantTimeCompare([]byte(secret), []byte(app.Secret)) != 1 || app.Secret == "":
		return nil, errOAuthInvalidClient
	}
	return app, nil
}

// tokenBody is doorkeeper's token response, in its key order (oauth §2).
type tokenBody struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
	Scope        string `json:"scope"`
	CreatedAt    int64  `json:"created_at"`
}

func (t *oauthToken) response(now time.Time) *response {
	resp := jsonResponse(http.StatusOK, tokenBody{AccessToken: t.access, TokenType: "Bearer",
		ExpiresIn: int64(oauthTokenLifetime / time.Second), RefreshToken: t.refresh,
		Scope: strings.Join(t.scopes, " "), CreatedAt: t.createdAt.Unix()})
	resp.header.Set("Cache-Control", "no-store") // oauth §2
	resp.header.Set("Pragma", "no-cache")
	return resp
}

// token is POST /oauth/token (oauth §2): the authorization_code and
// refresh_token grants, validated in doorkeeper's order (grant type,
// parameters, client, grant, redirect URI, PKCE).
func (p *Provider) token(w http.ResponseWriter, r *http.Request) *response {
	v, ok := oauthForm(w, r)
	if !ok {
		return errOAuthMissing("grant_type").response()
	}
	now := p.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	var e *oauthError
	var t *oauthToken
	switch gt := v.Get("grant_type"); gt {
	case "authorization_code":
		t, e = p.exchangeCode(r, v, now)
	case "refresh_token":
		t, e = p.refresh(r, v, now)
	case "":
		e = errOAuthMissing("grant_type") // ⚠ doorkeeper may say unsupported_grant_type
	default:
		e = errOAuthUnsupportedGrantType
	}
	if e != nil {
		return e.response()
	}
	return t.response(now)
}

func (p *Provider) exchangeCode(r *http.Request, v url.Values, now time.Time) (*oauthToken, *oauthError) {
	for _, k := range []string{"code", "redirect_uri"} {
		if v.Get(k) == "" {
			return nil, errOAuthMissing(k)
		}
	}
	app, e := p.client(r, v)
	if e != nil {
		return nil, e
	}
	g := p.grants[v.Get("code")]
	switch {
	case g == nil, g.used, g.app != app, !now.Before(g.createdAt.Add(oauthCodeLifetime)):
		// Codes are single-use and live 10 minutes (oauth §2).
		return nil, errOAuthInvalidGrant
	case !redirectURIMatches(v.Get("redirect_uri"), g.redirectURI):
		return nil, errOAuthInvalidGrant
	case !pkceOK(g, v.Get("code_verifier")):
		// A failed attempt leaves the code usable (⚠ doorkeeper revokes
		// a grant only on success, as we read it).
		return nil, errOAuthInvalidGrant
	}
	g.used = true
	return p.issue(app, g.user, g.scopes, now), nil
}

// pkceOK is doorkeeper's code verifier check: a grant without a challenge
// takes no verifier (⚠ a verifier sent anyway is refused, by our reading
// of doorkeeper's validate_code_verifier), one with a challenge needs the
// verifier that hashes (S256) or equals (plain) to it (RFC 7636 §4.6).
func pkceOK(g *oauthGrant, verifier string) bool {
	if verifier == "" {
		return g.challenge == ""
	}
	var got string
	switch g.method {
	case "S256":
		sum := sha256.Sum256([]byte(verifier))
		got = base64.RawURLEncoding.EncodeToString(sum[:])
	case "plain":
		got = verifier
	default:
		return false
	}
	return subtle.ConstantTimeCompare([]byte(got), []byte(g.challenge)) == 1
}

// refresh is the refresh_token grant: the old pair is revoked and a new one
// issued (rotation); scope may narrow, never widen (oauth §2). ⚠ Doorkeeper's
// refresh_token_revoked_on_use can delay revoking the old refresh token
// until the new access token is first used; gitlab-oauth.md says the old
// pair is invalidated, and so we revoke it at once.
func (p *Provider) refresh(r *http.Request, v url.Values, now time.Time) (*oauthToken, *oauthError) {
	if v.Get("refresh_token") == "" {
		return nil, errOAuthMissing("refresh_token")
	}
	old := p.byRefresh[v.Get("refresh_token")]
	if old == nil || old.revoked {
		return nil, errOAuthInvalidGrant
	}
	var app *Application
	if v.Get("client_id") != "" || r.Header.Get("Authorization") != "" {
		var e *oauthError
		if app, e = p.client(r, v); e != nil {
			return nil, e
		}
	}
	if app != old.app {
		return nil, errOAuthInvalidGrant // client_match
	}
	scopes := old.scopes
	if param := v.Get("scope"); strings.TrimSpace(param) != "" {
		scopes = parseScopes(param)
		for _, sc := range scopes {
			if !slices.Contains(old.scopes, sc) {
				return nil, errOAuthInvalidScope
			}
		}
	}
	old.revoked = true
	return p.issue(app, old.user, scopes, now), nil
}

// revoke is POST /oauth/revoke (oauth §2, RFC 7009): 200 {} for a revoked
// or unknown token; either token of a pair kills the pair.
func (p *Provider) revoke(w http.ResponseWriter, r *http.Request) *response {
	v, ok := oauthForm(w, r)
	if !ok {
		return errOAuthMissing("token").response()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	// GitLab needs a resolvable client (oauth §2).
	app, e := p.client(r, v)
	if e != nil {
		return e.response()
	}
	tok := v.Get("token")
	t := p.byAccess[tok]
	if t == nil {
		t = p.byRefresh[tok]
	}
	if t != nil {
		if t.app != app {
			return errOAuthRevokeOther.response()
		}
		t.revoked = true
	}
	return jsonResponse(http.StatusOK, map[string]any{})
}

// tokenInfo is GET /oauth/token/info (oauth §2). The token comes from the
// Bearer header or access_token (doorkeeper's access_token_methods).
func (p *Provider) tokenInfo(r *http.Request) *response {
	tok, ok := bearer(r)
	if !ok {
		tok = r.URL.Query().Get("access_token")
	}
	now := p.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	t := p.byAccess[tok]
	switch {
	case t == nil:
		return errTokenInfoUnknown.response()
	case t.revoked:
		return errTokenInfoRevoked.response()
	case t.expired(now):
		return errTokenInfoExpired.response()
	}
	left := int64(t.createdAt.Add(oauthTokenLifetime).Sub(now) / time.Second)
	// resource_owner_id, scope, expires_in, application.uid, created_at
	// (oauth §2); scope is an array here (doorkeeper's as_json). ⚠ scopes
	// and expires_in_seconds are GitLab's backwards-compatible copies, from
	// memory of token_info_controller.rb.
	return jsonResponse(http.StatusOK, map[string]any{
		"resource_owner_id":  t.user.ID,
		"scope":              t.scopes,
		"expires_in":         left,
		"application":        map[string]string{"uid": t.app.ClientID},
		"created_at":         t.createdAt.Unix(),
		"scopes":             t.scopes,
		"expires_in_seconds": left,
	})
}
