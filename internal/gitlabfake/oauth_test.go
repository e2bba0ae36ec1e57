package gitlabfake

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Tests of the OAuth provider as the emulator mounts it: its tokens on the
// API and its control endpoint. The provider on its own is tested in
// oauthprovider. "oauth §N" is docs/gitlab-oauth.md,
// "§N" alone gitlab-api.md.

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

func TestOAuthRefreshRotates(t *testing.T) {
	h := newHarness(t, Options{})
	refresh := func(rt string, mod func(url.Values)) reply {
		v := url.Values{"grant_type": {"refresh_token"}, "client_id": {DemoClientID}, "refresh_token": {rt}}
		if mod != nil {
			mod(v)
		}
		return h.send("POST", "/oauth/token", v)
	}
	old := h.signIn("api read_api")
	r := refresh(old.RefreshToken, nil)
	require.Equal(t, 200, r.status, "body: %s", r.body)
	assert.Equal(t, "no-store", r.header.Get("Cache-Control"))
	var fresh tokenJSON
	r.json(t, &fresh)
	assert.NotEqual(t, old.AccessToken, fresh.AccessToken)
	assert.NotEqual(t, old.RefreshToken, fresh.RefreshToken)
	assert.Equal(t, "api read_api", fresh.Scope)

	t.Run("the old refresh token is invalid_grant after rotation (oauth §2)", func(t *testing.T) {
		r := refresh(old.RefreshToken, nil)
		assert.Equal(t, 400, r.status)
		assert.Equal(t, "invalid_grant", oauthErrorCode(t, r))
	})
	t.Run("the old access token is revoked (oauth §2, §2.2 body)", func(t *testing.T) {
		r := h.do("GET", "/api/v4/user", "", "Authorization", "Bearer "+old.AccessToken)
		assert.Equal(t, 401, r.status)
		assert.JSONEq(t, `{"error":"invalid_token","error_description":"Token was revoked. You have to re-authorize from the user."}`, string(r.body))
	})
	t.Run("the new access token works", func(t *testing.T) {
		assert.Equal(t, 200, h.do("GET", "/api/v4/user", "", "Authorization", "Bearer "+fresh.AccessToken).status)
	})
	t.Run("a wider scope is invalid_scope (oauth §2)", func(t *testing.T) {
		narrow := h.signIn("read_api")
		r := refresh(narrow.RefreshToken, func(v url.Values) { v.Set("scope", "api") })
		assert.Equal(t, 400, r.status)
		assert.Equal(t, "invalid_scope", oauthErrorCode(t, r))
		assert.Equal(t, 200, refresh(narrow.RefreshToken, nil).status, "a refused widening leaves the pair usable")
	})
	t.Run("a narrower scope is granted (oauth §2)", func(t *testing.T) {
		r := refresh(fresh.RefreshToken, func(v url.Values) { v.Set("scope", "read_api") })
		require.Equal(t, 200, r.status, "body: %s", r.body)
		var tok tokenJSON
		r.json(t, &tok)
		assert.Equal(t, "read_api", tok.Scope)
	})
	t.Run("another application cannot use the refresh token", func(t *testing.T) {
		pair := h.signIn("read_api")
		r := refresh(pair.RefreshToken, func(v url.Values) {
			v.Set("client_id", DemoConfidentialClientID)
			v.Set("client_secret", DemoConfidentialSecret)
		})
		assert.Equal(t, 400, r.status)
		assert.Equal(t, "invalid_grant", oauthErrorCode(t, r))
	})
	t.Run("a refresh token works after the access token expired", func(t *testing.T) {
		pair := h.signIn("read_api")
		h.clock.Advance(3 * time.Hour)
		assert.Equal(t, 200, refresh(pair.RefreshToken, nil).status, "refresh-token lifetime is undocumented (oauth §2); kept")
	})
}

func TestOAuthRevoke(t *testing.T) {
	h := newHarness(t, Options{})
	revoke := func(tok string, mod func(url.Values)) reply {
		v := url.Values{"client_id": {DemoClientID}, "token": {tok}}
		if mod != nil {
			mod(v)
		}
		return h.send("POST", "/oauth/revoke", v)
	}
	api := func(tok string) int { return h.do("GET", "/api/v4/user", "", "Authorization", "Bearer "+tok).status }
	refreshStatus := func(rt string) int {
		return h.send("POST", "/oauth/token", url.Values{"grant_type": {"refresh_token"}, "client_id": {DemoClientID}, "refresh_token": {rt}}).status
	}
	cases := []struct {
		name   string
		which  func(tokenJSON) string
		mod    func(url.Values)
		status int
		dead   bool
	}{
		{"revoking the access token kills the pair (oauth §2)", func(p tokenJSON) string { return p.AccessToken }, nil, 200, true},
		{"revoking the refresh token kills the pair (oauth §2)", func(p tokenJSON) string { return p.RefreshToken }, nil, 200, true},
		{"an unknown token answers 200 {} (RFC 7009)", func(tokenJSON) string { return "nope" }, nil, 200, false},
		{"without a client id it is 401 invalid_client (oauth §2)", func(p tokenJSON) string { return p.AccessToken }, func(v url.Values) { v.Del("client_id") }, 401, false},
		{"another application may not revoke it", func(p tokenJSON) string { return p.AccessToken }, func(v url.Values) {
			v.Set("client_id", DemoConfidentialClientID)
			v.Set("client_secret", DemoConfidentialSecret)
		}, 403, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pair := h.signIn("read_api")
			r := revoke(tc.which(pair), tc.mod)
			assert.Equal(t, tc.status, r.status, "body: %s", r.body)
			if tc.status == 200 {
				assert.JSONEq(t, `{}`, string(r.body))
			}
			if tc.dead {
				assert.Equal(t, 401, api(pair.AccessToken))
				assert.Equal(t, 400, refreshStatus(pair.RefreshToken))
				assert.Equal(t, 200, revoke(pair.AccessToken, nil).status, "revoking again is 200")
			} else {
				assert.Equal(t, 200, api(pair.AccessToken))
			}
		})
	}
}

