//go:build !js

package oauth_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/jobscope/jobscope/internal/oauth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"
)

// These tests run the whole flow against the emulator (gitlab-oauth.md,
// "oauth §N"), the browser played by an HTTP client that reads the consent
// page's forms and submits one, as a user clicking would.

type world struct {
	t      *testing.T
	srv    *gitlabfake.Server
	ts     *httptest.Server
	cfg    oauth.Config
	client *oauth.Client
	// secrets collects every token, code and verifier seen, to check that
	// no error string carries one.
	secrets []string
}

func newWorld(t *testing.T) *world {
	t.Helper()
	srv := gitlabfake.New(gitlabfake.Options{Clock: gitlabfake.NewManualClock(time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC))})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	cfg := oauth.Config{BaseURL: ts.URL, ClientID: gitlabfake.DemoClientID, RedirectURI: "http://127.0.0.1:5173/oauth/callback"}
	c, err := oauth.NewClient(cfg)
	require.NoError(t, err)
	return &world{t: t, srv: srv, ts: ts, cfg: cfg, client: c}
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// consent opens the authorize URL and presses the button with id button
// ("authorize" or "deny") on the page, returning where GitLab sends the
// browser.
func (w *world) consent(authorizeURL, button string) string {
	w.t.Helper()
	resp, err := noRedirect.Get(authorizeURL)
	require.NoError(w.t, err)
	page, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(w.t, err)
	require.Equal(w.t, http.StatusOK, resp.StatusCode, "consent page: %.300s", page)
	action, form := formWithButton(w.t, string(page), button)
	target, err := url.Parse(authorizeURL)
	require.NoError(w.t, err)
	target, err = target.Parse(action)
	require.NoError(w.t, err)
	resp, err = noRedirect.PostForm(target.String(), form)
	require.NoError(w.t, err)
	resp.Body.Close()
	require.Equal(w.t, http.StatusFound, resp.StatusCode)
	return resp.Header.Get("Location")
}

// formWithButton finds the form holding <button id=button> and its inputs.
func formWithButton(t *testing.T, page, button string) (action string, form url.Values) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	require.NoError(t, err)
	attr := func(n *html.Node, k string) string {
		for _, a := range n.Attr {
			if a.Key == k {
				return a.Val
			}
		}
		return ""
	}
	var found bool
	var walk func(n *html.Node, inForm *html.Node, fields url.Values)
	walk = func(n *html.Node, inForm *html.Node, fields url.Values) {
		if n.Type == html.ElementNode && n.Data == "form" {
			inForm, fields = n, url.Values{}
		}
		if inForm != nil && n.Type == html.ElementNode {
			switch {
			case n.Data == "input":
				fields.Add(attr(n, "name"), attr(n, "value"))
			case n.Data == "button" && attr(n, "id") == button:
				action, form, found = attr(inForm, "action"), fields, true
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inForm, fields)
		}
	}
	walk(doc, nil, nil)
	require.True(t, found, "no button #%s in a form", button)
	assert.NotContains(t, page, "<script", "the consent page needs no script")
	return action, form
}

// signIn runs attempt → consent → callback → exchange.
func (w *world) signIn(scopes ...string) oauth.Token {
	w.t.Helper()
	a, err := oauth.NewAttempt(scopes...)
	require.NoError(w.t, err)
	u, err := w.cfg.AuthorizeURL(a)
	require.NoError(w.t, err)
	code, err := a.Callback(w.consent(u, "authorize"))
	require.NoError(w.t, err)
	tok, err := w.client.Exchange(context.Background(), code, a)
	require.NoError(w.t, err)
	w.secrets = append(w.secrets, a.Verifier, a.State, code, tok.AccessToken, tok.RefreshToken)
	return tok
}

func (w *world) api(auth gitlab.Auth) *gitlab.Client {
	w.t.Helper()
	c, err := gitlab.New(w.ts.URL, auth, gitlab.WithBackoff(gitlab.NoBackoff))
	require.NoError(w.t, err)
	return c
}

func (w *world) assertNoSecret(err error) {
	w.t.Helper()
	if err == nil {
		return
	}
	for _, s := range w.secrets {
		assert.NotContains(w.t, err.Error(), s, "a secret in an error string")
	}
}

