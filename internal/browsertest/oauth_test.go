package browsertest

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/jobscope/jobscope/internal/site"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tokenTap records every pair the emulator's /oauth/token hands out, so a
// test knows the secrets to look for (and never finds) in URLs, storage and
// console lines.
type tokenTap struct {
	next http.Handler
	// beforeExchange, when set, runs as a code reaches /oauth/token.
	beforeExchange func()

	mu     sync.Mutex
	access []string
	fresh  []string // refresh tokens
}

func (tt *tokenTap) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/oauth/token" {
		tt.next.ServeHTTP(w, r)
		return
	}
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	if form, _ := url.ParseQuery(string(body)); form.Get("grant_type") == "authorization_code" && tt.beforeExchange != nil {
		tt.beforeExchange()
	}
	rec := httptest.NewRecorder()
	tt.next.ServeHTTP(rec, r)
	var pair struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	if json.Unmarshal(rec.Body.Bytes(), &pair) == nil && pair.AccessToken != "" {
		tt.mu.Lock()
		tt.access, tt.fresh = append(tt.access, pair.AccessToken), append(tt.fresh, pair.RefreshToken)
		tt.mu.Unlock()
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// secrets returns every access and refresh token issued so far.
func (tt *tokenTap) secrets() (access, refresh []string) {
	tt.mu.Lock()
	defer tt.mu.Unlock()
	return append([]string(nil), tt.access...), append([]string(nil), tt.fresh...)
}

// serveOAuthEmulator serves a frozen emulator (its clock moves only when
// told) behind a tokenTap, on its own loopback origin.
func serveOAuthEmulator(t *testing.T) (*gitlabfake.Server, *httptest.Server, *tokenTap) {
	t.Helper()
	emu := gitlabfake.New(gitlabfake.Options{Frozen: true})
	tap := &tokenTap{next: emu}
	srv := httptest.NewServer(tap)
	t.Cleanup(srv.Close)
	return emu, srv, tap
}

// consoleLines collects every console call of the tab (the Go wasm's
// prints included) until the test ends.
func consoleLines(ctx context.Context) func() []string {
	var mu sync.Mutex
	var lines []string
	go func() {
		for ev, err := range chromedp.Events(ctx, runtime.ConsoleAPICalled) {
			if err != nil {
				return
			}
			var b strings.Builder
			for _, a := range ev.Args {
				b.WriteString(string(a.Value) + " " + a.Description + " ")
			}
			mu.Lock()
			lines = append(lines, b.String())
			mu.Unlock()
		}
	}()
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), lines...)
	}
}

// startSignIn fills the "Sign in with GitLab" form for the emulator's demo
// application and waits for the emulator's consent page.
func startSignIn(siteURL, apiURL string, stay bool) chromedp.Action[chromedp.Void] {
	return startSignInAs(siteURL, apiURL, gitlabfake.DemoClientID, stay)
}

// startSignInAs is startSignIn with the application clientID.
func startSignInAs(siteURL, apiURL, clientID string, stay bool) chromedp.Action[chromedp.Void] {
	actions := []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(siteURL + "/"), waitApp,
		chromedp.WaitVisible(chromedp.ID("sign-in")),
		fill("signin-base-url", apiURL),
		fill("client-id", clientID),
	}
	if stay {
		actions = append(actions, chromedp.Click(chromedp.ID("stay-signed-in")))
	}
	actions = append(actions,
		chromedp.Click(chromedp.ID("sign-in")),
		chromedp.WaitVisible(chromedp.ID("authorize")), // GitLab's consent page
	)
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error { return chromedp.Do(ctx, actions...) })
}

// history is every URL of the tab's session history.
func history(t *testing.T, ctx context.Context) []string {
	t.Helper()
	h, err := chromedp.Call(ctx, page.GetNavigationHistory, cdp.Empty{})
	require.NoError(t, err)
	var urls []string
	for _, e := range h.Entries {
		urls = append(urls, e.URL)
	}
	return urls
}

