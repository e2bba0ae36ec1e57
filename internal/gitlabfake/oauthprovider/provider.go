package gitlabfake

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"
)

// The emulator plays GitLab's OAuth 2.0 provider (gitlab-oauth.md, cited as
// "oauth §N" in this file and its siblings oauth_*.go): an application
// registry, /oauth/authorize with a consent page, /oauth/token (code and
// refresh grants, PKCE), /oauth/revoke, /oauth/token/info, their CORS rules,
// and OAuth access tokens accepted by the API with their scopes enforced.
// The visitor of the consent page is always the demo user, signed in: the
// emulator has no sign-in page.

// OAuth scopes the emulator knows (oauth §1). GitLab knows more (read_repository,
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

// OAuthApplication is an application as registered on GitLab's
// Applications page (oauth §1).
type OAuthApplication struct {
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

func (a *OAuthApplication) allows(scope string) bool {
	return len(a.Scopes) == 0 || slices.Contains(a.Scopes, scope)
}

// oauthGrant is an authorization code waiting to be exchanged.
type oauthGrant struct {
	app         *OAuthApplication
	user        *user
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
	app             *OAuthApplication
	user            *user
	scopes          []string
	createdAt       time.Time
	revoked         bool
}

func (t *oauthToken) expired(now time.Time) bool {
	return !now.Before(t.createdAt.Add(oauthTokenLifetime))
}

// oauthProvider is the OAuth state of a Server, guarded by Server.mu. Its
// zero value is ready: the demo applications are added on first use.
type oauthProvider struct {
	apps      map[string]*OAuthApplication // by client id
	grants    map[string]*oauthGrant       // by code
	byAccess  map[string]*oauthToken
	byRefresh map[string]*oauthToken
}

// ready fills the zero value. Called with s.mu held.
func (p *oauthProvider) ready() {
	if p.apps != nil {
		return
	}
	p.apps = map[string]*OAuthApplication{}
	p.grants = map[string]*oauthGrant{}
	p.byAccess = map[string]*oauthToken{}
	p.byRefresh = map[string]*oauthToken{}
	for _, a := range []OAuthApplication{
		{Name: "jobscope (demo)", ClientID: DemoClientID, RedirectURIs: slices.Clone(DemoRedirectURIs)},
		{Name: "jobscope (demo, confidential)", ClientID: DemoConfidentialClientID, RedirectURIs: slices.Clone(DemoRedirectURIs),
			Confidential: true, Secret: DemoConfidentialSecret},
	} {
		p.apps[a.ClientID] = &a
	}
}

// RegisterOAuthApplication adds an application, or replaces the one with the
// same ClientID (the demo ones included). Its redirect URIs must be absolute,
// without fragment, and not data:, vbscript: or javascript: (oauth §1); its
// scopes must be known ones.
func (s *Server) RegisterOAuthApplication(app OAuthApplication) error {
	if err := app.validate(); err != nil {
		return err
	}
	app.RedirectURIs = slices.Clone(app.RedirectURIs)
	app.Scopes = slices.Clone(app.Scopes)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.oauth.ready()
	s.oauth.apps[app.ClientID] = &app
	return nil
}

// OAuthApplications lists the registered applications, sorted by client id.
func (s *Server) OAuthApplications() []OAuthApplication {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.oauth.ready()
	out := make([]OAuthApplication, 0, len(s.oauth.apps))
	for _, a := range s.oauth.apps {
		out = append(out, *a)
	}
	slices.SortFunc(out, func(a, b OAuthApplication) int { return strings.Compare(a.ClientID, b.ClientID) })
	return out
}

func (a *OAuthApplication) validate() error {
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

func (a *OAuthApplication) redirectURIAllowed(uri string) bool {
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

// issue creates a token pair. Called with s.mu held.
func (p *oauthProvider) issue(app *OAuthApplication, u *user, scopes []string, now time.Time) *oauthToken {
	t := &oauthToken{access: newSecret(), refresh: newSecret(), app: app, user: u,
		scopes: slices.Clone(scopes), createdAt: now}
	p.byAccess[t.access] = t
	p.byRefresh[t.refresh] = t
	return t
}