func TestSignInUseRefreshUpgradeSignOut(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	var stored []oauth.Token
	tok := w.signIn(oauth.ScopeReadAPI)
	assert.Equal(t, []string{"read_api"}, tok.Scopes)
	s := oauth.NewSession(w.client, tok, func(t oauth.Token) { stored = append(stored, t) })
	api := w.api(gitlab.Auth{})

	var jobID int64
	require.NoError(t, s.Call(ctx, func(ctx context.Context, auth gitlab.Auth) error {
		jobs, _, err := api.WithAuth(auth).ListProjectJobs(ctx, gitlab.ProjectID(7), gitlab.ListProjectJobsOptions{})
		if err == nil && len(jobs) > 0 {
			jobID = jobs[0].ID
		}
		return err
	}), "read_api reads jobs (gitlab-api.md §2.1)")
	require.NotZero(t, jobID)

	cancel := func(ctx context.Context, auth gitlab.Auth) error {
		_, err := api.WithAuth(auth).CancelJob(ctx, gitlab.ProjectID(7), jobID, gitlab.CancelOptions{})
		return err
	}
	err := s.Call(ctx, cancel)
	assert.ErrorIs(t, err, oauth.ErrScopeTooNarrow, "read_api cannot act: 403 insufficient_scope (oauth §6)")
	w.assertNoSecret(err)

	info, err := w.client.Info(ctx, tok.AccessToken)
	require.NoError(t, err)
	assert.Equal(t, []string{"read_api"}, info.Scopes, "the current scope, from /oauth/token/info (oauth §6)")
	assert.Equal(t, gitlabfake.DemoClientID, info.ApplicationID)
	assert.Equal(t, 2*time.Hour, info.ExpiresIn)

	// Two hours pass on GitLab's clock only: our clock says the token is
	// fresh, GitLab answers 401 expired, Call refreshes and retries.
	w.srv.AdvanceClock(2 * time.Hour)
	require.NoError(t, s.Call(ctx, func(ctx context.Context, auth gitlab.Auth) error {
		_, err := api.WithAuth(auth).CurrentUser(ctx)
		return err
	}))
	rotated, ok := s.Token()
	require.True(t, ok)
	w.secrets = append(w.secrets, rotated.AccessToken, rotated.RefreshToken)
	assert.NotEqual(t, tok.AccessToken, rotated.AccessToken)
	require.Len(t, stored, 1, "the rotated pair was handed to storage")
	_, err = w.client.Refresh(ctx, tok.RefreshToken)
	assert.ErrorIs(t, err, oauth.ErrRefreshRevoked, "the old refresh token died with the rotation (oauth §2)")
	w.assertNoSecret(err)

	// Upgrade to api: a new sign-in, then the old pair is revoked (oauth §6).
	upgraded := w.signIn(oauth.ScopeReadAPI, oauth.ScopeAPI)
	require.NoError(t, s.Replace(ctx, upgraded))
	require.NoError(t, s.Call(ctx, cancel), "api may cancel")
	_, err = w.api(rotated.Auth()).CurrentUser(ctx)
	assert.ErrorIs(t, err, gitlab.ErrUnauthorized, "the replaced pair is revoked")

	require.NoError(t, s.SignOut(ctx))
	_, err = w.api(upgraded.Auth()).CurrentUser(ctx)
	var ge *gitlab.Error
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, 401, ge.StatusCode, "GitLab refuses the token after sign-out")
	assert.Equal(t, "invalid_token", ge.Code)
	_, ok = s.Token()
	assert.False(t, ok)
	assert.Equal(t, oauth.Token{}, stored[len(stored)-1], "storage wiped")
	_, err = w.client.Info(ctx, upgraded.AccessToken)
	assert.ErrorIs(t, err, oauth.ErrTokenInvalid)
	w.assertNoSecret(err)
}