// storageDump is everything the origin keeps in localStorage and
// sessionStorage, as one string.
func storageDump(t *testing.T, ctx context.Context) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])`))
	require.NoError(t, err)
	return s
}

// apiStatus is the status the emulator answers GET /user with token.
func apiStatus(t *testing.T, apiURL, token string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, apiURL+"/api/v4/user", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}

// The whole dance of gitlab-oauth.md "Recommended flows (a)", memory-only:
// sign in through the consent page, use the API, survive the access
// token's expiry (oauth §2: 2 h, refresh with rotation), sign out (§6:
// revoke, then wipe), with no token in a URL, in storage or on the console.
func TestSignInWithGitLabUsesRefreshesAndSignsOut(t *testing.T) {
	requireBrowser(t)
	emu, api, tap := serveOAuthEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	console := consoleLines(ctx)

	require.NoError(t, chromedp.Do(ctx,
		startSignIn(srv.URL, api.URL, false),
		chromedp.Click(chromedp.ID("authorize")),
		projectsLoaded, // signed in and used: GET /projects with the Bearer token
	))
	access, refresh := tap.secrets()
	require.Len(t, access, 1, "one code exchange")

	loc, err := chromedp.Run(ctx, chromedp.Location())
	require.NoError(t, err)
	assert.Equal(t, srv.URL+"/projects", loc, "back on the app, the callback's query gone")
	urls := history(t, ctx)
	for _, u := range urls {
		assert.NotContains(t, u, "code=", "no entry of the history keeps the code")
		for _, secret := range append(access, refresh...) {
			assert.NotContains(t, u, secret, "no token in any URL")
		}
	}
	assert.Contains(t, urls, srv.URL+"/oauth/callback", "the callback entry was cleaned in place")
	stored := storageDump(t, ctx)
	for _, secret := range append(access, refresh...) {
		assert.NotContains(t, stored, secret, "memory only: no token in localStorage or sessionStorage")
	}
	assert.NotContains(t, stored, `"verifier"`, "the attempt is used once and removed")

	// Two hours later on GitLab's clock the access token is dead: the next
	// request gets 401, refreshes (one rotation) and goes on.
	emu.AdvanceClock(2*time.Hour + time.Minute)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#project-list li a")),
		chromedp.WaitVisible(chromedp.CSS("#job-list li.job:not(.skeleton)")),
	))
	access, refresh = tap.secrets()
	require.Len(t, access, 2, "one refresh after expiry")
	assert.Equal(t, http.StatusUnauthorized, apiStatus(t, api.URL, access[0]), "the first access token expired")
	assert.Equal(t, http.StatusOK, apiStatus(t, api.URL, access[1]), "the refreshed one works")

	// Sign out from the Connect screen, reached inside the app (a reload
	// would forget a memory-only sign-in by design).
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("instance")),
		chromedp.WaitVisible(chromedp.ID("sign-out")),
	))
	require.NoError(t, Screenshots(ctx, "connect-signed-in", chromedp.WaitVisible(chromedp.ID("sign-out"))))
	field, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("token").value`))
	require.NoError(t, err)
	assert.Empty(t, field, "the signed-in access token is not put in the token field")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("sign-out")),
		chromedp.WaitVisible(chromedp.CSS("#connect-status .notice-ok")),
	))
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#connect-status .notice-ok")))
	require.NoError(t, err)
	assert.Contains(t, text, "revoked")
	assert.Equal(t, http.StatusUnauthorized, apiStatus(t, api.URL, access[1]), "GitLab refuses the revoked token")
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.ID("sign-in"))), "the sign-in is offered again")

	stored = storageDump(t, ctx)
	for _, line := range append(console(), stored) {
		for _, secret := range append(access, refresh...) {
			assert.NotContains(t, line, secret, "no token in a console line or in storage")
		}
	}
}

