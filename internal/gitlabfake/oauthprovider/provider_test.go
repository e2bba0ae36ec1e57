package oauthprovider

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

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

// harness serves a Provider whose visitor is the emulator's demo user.
type harness struct {
	t     *testing.T
	p     *Provider
	ts    *httptest.Server
	clock *testClock
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	clock := &testClock{t: testStart}
	p := New(clock.Now, User{ID: 1, Username: "jobscope-demo"})
	ts := httptest.NewServer(p)
	t.Cleanup(ts.Close)
	return &harness{t: t, p: p, ts: ts, clock: clock}
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json(t *testing.T, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal(r.body, v), "body: %.300s", r.body)
}

// do sends a request without a body; headers alternate name, value.
func (h *harness) do(method, path string, body string, headers ...string) reply {
	h.t.Helper()
	require.Empty(h.t, body, "the provider reads forms: use send")
	return h.send(method, path, nil, headers...)
}

const (
	testVerifier    = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk" // RFC 7636 Appendix B
	testChallenge   = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
	testRedirectURI = "http://127.0.0.1:5173/oauth/callback"
)

// send posts a form (or GETs a URL) without following redirects.
func (h *harness) send(method, path string, form url.Values, headers ...string) reply {
	h.t.Helper()
	var rd io.Reader
	if form != nil {
		rd = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, h.ts.URL+path, rd)
	require.NoError(h.t, err)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	require.NoError(h.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(h.t, err)
	return reply{status: resp.StatusCode, header: resp.Header, body: b}
}

// authorizeParams is a valid S256 request of the demo application.
func authorizeParams(mod func(url.Values)) url.Values {
	v := url.Values{"client_id": {DemoClientID}, "redirect_uri": {testRedirectURI}, "response_type": {"code"},
		"state": {"st-123"}, "scope": {"read_api"}, "code_challenge": {testChallenge}, "code_challenge_method": {"S256"}}
	if mod != nil {
		mod(v)
	}
	return v
}

// location parses a redirect's target.
func location(t *testing.T, r reply) *url.URL {
	t.Helper()
	require.Equal(t, http.StatusFound, r.status, "body: %.300s", r.body)
	u, err := url.Parse(r.header.Get("Location"))
	require.NoError(t, err)
	return u
}

// authorize clicks Authorize and returns the code.
func (h *harness) authorize(v url.Values) string {
	h.t.Helper()
	u := location(h.t, h.send("POST", "/oauth/authorize", v))
	code := u.Query().Get("code")
	require.NotEmpty(h.t, code, "redirect %s", u)
	return code
}

type tokenJSON struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
	Scope        string `json:"scope"`
	CreatedAt    int64  `json:"created_at"`
}

// signIn runs the whole code flow for scope and returns the token pair.
func (h *harness) signIn(scope string) tokenJSON {
	h.t.Helper()
	code := h.authorize(authorizeParams(func(v url.Values) { v.Set("scope", scope) }))
	r := h.send("POST", "/oauth/token", url.Values{"grant_type": {"authorization_code"}, "client_id": {DemoClientID},
		"code": {code}, "redirect_uri": {testRedirectURI}, "code_verifier": {testVerifier}})
	require.Equal(h.t, http.StatusOK, r.status, "body: %s", r.body)
	var tok tokenJSON
	r.json(h.t, &tok)
	return tok
}

func oauthErrorCode(t *testing.T, r reply) string {
	t.Helper()
	var e struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	r.json(t, &e)
	assert.NotEmpty(t, e.Description)
	return e.Error
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
			r := h.send("GET", "/oauth/authorize?"+authorizeParams(tc.mod).Encode(), nil)
			if tc.redirErr != "" {
				u := location(t, r)
				assert.Equal(t, "127.0.0.1:5173", u.Host)
				assert.Equal(t, tc.redirErr, u.Query().Get("error"))
				assert.NotEmpty(t, u.Query().Get("error_description"))
				assert.Equal(t, "st-123", u.Query().Get("state"), "state is echoed on errors")
				return
			}
			assert.Equal(t, tc.page, r.status, "body: %.300s", r.body)
			assert.Equal(t, "text/html; charset=utf-8", r.header.Get("Content-Type"))
			assert.Empty(t, r.header.Get("Location"))
			if tc.page == 200 {
				assert.Contains(t, string(r.body), `id="authorize"`)
				assert.Contains(t, string(r.body), `id="deny"`)
			} else {
				assert.Contains(t, string(r.body), `id="oauth-error"`)
			}
		})
	}
}

func TestOAuthConsentPageIsPlainEscapedHTML(t *testing.T) {
	h := newHarness(t)
	v := authorizeParams(func(v url.Values) { v.Set("state", `"><script>alert(1)</script>`); v.Set("scope", "read_api api") })
	r := h.send("GET", "/oauth/authorize?"+v.Encode(), nil)
	require.Equal(t, 200, r.status)
	body := string(r.body)
	assert.NotContains(t, body, "<script", "the page has no script and escapes the state")
	assert.Contains(t, body, `data-scope="read_api"`)
	assert.Contains(t, body, `data-scope="api"`)
	assert.Contains(t, body, "jobscope-demo", "the signed-in user is named")
	assert.Contains(t, r.header.Get("Content-Security-Policy"), "default-src 'none'")
}

