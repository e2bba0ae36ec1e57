package oauth

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var testConfig = Config{BaseURL: "https://gitlab.example.com/", ClientID: "app-id", RedirectURI: "https://jobscope.example/oauth/callback"}

func TestAuthorizeURL(t *testing.T) {
	a, err := NewAttempt(ScopeReadAPI)
	require.NoError(t, err)
	raw, err := testConfig.AuthorizeURL(a)
	require.NoError(t, err)
	u, err := url.Parse(raw)
	require.NoError(t, err)
	assert.Equal(t, "https://gitlab.example.com/oauth/authorize", u.Scheme+"://"+u.Host+u.Path)
	q := u.Query()
	assert.Equal(t, "app-id", q.Get("client_id"))
	assert.Equal(t, testConfig.RedirectURI, q.Get("redirect_uri"))
	assert.Equal(t, "code", q.Get("response_type"))
	assert.Equal(t, a.State, q.Get("state"))
	assert.Equal(t, "read_api", q.Get("scope"), "always sent: GitLab defaults to api (oauth §1)")
	assert.Equal(t, Challenge(a.Verifier), q.Get("code_challenge"))
	assert.Equal(t, "S256", q.Get("code_challenge_method"))
	assert.NotContains(t, raw, a.Verifier, "the verifier never leaves the client before the exchange")
}

func TestAuthorizeURLWithAPrefixAndApiV4(t *testing.T) {
	a, err := NewAttempt(ScopeReadAPI, ScopeAPI, ScopeAPI)
	require.NoError(t, err)
	cfg := testConfig
	cfg.BaseURL = "https://example.com/gitlab/api/v4"
	raw, err := cfg.AuthorizeURL(a)
	require.NoError(t, err)
	u, err := url.Parse(raw)
	require.NoError(t, err)
	assert.Equal(t, "/gitlab/oauth/authorize", u.Path)
	assert.Equal(t, "read_api api", u.Query().Get("scope"), "duplicates dropped, order kept")
}

func TestConfigRejectsBadInput(t *testing.T) {
	good, err := NewAttempt(ScopeReadAPI)
	require.NoError(t, err)
	cases := []struct {
		name string
		cfg  Config
		a    Attempt
	}{
		{"a URL without scheme", Config{BaseURL: "gitlab.com", ClientID: "x", RedirectURI: "https://a/cb"}, good},
		{"an ftp URL", Config{BaseURL: "ftp://gitlab.com", ClientID: "x", RedirectURI: "https://a/cb"}, good},
		{"a URL with credentials", Config{BaseURL: "https://u:p@gitlab.com", ClientID: "x", RedirectURI: "https://a/cb"}, good},
		{"an empty application id", Config{BaseURL: "https://gitlab.com", RedirectURI: "https://a/cb"}, good},
		{"a relative redirect URI", Config{BaseURL: "https://gitlab.com", ClientID: "x", RedirectURI: "/cb"}, good},
		{"a redirect URI with a fragment (oauth §1)", Config{BaseURL: "https://gitlab.com", ClientID: "x", RedirectURI: "https://a/cb#x"}, good},
		{"an attempt not made by NewAttempt", testConfig, Attempt{State: "s", Verifier: "short", Scopes: []string{"api"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.cfg.AuthorizeURL(tc.a)
			assert.ErrorIs(t, err, ErrInvalidArgument)
		})
	}
	_, err = NewAttempt()
	assert.ErrorIs(t, err, ErrInvalidArgument, "no scope: GitLab would grant api")
	_, err = NewAttempt("read_api api")
	assert.ErrorIs(t, err, ErrInvalidArgument, "one scope per argument")
}

func TestAttemptsAreFresh(t *testing.T) {
	a, err := NewAttempt(ScopeReadAPI)
	require.NoError(t, err)
	b, err := NewAttempt(ScopeReadAPI)
	require.NoError(t, err)
	assert.NotEqual(t, a.State, b.State)
	assert.NotEqual(t, a.Verifier, b.Verifier)
	assert.Len(t, a.State, 43)
	for _, s := range []string{a.String(), fmt.Sprintf("%v %+v %#v", a, a, a)} {
		assert.NotContains(t, s, a.Verifier)
		assert.NotContains(t, s, a.State)
	}
}

func TestCallback(t *testing.T) {
	a, err := NewAttempt(ScopeReadAPI)
	require.NoError(t, err)
	cb := func(q url.Values) string { return "https://jobscope.example/oauth/callback?" + q.Encode() }
	cases := []struct {
		name string
		url  string
		code string
		kind error
	}{
		{"a code with our state is returned", cb(url.Values{"code": {"c0de"}, "state": {a.State}}), "c0de", nil},
		{"another state is a mismatch", cb(url.Values{"code": {"c0de"}, "state": {"other"}}), "", ErrStateMismatch},
		{"no state is a mismatch", cb(url.Values{"code": {"c0de"}}), "", ErrStateMismatch},
		{"a denial with another state is a mismatch, not a denial", cb(url.Values{"error": {"access_denied"}, "state": {"x"}}), "", ErrStateMismatch},
		{"Deny on the consent page is ErrConsentDenied (oauth §2)", cb(url.Values{"error": {"access_denied"}, "state": {a.State},
			"error_description": {"The resource owner or authorization server denied the request."}}), "", ErrConsentDenied},
		{"invalid_scope means the application lacks the scope", cb(url.Values{"error": {"invalid_scope"}, "state": {a.State}}), "", ErrScopeNotAllowed},
		{"another OAuth error is ErrRejected", cb(url.Values{"error": {"invalid_request"}, "state": {a.State}}), "", ErrRejected},
		{"neither code nor error is ErrRejected", cb(url.Values{"state": {a.State}}), "", ErrRejected},
		{"a URL that does not parse is ErrRejected", "https://a/%zz?x", "", ErrRejected},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, err := a.Callback(tc.url)
			assert.Equal(t, tc.code, code)
			if tc.kind == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tc.kind)
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, "authorize", e.Op)
			assert.NotContains(t, err.Error(), a.State)
			assert.NotContains(t, err.Error(), "c0de")
		})
	}
}
