package oauthprovider

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jobscope/jobscope/internal/gitlabfake/oauthprovider/oauthtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Tests of the provider on its own; tests of its tokens on the API are
// gitlabfake's oauth_test.go. "oauth §N" is docs/gitlab-oauth.md,
// "§N" alone gitlab-api.md.

// testStart is the clock's reading when a harness starts.
var testStart = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

// testClock is a manual clock, as the emulator's.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// harness serves a Provider whose visitor is the emulator's demo user, and
// is a browser and client of it as the demo application.
type harness struct {
	oauthtest.Client
	p     *Provider
	clock *testClock
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	clock := &testClock{t: testStart}
	p := New(clock.Now, User{ID: 1, Username: "jobscope-demo"})
	ts := httptest.NewServer(p)
	t.Cleanup(ts.Close)
	return &harness{Client: oauthtest.Client{T: t, URL: ts.URL, ClientID: DemoClientID}, p: p, clock: clock}
}

func TestOAuthRedirectURIMatching(t *testing.T) {
	cases := []struct {
		name                  string
		requested, registered string
		match                 bool
	}{
		{"an identical URI matches (oauth §1)", "https://app.example/cb", "https://app.example/cb", true},
		{"another path does not match", "https://app.example/cb/x", "https://app.example/cb", false},
		{"another host does not match", "https://evil.example/cb", "https://app.example/cb", false},
		{"another scheme does not match", "http://app.example/cb", "https://app.example/cb", false},
		{"a query is ignored when the registered URI has none (oauth §1)", "https://app.example/cb?x=1", "https://app.example/cb", true},
		{"a registered query must be present", "https://app.example/cb?a=2", "https://app.example/cb?a=1", false},
		{"a registered query matches in any order", "https://app.example/cb?b=2&a=1", "https://app.example/cb?a=1", true},
		{"a loopback IPv4 address matches any port (oauth §1)", "http://127.0.0.1:49152/cb", "http://127.0.0.1/cb", true},
		{"a loopback IPv6 address matches any port", "http://[::1]:8080/cb", "http://[::1]:9/cb", true},
		{"localhost is a name, not a loopback IP: exact port", "http://localhost:9999/cb", "http://localhost:8080/cb", false},
		{"a fragment never matches", "https://app.example/cb#x", "https://app.example/cb", false},
		{"a Chromium extension URL matches exactly (oauth §4)", "https://abcdefghijklmnop.chromiumapp.org/gitlab", "https://abcdefghijklmnop.chromiumapp.org/gitlab", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.match, redirectURIMatches(tc.requested, tc.registered))
		})
	}
}

func TestOAuthAuthorizeValidation(t *testing.T) {
	h := newHarness(t)
	cases := []struct {
		name     string
		mod      func(url.Values)
		page     int    // status of an error page shown by GitLab, 0 for a redirect
		redirErr string // error= in the redirect; "" for the consent page
	}{
		{"a valid request shows the consent page (oauth §2)", nil, 200, ""},
		{"no scope defaults to api and is allowed (oauth §1)", func(v url.Values) { v.Del("scope") }, 200, ""},
		{"a missing client_id is shown, not redirected", func(v url.Values) { v.Del("client_id") }, 400, ""},
		{"an unknown client is shown, not redirected", func(v url.Values) { v.Set("client_id", "nope") }, 401, ""},
		{"an unregistered redirect URI is shown, never redirected to", func(v url.Values) { v.Set("redirect_uri", "https://evil.example/cb") }, 400, ""},
		{"a missing response_type goes back as invalid_request", func(v url.Values) { v.Del("response_type") }, 0, "invalid_request"},
		{"the implicit flow is not supported", func(v url.Values) { v.Set("response_type", "token") }, 0, "unsupported_response_type"},
		{"an unknown scope goes back as invalid_scope", func(v url.Values) { v.Set("scope", "read_api sudo") }, 0, "invalid_scope"},
		{"an unknown challenge method goes back as invalid_request", func(v url.Values) { v.Set("code_challenge_method", "S512") }, 0, "invalid_request"},
		{"plain PKCE is still accepted (oauth §2)", func(v url.Values) { v.Set("code_challenge_method", "plain") }, 200, ""},
		{"no PKCE is accepted: GitLab does not force it (oauth §2)", func(v url.Values) { v.Del("code_challenge"); v.Del("code_challenge_method") }, 200, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := h.Send("GET", "/oauth/authorize?"+h.AuthorizeParams(tc.mod).Encode(), nil)
			if tc.redirErr != "" {
				u := r.Location(t)
				assert.Equal(t, "127.0.0.1:5173", u.Host)
				assert.Equal(t, tc.redirErr, u.Query().Get("error"))
				assert.NotEmpty(t, u.Query().Get("error_description"))
				assert.Equal(t, "st-123", u.Query().Get("state"), "state is echoed on errors")
				return
			}
			assert.Equal(t, tc.page, r.Status, "body: %.300s", r.Body)
			assert.Equal(t, "text/html; charset=utf-8", r.Header.Get("Content-Type"))
			assert.Empty(t, r.Header.Get("Location"))
			if tc.page == 200 {
				assert.Contains(t, string(r.Body), `id="authorize"`)
				assert.Contains(t, string(r.Body), `id="deny"`)
			} else {
				assert.Contains(t, string(r.Body), `id="oauth-error"`)
			}
		})
	}
}