func TestErrorsInWords(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name string
		run  func(w *world) error
		want error
	}{
		{"Deny on the consent page is ErrConsentDenied", func(w *world) error {
			a, _ := oauth.NewAttempt(oauth.ScopeReadAPI)
			u, err := w.cfg.AuthorizeURL(a)
			require.NoError(t, err)
			_, err = a.Callback(w.consent(u, "deny"))
			return err
		}, oauth.ErrConsentDenied},
		{"an answer for another attempt is ErrStateMismatch", func(w *world) error {
			a, _ := oauth.NewAttempt(oauth.ScopeReadAPI)
			other, _ := oauth.NewAttempt(oauth.ScopeReadAPI)
			u, err := w.cfg.AuthorizeURL(other)
			require.NoError(t, err)
			_, err = a.Callback(w.consent(u, "authorize"))
			return err
		}, oauth.ErrStateMismatch},
		{"a code used twice is ErrCodeRejected (oauth §2)", func(w *world) error {
			a, _ := oauth.NewAttempt(oauth.ScopeReadAPI)
			u, _ := w.cfg.AuthorizeURL(a)
			code, err := a.Callback(w.consent(u, "authorize"))
			require.NoError(t, err)
			w.secrets = append(w.secrets, code, a.Verifier)
			_, err = w.client.Exchange(ctx, code, a)
			require.NoError(t, err)
			_, err = w.client.Exchange(ctx, code, a)
			return err
		}, oauth.ErrCodeRejected},
		{"a code older than 10 minutes is ErrCodeRejected (oauth §2)", func(w *world) error {
			a, _ := oauth.NewAttempt(oauth.ScopeReadAPI)
			u, _ := w.cfg.AuthorizeURL(a)
			code, err := a.Callback(w.consent(u, "authorize"))
			require.NoError(t, err)
			w.secrets = append(w.secrets, code, a.Verifier)
			w.srv.AdvanceClock(10 * time.Minute)
			_, err = w.client.Exchange(ctx, code, a)
			return err
		}, oauth.ErrCodeRejected},
		{"another attempt's verifier is ErrCodeRejected (PKCE, oauth §2)", func(w *world) error {
			a, _ := oauth.NewAttempt(oauth.ScopeReadAPI)
			other, _ := oauth.NewAttempt(oauth.ScopeReadAPI)
			u, _ := w.cfg.AuthorizeURL(a)
			code, err := a.Callback(w.consent(u, "authorize"))
			require.NoError(t, err)
			w.secrets = append(w.secrets, code, a.Verifier, other.Verifier)
			_, err = w.client.Exchange(ctx, code, other)
			return err
		}, oauth.ErrCodeRejected},
		{"a revoked refresh token is ErrRefreshRevoked", func(w *world) error {
			tok := w.signIn(oauth.ScopeReadAPI)
			require.NoError(t, w.client.Revoke(ctx, tok.AccessToken), "revoking the access token kills the pair (oauth §2)")
			_, err := w.client.Refresh(ctx, tok.RefreshToken)
			return err
		}, oauth.ErrRefreshRevoked},
		{"a wider scope on refresh is refused (oauth §2)", func(w *world) error {
			tok := w.signIn(oauth.ScopeReadAPI)
			_, err := w.client.Refresh(ctx, tok.RefreshToken, oauth.ScopeAPI)
			return err
		}, oauth.ErrRejected},
		{"a secretless exchange refused with invalid_client is ErrPKCEUnsupported (inference, oauth §1)", func(w *world) error {
			cfg := w.cfg
			cfg.ClientID = gitlabfake.DemoConfidentialClientID
			c, err := oauth.NewClient(cfg)
			require.NoError(t, err)
			a, _ := oauth.NewAttempt(oauth.ScopeReadAPI)
			u, _ := cfg.AuthorizeURL(a)
			code, err := a.Callback(w.consent(u, "authorize"))
			require.NoError(t, err)
			w.secrets = append(w.secrets, code, a.Verifier)
			_, err = c.Exchange(ctx, code, a)
			return err
		}, oauth.ErrPKCEUnsupported},
		{"a scope the application lacks is ErrScopeNotAllowed", func(w *world) error {
			require.NoError(t, w.srv.RegisterOAuthApplication(gitlabfake.OAuthApplication{Name: "read only",
				ClientID: "read-only", RedirectURIs: gitlabfake.DemoRedirectURIs, Scopes: []string{"read_api"}}))
			cfg := w.cfg
			cfg.ClientID = "read-only"
			a, _ := oauth.NewAttempt(oauth.ScopeAPI)
			u, _ := cfg.AuthorizeURL(a)
			resp, err := noRedirect.Get(u)
			require.NoError(t, err)
			resp.Body.Close()
			_, err = a.Callback(resp.Header.Get("Location"))
			return err
		}, oauth.ErrScopeNotAllowed},
		{"GitLab unreachable is gitlab.ErrNetwork", func(w *world) error {
			cfg := w.cfg
			cfg.BaseURL = "http://127.0.0.1:1"
			c, err := oauth.NewClient(cfg)
			require.NoError(t, err)
			_, err = c.Refresh(ctx, "some-refresh-token")
			w.secrets = append(w.secrets, "some-refresh-token")
			return err
		}, gitlab.ErrNetwork},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			err := tc.run(w)
			require.Error(t, err)
			t.Log(err) // what a user would read
			assert.ErrorIs(t, err, tc.want)
			var e *oauth.Error
			if assert.ErrorAs(t, err, &e) {
				assert.NotEmpty(t, e.Op)
			}
			assert.True(t, strings.HasPrefix(err.Error(), strings.TrimSuffix(tc.want.Error(), ")")), "the sentence comes first: %q", err)
			w.assertNoSecret(err)
		})
	}
}

func TestRevokeIsIdempotent(t *testing.T) {
	w := newWorld(t)
	tok := w.signIn(oauth.ScopeReadAPI)
	ctx := context.Background()
	require.NoError(t, w.client.Revoke(ctx, tok.RefreshToken))
	require.NoError(t, w.client.Revoke(ctx, tok.RefreshToken), "200 {} for a revoked token (oauth §2)")
	_, err := w.api(tok.Auth()).CurrentUser(ctx)
	assert.True(t, errors.Is(err, gitlab.ErrUnauthorized))
}