func TestOAuthDenyRedirectsWithAccessDenied(t *testing.T) {
	h := newHarness(t)
	v := authorizeParams(nil)
	v.Set("_method", "delete") // the Deny form (oauth §2)
	u := location(t, h.send("POST", "/oauth/authorize", v))
	assert.Equal(t, "access_denied", u.Query().Get("error"))
	assert.Equal(t, "st-123", u.Query().Get("state"))
	assert.Empty(t, u.Query().Get("code"))
}

func TestOAuthAuthorizeRedirectCarriesOnlyCodeAndState(t *testing.T) {
	h := newHarness(t)
	u := location(t, h.send("POST", "/oauth/authorize", authorizeParams(nil)))
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
	tok := h.signIn("read_api")
	for _, secret := range []string{tok.AccessToken, tok.RefreshToken} {
		assert.NotContains(t, u.String(), secret)
		assert.NotEqual(t, code, secret)
	}
}

func TestOAuthCodeExchange(t *testing.T) {
	h := newHarness(t)
	plain := func(v url.Values) { v.Set("code_challenge", testVerifier); v.Set("code_challenge_method", "plain") }
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
			code := h.authorize(authorizeParams(tc.auth))
			v := url.Values{"grant_type": {"authorization_code"}, "client_id": {DemoClientID}, "code": {code},
				"redirect_uri": {testRedirectURI}, "code_verifier": {testVerifier}}
			if tc.token != nil {
				tc.token(v)
			}
			r := h.send("POST", "/oauth/token", v)
			assert.Equal(t, tc.status, r.status, "body: %s", r.body)
			assert.Equal(t, "no-store", r.header.Get("Cache-Control"), "oauth §2")
			if tc.err != "" {
				assert.Equal(t, tc.err, oauthErrorCode(t, r))
				return
			}
			var tok tokenJSON
			r.json(t, &tok)
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
	exchange := func(code string) reply {
		return h.send("POST", "/oauth/token", url.Values{"grant_type": {"authorization_code"}, "client_id": {DemoClientID},
			"code": {code}, "redirect_uri": {testRedirectURI}, "code_verifier": {testVerifier}})
	}
	code := h.authorize(authorizeParams(nil))
	require.Equal(t, 200, exchange(code).status)
	r := exchange(code)
	assert.Equal(t, 400, r.status)
	assert.Equal(t, "invalid_grant", oauthErrorCode(t, r), "a reused code (oauth §2)")

	code = h.authorize(authorizeParams(nil))
	h.clock.Advance(10 * time.Minute)
	r = exchange(code)
	assert.Equal(t, 400, r.status)
	assert.Equal(t, "invalid_grant", oauthErrorCode(t, r), "a code older than 10 minutes (oauth §2)")

	code = h.authorize(authorizeParams(nil))
	h.clock.Advance(10*time.Minute - time.Second)
	assert.Equal(t, 200, exchange(code).status, "a code just under 10 minutes old")
}

func TestOAuthTokenInfo(t *testing.T) {
	h := newHarness(t)
	pair := h.signIn("read_api")
	h.clock.Advance(10 * time.Minute)
	r := h.do("GET", "/oauth/token/info", "", "Authorization", "Bearer "+pair.AccessToken)
	require.Equal(t, 200, r.status, "body: %s", r.body)
	var info struct {
		ResourceOwnerID int64    `json:"resource_owner_id"`
		Scope           []string `json:"scope"`
		ExpiresIn       int64    `json:"expires_in"`
		Application     struct {
			UID string `json:"uid"`
		} `json:"application"`
		CreatedAt int64 `json:"created_at"`
	}
	r.json(t, &info)
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
			r := h.do("GET", "/oauth/token/info", "", tc.headers...)
			assert.Equal(t, 401, r.status)
			assert.JSONEq(t, `{"error":"invalid_token","error_description":"`+tc.desc+`"}`, string(r.body))
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
			r := h.send(tc.method, tc.path, nil, hdrs...)
			if !tc.allowed {
				assert.Empty(t, r.header.Get("Access-Control-Allow-Origin"))
				return
			}
			assert.Equal(t, 200, r.status)
			assert.Empty(t, r.body)
			assert.Equal(t, "*", r.header.Get("Access-Control-Allow-Origin"))
			assert.Empty(t, r.header.Get("Access-Control-Allow-Credentials"), "never credentials (oauth §3)")
		})
	}
	t.Run("a token response to a form POST is readable by any origin (oauth §3)", func(t *testing.T) {
		r := h.send("POST", "/oauth/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"x"}, "client_id": {DemoClientID}}, "Origin", origin)
		assert.Equal(t, 400, r.status)
		assert.Equal(t, "*", r.header.Get("Access-Control-Allow-Origin"), "errors are readable too")
		assert.Empty(t, r.header.Get("Access-Control-Expose-Headers"))
	})
	t.Run("the consent page sends no CORS headers", func(t *testing.T) {
		r := h.send("GET", "/oauth/authorize?"+authorizeParams(nil).Encode(), nil, "Origin", origin)
		assert.Empty(t, r.header.Get("Access-Control-Allow-Origin"))
	})
}

func TestRFC7636AppendixBVector(t *testing.T) {
	sum := sha256.Sum256([]byte(testVerifier))
	assert.Equal(t, testChallenge, base64.RawURLEncoding.EncodeToString(sum[:]))
}