func TestOAuthTokensOnTheAPI(t *testing.T) {
	h := newHarness(t, Options{})
	manual := h.jobIn(statusManual, func(j *job) bool { return j.When == "manual" })
	play := "/api/v4/projects/7/jobs/" + itoa(manual.ID) + "/play"
	readAPI := h.signIn("read_api")
	api := h.signIn("api")
	readUser := h.signIn("read_user")
	bearer := func(tok string) []string { return []string{"Authorization", "Bearer " + tok} }
	cases := []struct {
		name    string
		method  string
		path    string
		headers []string
		status  int
		body    string
	}{
		{"a read_api OAuth token reads jobs (§2.1)", "GET", "/api/v4/projects/7/jobs", bearer(readAPI.AccessToken), 200, ""},
		{"a read_api OAuth token may not act: 403 insufficient_scope (§2.2)", "POST", play, bearer(readAPI.AccessToken), 403,
			`{"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token.","scope":"api"}`},
		{"an api OAuth token acts (§2.1)", "POST", play, bearer(api.AccessToken), 200, ""},
		{"a read_user OAuth token reads /user (§2.1)", "GET", "/api/v4/user", bearer(readUser.AccessToken), 200, ""},
		{"a read_user OAuth token may not read jobs", "GET", "/api/v4/projects/7/jobs", bearer(readUser.AccessToken), 403, ""},
		{"an OAuth token works as access_token too (§2.1)", "GET", "/api/v4/user?access_token=" + api.AccessToken, nil, 200, ""},
		{"a refresh token is not an access token", "GET", "/api/v4/user", bearer(api.RefreshToken), 401, `{"message":"401 Unauthorized"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := h.do(tc.method, tc.path, "", tc.headers...)
			assert.Equal(t, tc.status, r.status, "body: %.300s", r.body)
			if tc.body != "" {
				assert.JSONEq(t, tc.body, string(r.body))
			}
		})
	}
	t.Run("an OAuth token expires after 2 h of clock time (oauth §2, §2.2 body)", func(t *testing.T) {
		h.clock.Advance(2*time.Hour - time.Second)
		require.Equal(t, 200, h.do("GET", "/api/v4/user", "", bearer(api.AccessToken)...).status)
		h.clock.Advance(time.Second)
		r := h.do("GET", "/api/v4/user", "", bearer(api.AccessToken)...)
		assert.Equal(t, 401, r.status)
		assert.JSONEq(t, `{"error":"invalid_token","error_description":"Token is expired. You can either do re-authorization or token refresh."}`, string(r.body))
		assert.Contains(t, r.header.Get("WWW-Authenticate"), "invalid_token")
	})
}

func TestOAuthApplicationsControl(t *testing.T) {
	h := newHarness(t, Options{})
	r := h.do("POST", "/-/emulator/oauth/applications",
		`{"name":"ext","client_id":"ext-app","redirect_uris":["https://abcdefghijklmnop.chromiumapp.org/gitlab"],"scopes":["read_api","api"]}`)
	require.Equal(t, 201, r.status, "body: %s", r.body)
	v := authorizeParams(func(v url.Values) {
		v.Set("client_id", "ext-app")
		v.Set("redirect_uri", "https://abcdefghijklmnop.chromiumapp.org/gitlab")
	})
	u := location(t, h.send("POST", "/oauth/authorize", v))
	assert.Equal(t, "abcdefghijklmnop.chromiumapp.org", u.Host)
	assert.NotEmpty(t, u.Query().Get("code"))

	v.Set("scope", "read_user")
	u = location(t, h.send("GET", "/oauth/authorize?"+v.Encode(), nil))
	assert.Equal(t, "invalid_scope", u.Query().Get("error"), "a scope the application was not registered with")

	bad := []string{
		`{"client_id":"x","redirect_uris":["javascript:alert(1)"]}`,
		`{"client_id":"x","redirect_uris":["https://a.example/cb#frag"]}`,
		`{"client_id":"x","redirect_uris":["/relative"]}`,
		`{"client_id":"","redirect_uris":["https://a.example/cb"]}`,
		`{"client_id":"x","redirect_uris":["https://a.example/cb"],"scopes":["sudo"]}`,
		`{"client_id":"x","redirect_uris":["https://a.example/cb"],"confidential":true}`,
	}
	for _, body := range bad {
		assert.Equal(t, 400, h.do("POST", "/-/emulator/oauth/applications", body).status, body)
	}
	r = h.do("GET", "/-/emulator/oauth/applications", "")
	var apps []OAuthApplication
	r.json(t, &apps)
	ids := []string{}
	for _, a := range apps {
		ids = append(ids, a.ClientID)
	}
	assert.Equal(t, []string{"ext-app", DemoConfidentialClientID, DemoClientID}, ids)
}
