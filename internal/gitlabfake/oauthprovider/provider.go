// Package oauthprovider plays GitLab's OAuth 2.0 provider for the emulator
// (docs/gitlab-oauth.md, cited as "oauth §N"): an application
// registry, /oauth/authorize with a consent page, /oauth/token (code and
// refresh grants, PKCE), /oauth/revoke, /oauth/token/info and their CORS
// rules. The emulator (package gitlabfake) mounts a Provider at /oauth/ and
// asks it about the Bearer tokens the API receives (LookupAccess); the API's
// answers to those tokens stay in the emulator.
//
// The visitor of the consent page is always one user, signed in (New's
// visitor): the emulator has no sign-in page. Time comes from the emulator's
// clock, so tests expire codes and tokens by moving it.
package oauthprovider

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// OAuth scopes the provider knows (oauth §1). GitLab knows more (read_repository,
// openid, ...); asking for one of those here is invalid_scope.
const (
	ScopeAPI      = "api"
	ScopeReadAPI  = "read_api"
	ScopeReadUser = "read_user"
)

var knownScopes = []string{ScopeAPI, ScopeReadAPI, ScopeReadUser}

// Demo applications registered in every emulator (README.md, "Sign in with
// GitLab").
const (
	// DemoClientID is the Application ID of a public (non-confidential)
	// application with scopes api, read_api and read_user and the redirect
	// URIs DemoRedirectURIs.
	DemoClientID = "jobscope-demo-oauth-app"
	// DemoConfidentialClientID is the same application registered as
	// Confidential (GitLab's default, oauth §1) with secret
	// DemoConfidentialSecret: a code exchange without the secret fails with
	// invalid_client, which is also what an instance older than 13.7 (no
	// PKCE, no public clients) answers.
	DemoConfidentialClientID = "jobscope-demo-confidential-app"
	DemoConfidentialSecret   = "gloas-jobscope-demo-secret"
)

// DemoRedirectURIs are the demo applications' redirect URIs. The loopback
// ones match any port (oauth §1), so a PWA served by the demo on
// 127.0.0.1:<any port> can use http://127.0.0.1:<port>/oauth/callback.
var DemoRedirectURIs = []string{
	"http://127.0.0.1/oauth/callback",
	"http://[::1]/oauth/callback",
	"http://localhost:8080/oauth/callback", // a host name: exact port (doorkeeper's loopback rule is for IPs)
}

// Lifetimes (oauth §2).
const (
	oauthCodeLifetime  = 10 * time.Minute // Doorkeeper's default
	oauthTokenLifetime = 2 * time.Hour    // fixed since 15.0
)

// Application is an application as registered on GitLab's
// Applications page (oauth §1).
type Application struct {
	Name string `json:"name"`
	// ClientID is GitLab's "Application ID" (doorkeeper's uid).
	ClientID string `json:"client_id"`
	// RedirectURIs: one per line in GitLab's form; matched by the rules of
	// oauth §1 (redirectURIMatches).
	RedirectURIs []string `json:"redirect_uris"`
	// Scopes the application may ask for; empty means all known scopes.
	Scopes []string `json:"scopes,omitempty"`
	// Confidential applications must authenticate with Secret at the token
	// endpoint (GitLab's default; public clients untick it, oauth §1).
	Confidential bool   `json:"confidential,omitempty"`
	Secret       string `json:"secret,omitempty"`
}

func (a *Application) allows(scope string) bool {
	return len(a.Scopes) == 0 || slices.Contains(a.Scopes, scope)
}

// oauthGrant is an authorization code waiting to be exchanged.
type oauthGrant struct {
	app         *Application
	user        User
	redirectURI string
	scopes      []string
	challenge   string
	method      string // "S256", "plain", or "" without PKCE
	createdAt   time.Time
	used        bool
}

// oauthToken is one doorkeeper access token record: the access token and
// its refresh token are one row, so revoking either kills both (oauth §2).
type oauthToken struct {
	access, refresh string
	app             *Application
	user            User
	scopes          []string
	createdAt       time.Time
	revoked         bool
}

func (t *oauthToken) expired(now time.Time) bool {
	return !now.Before(t.createdAt.Add(oauthTokenLifetime))
}

// User is the resource owner of grants and tokens: the emulator's user, by
// id (token info's resource_owner_id) and username (the consent page).
type User struct {
	ID       int64
	Username string
}

// Provider is GitLab's OAuth provider. It implements http.Handler for
// /oauth/*; all methods are safe for concurrent use.
type Provider struct {
	now     func() time.Time
	visitor User

	mu        sync.Mutex              // guards the maps; never held while calling now
	apps      map[string]*Application // by client id
	grants    map[string]*oauthGrant  // by code
	byAccess  map[string]*oauthToken
	byRefresh map[string]*oauthToken
}

// New returns a provider with the demo applications registered. now is the
// emulator's clock; the provider calls it without holding its own lock, so
// now may take the caller's locks. visitor is the user who is always signed
// in on the consent page.
func New(now func() time.Time, visitor User) *Provider {
	p := &Provider{now: now, visitor: visitor,
		apps: map[string]*Application{}, grants: map[string]*oauthGrant{},
		byAccess: map[string]*oauthToken{}, byRefresh: map[string]*oauthToken{}}
	for _, a := range []Application{
		{Name: "jobscope (demo)", ClientID: DemoClientID, RedirectURIs: slices.Clone(DemoRedirectURIs)},
		{Name: "jobscope (demo, confidential)", ClientID: DemoConfidentialClientID, RedirectURIs: slices.Clone(DemoRedirectURIs),
			Confidential: true, Secret: DemoConfidentialSecret},
	} {
		p.apps[a.ClientID] = &a
	}
	return p
}

