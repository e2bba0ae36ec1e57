package gitlabfake

import (
	"net/http"
	"strings"
)

// errInsufficientScopeRead is the 403 for a token with neither api nor
// read_api on a GET (a read_user token outside /user). ⚠ The scope value
// lists the scopes the route accepts, by our reading of api_guard.rb.
var errInsufficientScopeRead = &authFailure{status: http.StatusForbidden, oauth: "insufficient_scope",
	body: `{"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token.","scope":"api read_api"}`}

// oauthCredential authenticates an API request whose token is not a
// personal access token: an OAuth access token, checked the way api_guard
// does (bodies of gitlab-api.md §2.2; ⚠ order expired, revoked, scope as we
// read AccessTokenValidationService), or 401 for
// a token GitLab has no record of. Called with s.mu held.
func (s *Server) oauthCredential(r *http.Request, tok string) (credential, *authFailure) {
	s.oauth.ready()
	t := s.oauth.byAccess[tok]
	switch {
	case t == nil:
		return credential{}, errUnauthorized
	case t.expired(s.now()):
		return credential{}, errExpired // after 2 h (oauth §2)
	case t.revoked:
		return credential{}, errRevoked
	}
	c := credential{kind: tokenPersonal, user: t.user, scopes: t.scopes}
	read := r.Method == http.MethodGet || r.Method == http.MethodHead
	switch {
	case c.hasScope(ScopeAPI):
	case read && c.hasScope(ScopeReadAPI):
	case read && c.hasScope(ScopeReadUser) && strings.TrimSuffix(r.URL.Path, "/") == "/api/v4/user":
		// read_user also works for GET /user (gitlab-api.md §2.1).
	case read:
		return credential{}, errInsufficientScopeRead
	default:
		return credential{}, errInsufficientScope
	}
	return c, nil
}
