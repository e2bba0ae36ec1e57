package oauthprovider

import (
	"net/http"
	"net/url"
)

// oauthError is a doorkeeper error response: {"error","error_description"}
// in the token, revoke and token info endpoints, or error= and
// error_description= in an authorize redirect. The descriptions are
// doorkeeper's English locale as we remember it (⚠ wording unconfirmed by
// gitlab-oauth.md; the codes and statuses follow RFC 6749 §5.2, which
// doorkeeper implements: invalid_client 401, the others 400).
type oauthError struct {
	code        string
	description string
	status      int
}

var (
	errOAuthInvalidClient = &oauthError{"invalid_client",
		"Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.",
		http.StatusUnauthorized}
	errOAuthInvalidGrant = &oauthError{"invalid_grant",
		"The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",
		http.StatusBadRequest}
	errOAuthUnsupportedGrantType = &oauthError{"unsupported_grant_type",
		"The authorization grant type is not supported by the authorization server.", http.StatusBadRequest}
	errOAuthInvalidScope = &oauthError{"invalid_scope",
		"The requested scope is invalid, unknown, or malformed.", http.StatusBadRequest}
	errOAuthInvalidRedirectURI = &oauthError{"invalid_redirect_uri",
		"The requested redirect uri is malformed or doesn't match client redirect URI.", http.StatusBadRequest}
	errOAuthUnsupportedResponseType = &oauthError{"unsupported_response_type",
		"The authorization server does not support this response type.", http.StatusBadRequest}
	errOAuthCodeChallengeMethod = &oauthError{"invalid_request",
		"The code challenge method must be plain or S256.", http.StatusBadRequest}
	errOAuthAccessDenied = &oauthError{"access_denied",
		"The resource owner or authorization server denied the request.", http.StatusBadRequest}
	// ⚠ 403 unauthorized_client for revoking another application's token:
	// doorkeeper's revoke action, not confirmed for GitLab's override.
	errOAuthRevokeOther = &oauthError{"unauthorized_client",
		"You are not authorized to revoke this token", http.StatusForbidden}
)

// errOAuthMissing is invalid_request for a missing parameter.
func errOAuthMissing(param string) *oauthError {
	return &oauthError{"invalid_request", "Missing required parameter: " + param + ".", http.StatusBadRequest}
}

// response renders e as doorkeeper's JSON error, never cached (oauth §2's
// no-store applies to token responses; ⚠ assumed for errors too).
func (e *oauthError) response() *response {
	resp := jsonResponse(e.status, map[string]string{"error": e.code, "error_description": e.description})
	resp.header.Set("Cache-Control", "no-store")
	resp.header.Set("Pragma", "no-cache")
	if e.status == http.StatusUnauthorized {
		// ⚠ exact challenge text unconfirmed (as in gitlab-api.md §2.2).
		resp.header.Set("WWW-Authenticate", `Bearer realm="Doorkeeper", error="`+e.code+`", error_description="`+e.description+`"`)
	}
	return resp
}

// redirectTo is the authorize error redirect: the client's redirect URI
// with error, error_description and state (RFC 6749 §4.1.2.1).
func (e *oauthError) redirectTo(redirectURI, state string) string {
	v := url.Values{"error": {e.code}, "error_description": {e.description}}
	if state != "" {
		v.Set("state", state)
	}
	return withQuery(redirectURI, v)
}

// withQuery appends v to uri's query, keeping what the registered URI had.
func withQuery(uri string, v url.Values) string {
	u, err := url.Parse(uri)
	if err != nil {
		return uri
	}
	if u.RawQuery != "" {
		u.RawQuery += "&" + v.Encode()
	} else {
		u.RawQuery = v.Encode()
	}
	return u.String()
}

// The token info endpoint's 401s: doorkeeper's InvalidTokenResponse (⚠
// wording unconfirmed). The API answers the api_guard bodies of
// gitlab-api.md §2.2 instead (gitlabfake's oauth.go).
var (
	errTokenInfoUnknown = &oauthError{"invalid_token", "The access token is invalid", http.StatusUnauthorized}
	errTokenInfoExpired = &oauthError{"invalid_token", "The access token expired", http.StatusUnauthorized}
	errTokenInfoRevoked = &oauthError{"invalid_token", "The access token was revoked", http.StatusUnauthorized}
)