func TestOAuthConsentPageIsPlainEscapedHTML(t *testing.T) {
	h := newHarness(t)
	v := h.AuthorizeParams(func(v url.Values) { v.Set("state", `"><script>alert(1)</script>`); v.Set("scope", "read_api api") })
	r := h.Send("GET", "/oauth/authorize?"+v.Encode(), nil)
	require.Equal(t, 200, r.Status)
	body := string(r.Body)
	assert.NotContains(t, body, "<script", "the page has no script and escapes the state")
	assert.Contains(t, body, `data-scope="read_api"`)
	assert.Contains(t, body, `data-scope="api"`)
	assert.Contains(t, body, "jobscope-demo", "the signed-in user is named")
	assert.Contains(t, r.Header.Get("Content-Security-Policy"), "default-src 'none'")
}

func TestOAuthDenyRedirectsWithAccessDenied(t *testing.T) {
	h := newHarness(t)
	v := h.AuthorizeParams(nil)
	v.Set("_method", "delete") // the Deny form (oauth §2)
	u := h.Send("POST", "/oauth/authorize", v).Location(t)
	assert.Equal(t, "access_denied", u.Query().Get("error"))
	assert.Equal(t, "st-123", u.Query().Get("state"))
	assert.Empty(t, u.Query().Get("code"))
}

func TestOAuthAuthorizeRedirectCarriesOnlyCodeAndState(t *testing.T) {
	h := newHarness(t)
	u := h.Send("POST", "/oauth/authorize", h.AuthorizeParams(nil)).Location(t)
	assert.Equal(t, "http", u.Scheme)
	assert.Equal(t, "127.0.0.1:5173", u.Host, "the requested loopback port is kept")
	assert.Equal(t, "/oauth/callback", u.Path)
	assert.Empty(t, u.Fragment, "no implicit-flow fragment")
	keys := []string{}
	for k := range u.Query() {
		keys = append(keys, k)
	}
	assert.ElementsMatch(t, []string{"code", "state"}, keys, "RFC 6749 §4.1.2: only code and state")
	code := u.Query().Get("code")
	tok := h.SignIn("read_api")
	for _, secret := range []string{tok.AccessToken, tok.RefreshToken} {
		assert.NotContains(t, u.String(), secret)
		assert.NotEqual(t, code, secret)
	}
}

