package gitlabfake

import (
	"net/http"
	"strings"

	"github.com/jobscope/jobscope/internal/gitlabfake/oauthprovider"
)

// The emulator mounts GitLab's OAuth provider (package oauthprovider) at
// /oauth/ (server.go), lets the API accept its access tokens with their
// scopes (oauthCredential) and registers applications from Go and from the
// control endpoint. The names below are the provider's, kept here so that
// tests that start an emulator need one import.

// OAuthApplication is an application registered with the provider.
type OAuthApplication = oauthprovider.Application

// The demo applications registered in every emulator (README.md, "Sign in
// with GitLab").
const (
	DemoClientID             = oauthprovider.DemoClientID
	DemoConfidentialClientID = oauthprovider.DemoConfidentialClientID
	DemoConfidentialSecret   = oauthprovider.DemoConfidentialSecret
)

// DemoRedirectURIs are the demo applications' redirect URIs
// (oauthprovider.DemoRedirectURIs: loopback IPs match any port).
var DemoRedirectURIs = oauthprovider.DemoRedirectURIs

// RegisterOAuthApplication adds an application, or replaces the one with
// the same ClientID (oauthprovider.Provider.Register has the rules).
func (s *Server) RegisterOAuthApplication(app OAuthApplication) error { return s.oauth.Register(app) }

// OAuthApplications lists the registered applications, sorted by client id.
func (s *Server) OAuthApplications() []OAuthApplication { return s.oauth.Applications() }

// errInsufficientScopeRead is the 403 for a token with neither api nor
// read_api on a GET (a read_user token outside /user). ⚠ The scope value
// lists the scopes the route accepts, by our reading of api_guard.rb.
var errInsufficientScopeRead = &authFailure{status: http.StatusForbidden, oauth: "insufficient_scope",
	body: `{"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token.","scope":"api read_api"}`}

// oauthCredential authenticates an API request whose token is not a
// personal access token: an OAuth access token, checked the way api_guard
// does (bodies of gitlab-api.md §2.2; ⚠ order expired, revoked, scope as we
// read AccessTokenValidationService), or 401 for
// a token GitLab has no record of. Called with s.mu held (the provider
// never calls back into the emulator, so its lock nests inside s.mu).
func (s *Server) oauthCredential(r *http.Request, tok string) (credential, *authFailure) {
	t, ok := s.oauth.LookupAccess(tok, s.now())
	u := s.users[t.User.Username]
	switch {
	case !ok || u == nil:
		return credential{}, errUnauthorized
	case t.Expired:
		return credential{}, errExpired // after 2 h (oauth §2)
	case t.Revoked:
		return credential{}, errRevoked
	}
	c := credential{kind: tokenPersonal, user: u, scopes: t.Scopes}
	read := r.Method == http.MethodGet || r.Method == http.MethodHead
	switch {
	case c.hasScope(oauthprovider.ScopeAPI):
	case read && c.hasScope(oauthprovider.ScopeReadAPI):
	case read && c.hasScope(oauthprovider.ScopeReadUser) && strings.TrimSuffix(r.URL.Path, "/") == "/api/v4/user":
		// read_user also works for GET /user (gitlab-api.md §2.1).
	case read:
		return credential{}, errInsufficientScopeRead
	default:
		return credential{}, errInsufficientScope
	}
	return c, nil
}

// controlOAuthApplications is /-/emulator/oauth/applications: GET lists the
// registered applications, POST registers one (or replaces the one with
// the same client_id), body as OAuthApplication's JSON.
func (s *Server) controlOAuthApplications(r *http.Request) *response {
	switch r.Method {
	case http.MethodGet:
		return jsonResponse(http.StatusOK, s.OAuthApplications())
	case http.MethodPost:
		var app OAuthApplication
		if err := decodeControl(r, &app); err != nil {
			return errorJSON(http.StatusBadRequest, err.Error())
		}
		if err := s.RegisterOAuthApplication(app); err != nil {
			return errorJSON(http.StatusBadRequest, err.Error())
		}
		return jsonResponse(http.StatusCreated, app)
	}
	return errorJSON(http.StatusMethodNotAllowed, "use GET or POST")
}