// "Stay signed in" keeps the refresh token (never the access token) in
// localStorage; a new page load refreshes with it (oauth §6).
func TestStayingSignedInSurvivesAReload(t *testing.T) {
	requireBrowser(t)
	_, api, tap := serveOAuthEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)

	require.NoError(t, chromedp.Do(ctx,
		startSignIn(srv.URL, api.URL, true),
		chromedp.Click(chromedp.ID("authorize")),
		projectsLoaded,
	))
	access, refresh := tap.secrets()
	require.Len(t, access, 1)
	stored := storageDump(t, ctx)
	assert.Contains(t, stored, refresh[0], "the refresh token is kept")
	assert.NotContains(t, stored, access[0], "the access token never is")

	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/projects"), waitApp, projectsLoaded))
	access, refresh = tap.secrets()
	require.Len(t, access, 2, "the reload refreshed once")
	stored = storageDump(t, ctx)
	assert.Contains(t, stored, refresh[1], "the rotated refresh token replaced the old one")
	assert.NotContains(t, stored, refresh[0])
}

// Each failure on the way back from GitLab is said in words (issue 7,
// "Errors in words"), with a way back to Connect.
func TestSignInFailuresAreSaidInWords(t *testing.T) {
	requireBrowser(t)
	cases := []struct {
		name     string
		clientID string // the demo application when empty
		slow     bool   // the code reaches /oauth/token after its 10 minutes (oauth §2)
		answer   func(siteURL string) chromedp.Action[chromedp.Void]
		want     string
		shot     string
	}{
		{
			name:   "pressing Deny on the consent page says you did not authorize",
			answer: func(string) chromedp.Action[chromedp.Void] { return chromedp.Click(chromedp.ID("deny")) },
			want:   "You did not authorize jobscope on GitLab",
			shot:   "oauth-denied",
		},
		{
			name: "a callback with another state says it does not match this attempt",
			answer: func(siteURL string) chromedp.Action[chromedp.Void] {
				return chromedp.Navigate(siteURL + "/oauth/callback?code=forged&state=forged")
			},
			want: "does not match this sign-in attempt",
		},
		{
			name:   "a code that expired before the exchange says to sign in again",
			slow:   true,
			answer: func(string) chromedp.Action[chromedp.Void] { return chromedp.Click(chromedp.ID("authorize")) },
			want:   "GitLab refused the sign-in code: it expired or was already used",
		},
		{
			name:     "a Confidential application (or a GitLab older than 13.7) says to untick Confidential",
			clientID: gitlabfake.DemoConfidentialClientID,
			answer:   func(string) chromedp.Action[chromedp.Void] { return chromedp.Click(chromedp.ID("authorize")) },
			want:     "untick Confidential",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			emu, api, tap := serveOAuthEmulator(t)
			if tc.slow {
				tap.beforeExchange = func() { emu.AdvanceClock(11 * time.Minute) }
			}
			clientID := cmp.Or(tc.clientID, gitlabfake.DemoClientID)
			srv := serveSite(t, site.ServeOptions{})
			ctx := newTab(t)
			require.NoError(t, chromedp.Do(ctx,
				startSignInAs(srv.URL, api.URL, clientID, false),
				tc.answer(srv.URL),
				waitApp,
				chromedp.WaitVisible(chromedp.ID("oauth-problem")),
			))
			text, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("oauth-problem")))
			require.NoError(t, err)
			assert.Contains(t, text, tc.want)
			assert.NotContains(t, text, "forged", "the callback's values are not echoed")
			access, _ := tap.secrets()
			assert.Empty(t, access, "no token was issued")
			loc, err := chromedp.Run(ctx, chromedp.Location())
			require.NoError(t, err)
			assert.Equal(t, srv.URL+"/oauth/callback", loc, "the address bar keeps no code or state")
			require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.ID("oauth-retry"))))
			if tc.shot != "" {
				require.NoError(t, Screenshots(ctx, tc.shot, chromedp.WaitVisible(chromedp.ID("oauth-problem"))))
			}
		})
	}
}