func TestOAuthCodeExchange(t *testing.T) {
	h := newHarness(t)
	plain := func(v url.Values) {
		v.Set("code_challenge", oauthtest.Verifier)
		v.Set("code_challenge_method", "plain")
	}
	noPKCE := func(v url.Values) { v.Del("code_challenge"); v.Del("code_challenge_method") }
	confidential := func(v url.Values) { v.Set("client_id", DemoConfidentialClientID) }
	cases := []struct {
		name   string
		auth   func(url.Values) // changes to the authorize request
		token  func(url.Values) // changes to the token request
		status int
		err    string
	}{
		{"an S256 verifier gets a token pair (oauth §2)", nil, nil, 200, ""},
		{"a plain verifier equal to the challenge works (oauth §2)", plain, nil, 200, ""},
		{"without PKCE a public client still gets a token (not enforced, oauth §2)", noPKCE, func(v url.Values) { v.Del("code_verifier") }, 200, ""},
		{"a wrong verifier is invalid_grant", nil, func(v url.Values) { v.Set("code_verifier", strings.Repeat("a", 43)) }, 400, "invalid_grant"},
		{"a missing verifier is invalid_grant when a challenge was sent", nil, func(v url.Values) { v.Del("code_verifier") }, 400, "invalid_grant"},
		{"a verifier without a challenge is invalid_grant", noPKCE, nil, 400, "invalid_grant"},
		{"an unknown code is invalid_grant", nil, func(v url.Values) { v.Set("code", "0000") }, 400, "invalid_grant"},
		{"another redirect URI is invalid_grant", nil, func(v url.Values) { v.Set("redirect_uri", "http://[::1]/oauth/callback") }, 400, "invalid_grant"},
		{"another loopback port of the same URI is accepted (oauth §1)", nil, func(v url.Values) { v.Set("redirect_uri", "http://127.0.0.1:1/oauth/callback") }, 200, ""},
		{"another application's client id is invalid_grant", nil, func(v url.Values) {
			v.Set("client_id", DemoConfidentialClientID)
			v.Set("client_secret", DemoConfidentialSecret)
		}, 400, "invalid_grant"},
		{"an unknown client is 401 invalid_client", nil, func(v url.Values) { v.Set("client_id", "nope") }, 401, "invalid_client"},
		{"no client id is 401 invalid_client", nil, func(v url.Values) { v.Del("client_id") }, 401, "invalid_client"},
		{"a confidential application without its secret is 401 invalid_client (oauth §1)", confidential, func(v url.Values) { v.Set("client_id", DemoConfidentialClientID) }, 401, "invalid_client"},
		{"a confidential application with its secret gets a token", confidential, func(v url.Values) {
			v.Set("client_id", DemoConfidentialClientID)
			v.Set("client_secret", DemoConfidentialSecret)
		}, 200, ""},
		{"a missing code is invalid_request", nil, func(v url.Values) { v.Del("code") }, 400, "invalid_request"},
		{"a missing grant type is invalid_request", nil, func(v url.Values) { v.Del("grant_type") }, 400, "invalid_request"},
		{"the password grant is not supported", nil, func(v url.Values) { v.Set("grant_type", "password") }, 400, "unsupported_grant_type"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code := h.Authorize(h.AuthorizeParams(tc.auth))
			v := url.Values{"grant_type": {"authorization_code"}, "client_id": {DemoClientID}, "code": {code},
				"redirect_uri": {oauthtest.RedirectURI}, "code_verifier": {oauthtest.Verifier}}
			if tc.token != nil {
				tc.token(v)
			}
			r := h.Send("POST", "/oauth/token", v)
			assert.Equal(t, tc.status, r.Status, "body: %s", r.Body)
			assert.Equal(t, "no-store", r.Header.Get("Cache-Control"), "oauth §2")
			if tc.err != "" {
				assert.Equal(t, tc.err, r.ErrorCode(t))
				return
			}
			var tok oauthtest.Token
			r.JSON(t, &tok)
			assert.Len(t, tok.AccessToken, 64)
			assert.Len(t, tok.RefreshToken, 64)
			assert.Equal(t, "Bearer", tok.TokenType)
			assert.Equal(t, int64(7200), tok.ExpiresIn, "2 h, fixed (oauth §2)")
			assert.Equal(t, "read_api", tok.Scope)
			assert.Equal(t, h.clock.Now().Unix(), tok.CreatedAt)
		})
	}
}

func TestOAuthCodeIsSingleUseAndLivesTenMinutes(t *testing.T) {
	h := newHarness(t)
	exchange := func(code string) oauthtest.Reply {
		return h.Send("POST", "/oauth/token", url.Values{"grant_type": {"authorization_code"}, "client_id": {DemoClientID},
			"code": {code}, "redirect_uri": {oauthtest.RedirectURI}, "code_verifier": {oauthtest.Verifier}})
	}
	code := h.Authorize(h.AuthorizeParams(nil))
	require.Equal(t, 200, exchange(code).Status)
	r := exchange(code)
	assert.Equal(t, 400, r.Status)
	assert.Equal(t, "invalid_grant", r.ErrorCode(t), "a reused code (oauth §2)")

	code = h.Authorize(h.AuthorizeParams(nil))
	h.clock.Advance(10 * time.Minute)
	r = exchange(code)
	assert.Equal(t, 400, r.Status)
	assert.Equal(t, "invalid_grant", r.ErrorCode(t), "a code older than 10 minutes (oauth §2)")

	code = h.Authorize(h.AuthorizeParams(nil))
	h.clock.Advance(10*time.Minute - time.Second)
	assert.Equal(t, 200, exchange(code).Status, "a code just under 10 minutes old")
}