// Register adds an application, or replaces the one with the same
// ClientID (the demo ones included). Its redirect URIs must be absolute,
// without fragment, and not data:, vbscript: or javascript: (oauth §1); its
// scopes must be known ones.
func (p *Provider) Register(app Application) error {
	if err := app.validate(); err != nil {
		return err
	}
	app.RedirectURIs = slices.Clone(app.RedirectURIs)
	app.Scopes = slices.Clone(app.Scopes)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.apps[app.ClientID] = &app
	return nil
}

// Applications lists the registered applications, sorted by client id.
func (p *Provider) Applications() []Application {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]Application, 0, len(p.apps))
	for _, a := range p.apps {
		out = append(out, *a)
	}
	slices.SortFunc(out, func(a, b Application) int { return strings.Compare(a.ClientID, b.ClientID) })
	return out
}

func (a *Application) validate() error {
	if strings.TrimSpace(a.ClientID) == "" {
		return errors.New("oauth application: client_id is required")
	}
	if a.Confidential && a.Secret == "" {
		return errors.New("oauth application: a confidential application needs a secret")
	}
	if len(a.RedirectURIs) == 0 {
		return errors.New("oauth application: at least one redirect URI is required")
	}
	for _, u := range a.RedirectURIs {
		if err := validRedirectURI(u); err != nil {
			return fmt.Errorf("oauth application: redirect URI %q: %w", u, err)
		}
	}
	for _, sc := range a.Scopes {
		if !slices.Contains(knownScopes, sc) {
			return fmt.Errorf("oauth application: unknown scope %q (known: %s)", sc, strings.Join(knownScopes, ", "))
		}
	}
	return nil
}

// validRedirectURI applies GitLab's registration rules (oauth §1): absolute,
// no fragment, no forbidden scheme; HTTPS is not forced.
func validRedirectURI(raw string) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return errors.New("does not parse")
	case u.Scheme == "" || (u.Host == "" && u.Opaque == ""):
		return errors.New("must be absolute")
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return errors.New("must not have a fragment")
	}
	switch strings.ToLower(u.Scheme) {
	case "data", "vbscript", "javascript":
		return errors.New("forbidden scheme")
	}
	return nil
}

// redirectURIMatches is doorkeeper's URIChecker.matches? (oauth §1): exact
// match, except that the request's query is ignored when the registered URI
// has none (and must contain the registered query parameters when it has
// one), and that loopback IP hosts match any port.
func redirectURIMatches(requested, registered string) bool {
	req, err1 := url.Parse(requested)
	reg, err2 := url.Parse(registered)
	if err1 != nil || err2 != nil || req.Fragment != "" || strings.Contains(requested, "#") {
		return false
	}
	if reg.RawQuery != "" {
		want, have := reg.Query(), req.Query()
		for k, vs := range want {
			if !slices.Equal(vs, have[k]) {
				return false
			}
		}
	}
	a, b := *req, *reg
	a.RawQuery, b.RawQuery = "", ""
	if loopbackIP(a.Hostname()) && loopbackIP(b.Hostname()) {
		a.Host, b.Host = a.Hostname(), b.Hostname()
	}
	return a.String() == b.String()
}

func loopbackIP(host string) bool {
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (a *Application) redirectURIAllowed(uri string) bool {
	for _, reg := range a.RedirectURIs {
		if redirectURIMatches(uri, reg) {
			return true
		}
	}
	return false
}

// parseScopes splits a space-separated scope parameter; empty means api, as
// GitLab defaults it (oauth §1). Duplicates are dropped, order kept.
func parseScopes(param string) []string {
	fields := strings.Fields(param)
	if len(fields) == 0 {
		return []string{ScopeAPI}
	}
	var out []string
	for _, f := range fields {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// newSecret returns 64 hex characters from crypto/rand, the shape of
// doorkeeper's tokens and codes.
func newSecret() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand docs)
	return hex.EncodeToString(b[:])
}

// issue creates a token pair. Called with p.mu held.
func (p *Provider) issue(app *Application, u User, scopes []string, now time.Time) *oauthToken {
	t := &oauthToken{access: newSecret(), refresh: newSecret(), app: app, user: u,
		scopes: slices.Clone(scopes), createdAt: now}
	p.byAccess[t.access] = t
	p.byRefresh[t.refresh] = t
	return t
}

// Access is what the API needs to know of an access token (LookupAccess).
type Access struct {
	User   User
	Scopes []string
	// Expired: issued 2 h or more before the time asked about (oauth §2).
	Expired bool
	// Revoked: revoked, or rotated away by a refresh (oauth §2).
	Revoked bool
}

// LookupAccess reports on the access token tok at time now (the caller's
// clock reading, so a caller holding its own lock need not call back). ok
// is false for a token the provider never issued as an access token, a
// refresh token included.
func (p *Provider) LookupAccess(tok string, now time.Time) (a Access, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	t := p.byAccess[tok]
	if t == nil {
		return Access{}, false
	}
	return Access{User: t.user, Scopes: slices.Clone(t.scopes), Expired: t.expired(now), Revoked: t.revoked}, true
}

// bearer is the token of an "Authorization: Bearer" header.
func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:]), true
	}
	return "", false
}