// The Connect screen offers "Sign in with GitLab" first, the token as the
// alternative, and the exact redirect URI to register.
func TestConnectOffersSignInWithGitLabFirst(t *testing.T) {
	requireBrowser(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/"), waitApp,
		chromedp.WaitVisible(chromedp.ID("sign-in")),
	))
	order, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
		`!!(document.getElementById("sign-in").compareDocumentPosition(document.getElementById("token")) & Node.DOCUMENT_POSITION_FOLLOWING)`))
	require.NoError(t, err)
	assert.True(t, order, "Sign in with GitLab comes before the token field")
	redirect, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("redirect-uri").textContent`))
	require.NoError(t, err)
	assert.Equal(t, srv.URL+"/oauth/callback", redirect, "the redirect URI to paste into GitLab's form")
	require.NoError(t, chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector("#signin-form details").open = true`)))
	require.NoError(t, Screenshots(ctx, "connect-signin", chromedp.WaitVisible(chromedp.ID("redirect-uri"))))
}

// Two tabs staying signed in share one refresh token, which rotates (oauth
// §2): a tab whose pair another tab rotated away adopts the stored one
// under the Web Lock instead of refreshing with a dead token (§6), so
// neither falls back to signing in again.
func TestTwoTabsShareOneRotatingSignIn(t *testing.T) {
	requireBrowser(t)
	_, api, tap := serveOAuthEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	first := newTab(t)
	require.NoError(t, chromedp.Do(first,
		startSignIn(srv.URL, api.URL, true),
		chromedp.Click(chromedp.ID("authorize")),
		projectsLoaded,
	))

	second := newTab(t) // opens with the stored refresh token only: it refreshes, rotating the first tab's pair away
	require.NoError(t, chromedp.Do(second, chromedp.Navigate(srv.URL+"/projects"), waitApp, projectsLoaded))
	access, _ := tap.secrets()
	require.Len(t, access, 2, "the second tab refreshed once")

	require.NoError(t, chromedp.Do(first,
		chromedp.Click(chromedp.CSS("#project-list li a")),
		chromedp.WaitVisible(chromedp.CSS("#job-list li.job:not(.skeleton)")),
	))
	loc, err := chromedp.Run(first, chromedp.Location())
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(loc, srv.URL+"/projects/"), "the first tab stayed in the app: %s", loc)
	access, _ = tap.secrets()
	assert.Len(t, access, 3, "the first tab adopted the stored pair and refreshed it once")
}

// The demo (make run) offers both sign-in kinds: connected with its token,
// and "Sign in with GitLab" with the emulator's application already filled
// in, which goes through the emulator's consent page.
func TestTheDemoOffersSignInWithGitLab(t *testing.T) {
	requireBrowser(t)
	bin := filepath.Join(t.TempDir(), "demo")
	build := exec.Command("go", "build", "-o", bin, "./internal/cmd/demo")
	build.Dir = RepoRoot()
	out, err := build.CombinedOutput()
	require.NoError(t, err, "build the demo: %s", out)
	cmd := exec.Command(bin, "-site="+siteDir, "-site-listen=127.0.0.1:0", "-api-listen=127.0.0.1:0")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	lines := bufio.NewScanner(stdout)
	require.True(t, lines.Scan(), "the demo prints its address")
	siteURL, ok := strings.CutPrefix(lines.Text(), "site: ")
	require.True(t, ok, "the first line is the site's: %q", lines.Text())
	go func() { // keep the pipe drained
		for lines.Scan() {
		}
	}()

	ctx := newTab(t)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(siteURL), waitApp,
		chromedp.WaitVisible(chromedp.CSS("#job-list li.job:not(.skeleton)")), // connected with the token
		chromedp.Click(chromedp.ID("instance")),
		chromedp.WaitVisible(chromedp.ID("sign-in")),
	))
	clientID, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("client-id").value`))
	require.NoError(t, err)
	assert.Equal(t, gitlabfake.DemoClientID, clientID, "the emulator's application is filled in")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("sign-in")),
		chromedp.WaitVisible(chromedp.ID("authorize")),
		chromedp.Click(chromedp.ID("authorize")),
		projectsLoaded,
		chromedp.Click(chromedp.ID("instance")),
		chromedp.WaitVisible(chromedp.ID("sign-out")),
	))
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("signed-in")))
	require.NoError(t, err)
	assert.Contains(t, text, "with GitLab as @jobscope-demo")
}
