// Package oauthtest drives GitLab's OAuth provider over HTTP as a browser
// and a public client do: it presses Authorize on the consent page, trades
// the code for a pair with a PKCE verifier, and reads the answers. The
// provider's own tests (oauthprovider) and the emulator's tests of its
// tokens on the API (gitlabfake) share it. Tests only: every failure is
// the test's (require).
package oauthtest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The PKCE pair of RFC 7636 Appendix B, and the redirect URI the demo
// application is registered with.
const (
	Verifier    = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	Challenge   = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
	RedirectURI = "http://127.0.0.1:5173/oauth/callback"
)

// Reply is an answer, read whole.
type Reply struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v.
func (r Reply) JSON(t *testing.T, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal(r.Body, v), "body: %.300s", r.Body)
}

// Location is a redirect's target.
func (r Reply) Location(t *testing.T) *url.URL {
	t.Helper()
	require.Equal(t, http.StatusFound, r.Status, "body: %.300s", r.Body)
	u, err := url.Parse(r.Header.Get("Location"))
	require.NoError(t, err)
	return u
}

// ErrorCode is an OAuth error answer's error, which must come with a
// description (oauth §2).
func (r Reply) ErrorCode(t *testing.T) string {
	t.Helper()
	var e struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	r.JSON(t, &e)
	assert.NotEmpty(t, e.Description)
	return e.Error
}

// Token is /oauth/token's answer (oauth §2).
type Token struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
	Scope        string `json:"scope"`
	CreatedAt    int64  `json:"created_at"`
}

// Client is a browser and a public client of the provider at URL (paths
// start with /oauth/), as application ClientID.
type Client struct {
	T        *testing.T
	URL      string
	ClientID string
}

// Send posts a form (or, with a nil form, sends no body) without following
// redirects; headers alternate name, value.
func (c Client) Send(method, path string, form url.Values, headers ...string) Reply {
	c.T.Helper()
	var rd io.Reader
	if form != nil {
		rd = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.URL+path, rd)
	require.NoError(c.T, err)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Do(req)
	require.NoError(c.T, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(c.T, err)
	return Reply{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// AuthorizeParams is a valid S256 authorization request of the client's
// application for read_api, changed by mod when not nil.
func (c Client) AuthorizeParams(mod func(url.Values)) url.Values {
	v := url.Values{"client_id": {c.ClientID}, "redirect_uri": {RedirectURI}, "response_type": {"code"},
		"state": {"st-123"}, "scope": {"read_api"}, "code_challenge": {Challenge}, "code_challenge_method": {"S256"}}
	if mod != nil {
		mod(v)
	}
	return v
}

// Authorize presses Authorize on the consent page for v and returns the
// code.
func (c Client) Authorize(v url.Values) string {
	c.T.Helper()
	u := c.Send("POST", "/oauth/authorize", v).Location(c.T)
	code := u.Query().Get("code")
	require.NotEmpty(c.T, code, "redirect %s", u)
	return code
}

// SignIn runs the whole code flow for scope and returns the pair.
func (c Client) SignIn(scope string) Token {
	c.T.Helper()
	code := c.Authorize(c.AuthorizeParams(func(v url.Values) { v.Set("scope", scope) }))
	r := c.Send("POST", "/oauth/token", url.Values{"grant_type": {"authorization_code"}, "client_id": {c.ClientID},
		"code": {code}, "redirect_uri": {RedirectURI}, "code_verifier": {Verifier}})
	require.Equal(c.T, http.StatusOK, r.Status, "body: %s", r.Body)
	var tok Token
	r.JSON(c.T, &tok)
	return tok
}
