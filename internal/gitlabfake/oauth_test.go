package gitlabfake

import (
	"net/url"
	"testing"
	"time"

	"github.com/jobscope/jobscope/internal/gitlabfake/oauthprovider/oauthtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Tests of the OAuth provider as the emulator mounts it: its tokens on the
// API and its control endpoint. The provider on its own is tested in
// oauthprovider. "oauth §N" is docs/gitlab-oauth.md,
// "§N" alone gitlab-api.md.

// oauth is a browser and client of the emulator's OAuth provider, as the
// demo application.
func (h *harness) oauth() oauthtest.Client {
	return oauthtest.Client{T: h.t, URL: h.ts.URL, ClientID: DemoClientID}
}

func TestOAuthRefreshRotates(t *testing.T) {
	h := newHarness(t, Options{})
	o := h.oauth()
	refresh := func(rt string, mod func(url.Values)) oauthtest.Reply {
		v := url.Values{"grant_type": {"refresh_token"}, "client_id": {DemoClientID}, "refresh_token": {rt}}
		if mod != nil {
			mod(v)
		}
		return o.Send("POST", "/oauth/token", v)
	}
	old := o.SignIn("api read_api")
	r := refresh(old.RefreshToken, nil)
	require.Equal(t, 200, r.Status, "body: %s", r.Body)
	assert.Equal(t, "no-store", r.Header.Get("Cache-Control"))
	var fresh oauthtest.Token
	r.JSON(t, &fresh)
	assert.NotEqual(t, old.AccessToken, fresh.AccessToken)
	assert.NotEqual(t, old.RefreshToken, fresh.RefreshToken)
	assert.Equal(t, "api read_api", fresh.Scope)

	t.Run("the old refresh token is invalid_grant after rotation (oauth §2)", func(t *testing.T) {
		r := refresh(old.RefreshToken, nil)
		assert.Equal(t, 400, r.Status)
		assert.Equal(t, "invalid_grant", r.ErrorCode(t))
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
		narrow := o.SignIn("read_api")
		r := refresh(narrow.RefreshToken, func(v url.Values) { v.Set("scope", "api") })
		assert.Equal(t, 400, r.Status)
		assert.Equal(t, "invalid_scope", r.ErrorCode(t))
		assert.Equal(t, 200, refresh(narrow.RefreshToken, nil).Status, "a refused widening leaves the pair usable")
	})
	t.Run("a narrower scope is granted (oauth §2)", func(t *testing.T) {
		r := refresh(fresh.RefreshToken, func(v url.Values) { v.Set("scope", "read_api") })
		require.Equal(t, 200, r.Status, "body: %s", r.Body)
		var tok oauthtest.Token
		r.JSON(t, &tok)
		assert.Equal(t, "read_api", tok.Scope)
	})
	t.Run("another application cannot use the refresh token", func(t *testing.T) {
		pair := o.SignIn("read_api")
		r := refresh(pair.RefreshToken, func(v url.Values) {
			v.Set("client_id", DemoConfidentialClientID)
			v.Set("client_secret", DemoConfidentialSecret)
		})
		assert.Equal(t, 400, r.Status)
		assert.Equal(t, "invalid_grant", r.ErrorCode(t))
	})
	t.Run("a refresh token works after the access token expired", func(t *testing.T) {
		pair := o.SignIn("read_api")
		h.clock.Advance(3 * time.Hour)
		assert.Equal(t, 200, refresh(pair.RefreshToken, nil).Status, "refresh-token lifetime is undocumented (oauth §2); kept")
	})
}

func TestOAuthRevoke(t *testing.T) {
	h := newHarness(t, Options{})
	o := h.oauth()
	revoke := func(tok string, mod func(url.Values)) oauthtest.Reply {
		v := url.Values{"client_id": {DemoClientID}, "token": {tok}}
		if mod != nil {
			mod(v)
		}
		return o.Send("POST", "/oauth/revoke", v)
	}
	api := func(tok string) int { return h.do("GET", "/api/v4/user", "", "Authorization", "Bearer "+tok).status }
	refreshStatus := func(rt string) int {
		return o.Send("POST", "/oauth/token", url.Values{"grant_type": {"refresh_token"}, "client_id": {DemoClientID}, "refresh_token": {rt}}).Status
	}
	cases := []struct {
		name   string
		which  func(oauthtest.Token) string
		mod    func(url.Values)
		status int
		dead   bool
	}{
		{"revoking the access token kills the pair (oauth §2)", func(p oauthtest.Token) string { return p.AccessToken }, nil, 200, true},
		{"revoking the refresh token kills the pair (oauth §2)", func(p oauthtest.Token) string { return p.RefreshToken }, nil, 200, true},
		{"an unknown token answers 200 {} (RFC 7009)", func(oauthtest.Token) string { return "nope" }, nil, 200, false},
		{"without a client id it is 401 invalid_client (oauth §2)", func(p oauthtest.Token) string { return p.AccessToken }, func(v url.Values) { v.Del("client_id") }, 401, false},
		{"another application may not revoke it", func(p oauthtest.Token) string { return p.AccessToken }, func(v url.Values) {
			v.Set("client_id", DemoConfidentialClientID)
			v.Set("client_secret", DemoConfidentialSecret)
		}, 403, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pair := o.SignIn("read_api")
			r := revoke(tc.which(pair), tc.mod)
			assert.Equal(t, tc.status, r.Status, "body: %s", r.Body)
			if tc.status == 200 {
				assert.JSONEq(t, `{}`, string(r.Body))
			}
			if tc.dead {
				assert.Equal(t, 401, api(pair.AccessToken))
				assert.Equal(t, 400, refreshStatus(pair.RefreshToken))
				assert.Equal(t, 200, revoke(pair.AccessToken, nil).Status, "revoking again is 200")
			} else {
				assert.Equal(t, 200, api(pair.AccessToken))
			}
		})
	}
}

func TestOAuthTokensOnTheAPI(t *testing.T) {
	h := newHarness(t, Options{})
	o := h.oauth()
	manual := h.jobIn(statusManual, func(j *job) bool { return j.When == "manual" })
	play := "/api/v4/projects/7/jobs/" + itoa(manual.ID) + "/play"
	readAPI := o.SignIn("read_api")
	api := o.SignIn("api")
	readUser := o.SignIn("read_user")
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
	o := h.oauth()
	r := h.do("POST", "/-/emulator/oauth/applications",
		`{"name":"ext","client_id":"ext-app","redirect_uris":["https://abcdefghijklmnop.chromiumapp.org/gitlab"],"scopes":["read_api","api"]}`)
	require.Equal(t, 201, r.status, "body: %s", r.body)
	v := o.AuthorizeParams(func(v url.Values) {
		v.Set("client_id", "ext-app")
		v.Set("redirect_uri", "https://abcdefghijklmnop.chromiumapp.org/gitlab")
	})
	u := o.Send("POST", "/oauth/authorize", v).Location(t)
	assert.Equal(t, "abcdefghijklmnop.chromiumapp.org", u.Host)
	assert.NotEmpty(t, u.Query().Get("code"))

	v.Set("scope", "read_user")
	u = o.Send("GET", "/oauth/authorize?"+v.Encode(), nil).Location(t)
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