func TestOAuthTokenInfo(t *testing.T) {
	h := newHarness(t)
	pair := h.SignIn("read_api")
	h.clock.Advance(10 * time.Minute)
	r := h.Send("GET", "/oauth/token/info", nil, "Authorization", "Bearer "+pair.AccessToken)
	require.Equal(t, 200, r.Status, "body: %s", r.Body)
	var info struct {
		ResourceOwnerID int64    `json:"resource_owner_id"`
		Scope           []string `json:"scope"`
		ExpiresIn       int64    `json:"expires_in"`
		Application     struct {
			UID string `json:"uid"`
		} `json:"application"`
		CreatedAt int64 `json:"created_at"`
	}
	r.JSON(t, &info)
	assert.Equal(t, int64(1), info.ResourceOwnerID)
	assert.Equal(t, []string{"read_api"}, info.Scope, "read the current scope here (oauth §6)")
	assert.Equal(t, int64(7200-600), info.ExpiresIn)
	assert.Equal(t, DemoClientID, info.Application.UID)
	assert.Equal(t, pair.CreatedAt, info.CreatedAt)

	cases := []struct {
		name    string
		headers []string
		prepare func()
		desc    string
	}{
		{"no token is invalid_token", nil, nil, "The access token is invalid"},
		{"an unknown token is invalid_token", []string{"Authorization", "Bearer nope"}, nil, "The access token is invalid"},
		{"an expired token says so", []string{"Authorization", "Bearer " + pair.AccessToken}, func() { h.clock.Advance(2 * time.Hour) }, "The access token expired"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.prepare != nil {
				tc.prepare()
			}
			r := h.Send("GET", "/oauth/token/info", nil, tc.headers...)
			assert.Equal(t, 401, r.Status)
			assert.JSONEq(t, `{"error":"invalid_token","error_description":"`+tc.desc+`"}`, string(r.Body))
		})
	}
}

func TestOAuthCORS(t *testing.T) {
	h := newHarness(t)
	const origin = "https://pwa.example"
	cases := []struct {
		name      string
		method    string
		path      string
		reqMethod string // Access-Control-Request-Method, for preflights
		reqHdrs   string
		allowed   bool
	}{
		{"a token preflight for POST is allowed to any origin (oauth §3)", "OPTIONS", "/oauth/token", "POST", "", true},
		{"a token preflight with Authorization is allowed (oauth §3)", "OPTIONS", "/oauth/token", "POST", "authorization", true},
		{"a token preflight with Content-Type is refused: no JSON bodies (oauth §3)", "OPTIONS", "/oauth/token", "POST", "content-type", false},
		{"a token preflight for GET is refused", "OPTIONS", "/oauth/token", "GET", "", false},
		{"a revoke preflight for POST is allowed (oauth §3)", "OPTIONS", "/oauth/revoke", "POST", "", true},
		{"a token info preflight for GET with Authorization is allowed (oauth §3)", "OPTIONS", "/oauth/token/info", "GET", "Authorization", true},
		{"a token info preflight with PRIVATE-TOKEN is refused", "OPTIONS", "/oauth/token/info", "GET", "private-token", false},
		{"authorize has no CORS rule (oauth §3)", "OPTIONS", "/oauth/authorize", "GET", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hdrs := []string{"Origin", origin, "Access-Control-Request-Method", tc.reqMethod}
			if tc.reqHdrs != "" {
				hdrs = append(hdrs, "Access-Control-Request-Headers", tc.reqHdrs)
			}
			r := h.Send(tc.method, tc.path, nil, hdrs...)
			if !tc.allowed {
				assert.Empty(t, r.Header.Get("Access-Control-Allow-Origin"))
				return
			}
			assert.Equal(t, 200, r.Status)
			assert.Empty(t, r.Body)
			assert.Equal(t, "*", r.Header.Get("Access-Control-Allow-Origin"))
			assert.Empty(t, r.Header.Get("Access-Control-Allow-Credentials"), "never credentials (oauth §3)")
		})
	}
	t.Run("a token response to a form POST is readable by any origin (oauth §3)", func(t *testing.T) {
		r := h.Send("POST", "/oauth/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"x"}, "client_id": {DemoClientID}}, "Origin", origin)
		assert.Equal(t, 400, r.Status)
		assert.Equal(t, "*", r.Header.Get("Access-Control-Allow-Origin"), "errors are readable too")
		assert.Empty(t, r.Header.Get("Access-Control-Expose-Headers"))
	})
	t.Run("the consent page sends no CORS headers", func(t *testing.T) {
		r := h.Send("GET", "/oauth/authorize?"+h.AuthorizeParams(nil).Encode(), nil, "Origin", origin)
		assert.Empty(t, r.Header.Get("Access-Control-Allow-Origin"))
	})
}

func TestRFC7636AppendixBVector(t *testing.T) {
	sum := sha256.Sum256([]byte(oauthtest.Verifier))
	assert.Equal(t, oauthtest.Challenge, base64.RawURLEncoding.EncodeToString(sum[:]))
}
