package browsertest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/extension"
	"github.com/jobscope/jobscope/extension/signin"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// extClientID is the application the tests register on the emulator with
// the extension's own redirect URL (gitlab-oauth.md §4, Chromium:
// https://<id>.chromiumapp.org/<path>).
const (
	extClientID       = "jobscope-extension-test-app"
	extConfidentialID = "jobscope-extension-test-confidential-app"
)

// Sign in with GitLab in the unpacked Chromium extension (issue 7,
// gitlab-oauth.md "Recommended flows (b)"): the popup hands the attempt to
// the background, whose identity.launchWebAuthFlow window shows GitLab's
// consent page; the background exchanges the code and stores the pair; the
// next popup uses it, survives the access token's expiry, asks for api on
// the first action, and signs out. No token in storage.local (memory-only
// sign-in), in a URL or on the console.
func TestExtensionSignInWithGitLab(t *testing.T) {
	requireBrowser(t)
	eb := startExtensionBrowser(t)
	emu, api, tap := serveOAuthEmulator(t)
	require.NoError(t, emu.RegisterOAuthApplication(gitlabfake.OAuthApplication{
		Name: "jobscope (extension)", ClientID: extClientID,
		RedirectURIs: []string{"https://" + eb.id + ".chromiumapp.org/oauth"},
	}))
	project := emu.Info().Projects[0]
	projectPage := api.URL + "/" + project // a GitLab page: the popup opens on its jobs

	t.Run("consent denied is said in words by the next popup", func(t *testing.T) {
		eb.resetStorage(t)
		popup := eb.openPopup(t, projectPage)
		eb.startSignIn(t, popup, api.URL, false)
		consent := eb.consentWindow(t, api.URL)
		require.NoError(t, chromedp.Do(consent, chromedp.Click(chromedp.ID("deny"))))
		// Headless chromium keeps the popup open while the consent window
		// shows (a desktop one closes it): the background's answer reloads
		// it, and it says the outcome it finds in storage.session.
		require.NoError(t, chromedp.Do(popup, acrossNavigation(chromedp.WaitVisible(chromedp.ID("signin-outcome")))))
		said, err := chromedp.Run(popup, chromedp.Text(chromedp.ID("signin-outcome")))
		require.NoError(t, err)
		assert.Contains(t, said, "You did not authorize jobscope on GitLab")
		typed, err := chromedp.Run(popup, chromedp.Evaluate[[]string](`[document.getElementById("signin-base-url").value, document.getElementById("client-id").value]`))
		require.NoError(t, err)
		assert.Equal(t, []string{api.URL, extClientID}, typed, "what was typed is offered again")
		popupShot(t, popup, "signin-denied")
		access, _ := tap.secrets()
		assert.Empty(t, access, "no token was issued")
		assert.NotContains(t, eb.storage(t, "session"), signin.OutcomeKey, "an outcome is said once")
	})

	failures := []struct {
		name     string
		clientID string
		slow     bool // the code reaches /oauth/token after its 10 minutes (oauth §2)
		want     string
	}{
		{"an expired code is said in words", extClientID, true, "GitLab refused the sign-in code: it expired or was already used"},
		{"a Confidential application is said in words", extConfidentialID, false, "untick Confidential"},
	}
	require.NoError(t, emu.RegisterOAuthApplication(gitlabfake.OAuthApplication{
		Name: "jobscope (extension, confidential)", ClientID: extConfidentialID, Confidential: true, Secret: "s3cret",
		RedirectURIs: []string{"https://" + eb.id + ".chromiumapp.org/oauth"},
	}))
	for _, f := range failures {
		t.Run(f.name, func(t *testing.T) {
			eb.resetStorage(t)
			if f.slow {
				tap.beforeExchange = func() { emu.AdvanceClock(11 * time.Minute) }
				defer func() { tap.beforeExchange = nil }()
			}
			popup := eb.openPopup(t, projectPage)
			eb.startSignInAs(t, popup, api.URL, f.clientID, false)
			consent := eb.consentWindow(t, api.URL)
			require.NoError(t, chromedp.Do(consent, chromedp.Click(chromedp.ID("authorize"))))
			require.NoError(t, chromedp.Do(popup, acrossNavigation(chromedp.WaitVisible(chromedp.ID("signin-outcome")))))
			said, err := chromedp.Run(popup, chromedp.Text(chromedp.ID("signin-outcome")))
			require.NoError(t, err)
			assert.Contains(t, said, f.want)
			access, _ := tap.secrets()
			assert.Empty(t, access, "no token was issued")
		})
	}

	eb.resetStorage(t)
	popup := eb.openPopup(t, projectPage)
	redirect, err := chromedp.Run(popup, chromedp.Evaluate[string](`document.getElementById("redirect-uri").textContent`))
	require.NoError(t, err)
	assert.Equal(t, "https://"+eb.id+".chromiumapp.org/oauth", strings.TrimSpace(redirect), "Connect shows the redirect URI to register for this build")
	console := consoleLines(popup)
	eb.startSignIn(t, popup, api.URL, false)
	consent := eb.consentWindow(t, api.URL)
	require.NoError(t, chromedp.Do(consent, chromedp.Click(chromedp.ID("authorize"))))
	require.NoError(t, chromedp.Do(popup, acrossNavigation(chromedp.WaitVisible(chromedp.CSS("#job-list li.job:not(.skeleton)")))),
		"the reloaded popup shows the project's jobs, signed in")
	access, refresh := tap.secrets()
	require.Len(t, access, 1, "one code exchange, by the background")

	local, _ := json.Marshal(eb.storage(t, "local"))
	session, _ := json.Marshal(eb.storage(t, "session"))
	for _, secret := range append(access, refresh...) {
		assert.NotContains(t, string(local), secret, "memory-only: no token in storage.local")
	}
	assert.Contains(t, string(session), access[0], "the access token lives in storage.session")
	assert.Contains(t, string(session), refresh[0], "without 'stay signed in' so does the refresh token")
	assert.Contains(t, string(local), extClientID, "the instance is saved as signed in")

	t.Run("the next popup uses the sign-in", func(t *testing.T) {
		popup := eb.openPopup(t, projectPage)
		require.NoError(t, chromedp.Do(popup, chromedp.WaitVisible(chromedp.CSS("#job-list li.job:not(.skeleton)"))))
		popupShot(t, popup, "signed-in")
	})

	t.Run("an expired access token is refreshed by the background, once", func(t *testing.T) {
		emu.AdvanceClock(2*time.Hour + time.Minute)
		popup := eb.openPopup(t, projectPage)
		require.NoError(t, chromedp.Do(popup, chromedp.WaitVisible(chromedp.CSS("#job-list li.job:not(.skeleton)"))))
		access, refresh = tap.secrets()
		require.Len(t, access, 2, "one refresh after expiry")
		assert.Equal(t, http.StatusUnauthorized, apiStatus(t, api.URL, access[0]), "the first access token expired")
		assert.Equal(t, http.StatusOK, apiStatus(t, api.URL, access[1]), "the refreshed one works")
		session, _ := json.Marshal(eb.storage(t, "session"))
		assert.Contains(t, string(session), refresh[1], "the rotated refresh token is kept")
		assert.NotContains(t, string(session), refresh[0], "the rotated-away one is not")
	})

	t.Run("the first action asks for api, then acts", func(t *testing.T) {
		j := findJob(t, api.URL, project, gitlab.StatusFailed, nil)
		popup := eb.openPopup(t, api.URL+"/"+project+"/-/jobs/"+itoa(j.ID))
		require.NoError(t, chromedp.Do(popup,
			chromedp.WaitVisible(chromedp.ID("job-retry")),
			chromedp.Click(chromedp.ID("job-retry")),
			chromedp.WaitVisible(chromedp.ID("allow-actions")),
		))
		popupShot(t, popup, "signin-upgrade")
		before := len(access)
		_, err := chromedp.Run(popup, chromedp.Evaluate[bool](`window.beforeUpgrade = true`)) // gone once the popup reloads
		require.NoError(t, err)
		require.NoError(t, chromedp.Do(popup, chromedp.Click(chromedp.ID("allow-actions"))))
		consent := eb.consentWindow(t, api.URL)
		body, err := chromedp.Run(consent, chromedp.Text(chromedp.CSS("body")))
		require.NoError(t, err)
		assert.Contains(t, body, "api", "the consent page names the scope asked for")
		require.NoError(t, chromedp.Do(consent, chromedp.Click(chromedp.ID("authorize"))))
		// The popup comes back to the job, now allowed to act.
		require.NoError(t, chromedp.Do(popup,
			acrossNavigation(chromedp.Poll[chromedp.Void](`!window.beforeUpgrade && location.pathname.endsWith("/jobs/`+itoa(j.ID)+`")`)),
			acrossNavigation(chromedp.WaitVisible(chromedp.ID("job-retry"))),
		))
		access, refresh = tap.secrets()
		require.Greater(t, len(access), before, "a new pair for the new consent")
		assert.Equal(t, http.StatusUnauthorized, apiStatus(t, api.URL, access[len(access)-2]), "the read_api pair was revoked")
		require.NoError(t, chromedp.Do(popup,
			chromedp.Click(chromedp.ID("job-retry")),
			chromedp.Poll[chromedp.Void](`!location.pathname.endsWith("/jobs/`+itoa(j.ID)+`")`),
			chromedp.WaitVisible(chromedp.ID("job-status")),
		))
	})

	t.Run("the background refreshes an expired sign-in to poll a watched job", func(t *testing.T) {
		// Watched while it ran; it has failed since.
		watched := findJob(t, api.URL, project, gitlab.StatusFailed, nil)
		eb.setStorage(t, "local", map[string]any{extension.WatchKey: []any{
			map[string]any{"base": api.URL, "project": project, "id": watched.ID, "status": "running"},
		}})
		before := len(access)
		emu.AdvanceClock(2*time.Hour + time.Minute) // the access token expires
		_, err := chromedp.Run(eb.admin, chromedp.Evaluate[bool](`chrome.runtime.sendMessage({type: "jobscope.poll"})`, chromedp.EvalAwaitPromise))
		require.NoError(t, err)
		var notes map[string]bool
		require.Eventually(t, func() bool {
			notes, _ = chromedp.Run(eb.admin, chromedp.Evaluate[map[string]bool](`chrome.notifications.getAll()`, chromedp.EvalAwaitPromise))
			return notes["jobscope:"+project+":"+itoa(watched.ID)]
		}, 15*time.Second, 100*time.Millisecond, "the finished job is notified: %v", notes)
		access, refresh = tap.secrets()
		require.Len(t, access, before+1, "one refresh, by the background")
		session, _ := json.Marshal(eb.storage(t, "session"))
		assert.Contains(t, string(session), refresh[len(refresh)-1], "the rotated pair is stored for the popup")
	})

	t.Run("sign-out revokes, then forgets", func(t *testing.T) {
		popup := eb.openPopup(t, projectPage)
		require.NoError(t, chromedp.Do(popup,
			chromedp.WaitVisible(chromedp.CSS("#job-list li.job:not(.skeleton)")),
			chromedp.Click(chromedp.ID("instance")),
			chromedp.WaitVisible(chromedp.ID("sign-out")),
			chromedp.Click(chromedp.ID("sign-out")),
			chromedp.WaitVisible(chromedp.CSS("#connect-status .notice-ok")),
		))
		access, refresh = tap.secrets()
		assert.Equal(t, http.StatusUnauthorized, apiStatus(t, api.URL, access[len(access)-1]), "GitLab refuses the revoked token")
		require.Eventually(t, func() bool {
			session, _ := json.Marshal(eb.storage(t, "session"))
			return !strings.Contains(string(session), access[len(access)-1])
		}, 10*time.Second, 50*time.Millisecond, "the pair is wiped from storage.session")
	})

	t.Run("staying signed in keeps the refresh token in storage.local, never the access token", func(t *testing.T) {
		popup := eb.openPopup(t, projectPage)
		require.NoError(t, chromedp.Do(popup, chromedp.WaitVisible(chromedp.ID("connect-first"))))
		popupShot(t, popup, "signed-out")
		said, err := chromedp.Run(popup, chromedp.Text(chromedp.ID("connect-first")))
		require.NoError(t, err)
		assert.Contains(t, said, "signed out of", "a signed-out instance is not called a lost token")
		require.NoError(t, chromedp.Do(popup, chromedp.Click(chromedp.ID("instance"))))
		eb.startSignIn(t, popup, api.URL, true)
		consent := eb.consentWindow(t, api.URL)
		require.NoError(t, chromedp.Do(consent, chromedp.Click(chromedp.ID("authorize"))))
		require.NoError(t, chromedp.Do(popup, acrossNavigation(chromedp.WaitVisible(chromedp.CSS("#job-list li.job:not(.skeleton)")))))
		a, r := tap.secrets()
		local, _ := json.Marshal(eb.storage(t, "local"))
		session, _ := json.Marshal(eb.storage(t, "session"))
		assert.Contains(t, string(local), r[len(r)-1], "the refresh token is kept on this device")
		assert.NotContains(t, string(local), a[len(a)-1], "the access token never is")
		assert.Contains(t, string(session), a[len(a)-1], "the access token lives in storage.session")
		assert.NotContains(t, string(session), r[len(r)-1])
	})

	t.Run("a sign-in revoked on GitLab offers to sign in again, back on the same screen", func(t *testing.T) {
		j := findJob(t, api.URL, project, gitlab.StatusFailed, nil)
		jobPage := api.URL + "/" + project + "/-/jobs/" + itoa(j.ID)
		_, r := tap.secrets()
		resp, err := http.PostForm(api.URL+"/oauth/revoke", url.Values{"client_id": {extClientID}, "token": {r[len(r)-1]}})
		require.NoError(t, err)
		resp.Body.Close()
		emu.AdvanceClock(2*time.Hour + time.Minute)
		before, _ := tap.secrets()
		popup := eb.openPopup(t, jobPage)
		// The failed refresh offers a new sign-in; GitLab opens on the click.
		require.NoError(t, chromedp.Do(popup, chromedp.WaitVisible(chromedp.ID("sign-in-again")), chromedp.Click(chromedp.ID("sign-in-again"))))
		consent := eb.consentWindow(t, api.URL)
		require.NoError(t, chromedp.Do(consent, chromedp.Click(chromedp.ID("authorize"))))
		require.NoError(t, chromedp.Do(popup,
			acrossNavigation(chromedp.Poll[chromedp.Void](`location.pathname.endsWith("/jobs/`+itoa(j.ID)+`")`)),
			acrossNavigation(chromedp.WaitVisible(chromedp.CSS(".job-name"))),
		))
		after, _ := tap.secrets()
		assert.Len(t, after, len(before)+1, "one new pair, from the new consent")
	})

	urls := eb.targets() // every open target's address
	local, _ = json.Marshal(eb.storage(t, "local"))
	for _, line := range append(console(), urls, string(local)) {
		for _, secret := range append(access, refresh...) { // the memory-only sign-in's
			assert.NotContains(t, line, secret, "no token in a console line, a URL or storage.local")
		}
	}
	all, _ := tap.secrets()
	for _, line := range append(console(), urls) {
		for _, secret := range all {
			assert.NotContains(t, line, secret, "no access token in a console line or a URL")
		}
	}
}

// startSignIn fills the popup's "Sign in with GitLab" form and submits it.
func (eb *extensionBrowser) startSignIn(t *testing.T, popup context.Context, apiURL string, stay bool) {
	t.Helper()
	eb.startSignInAs(t, popup, apiURL, extClientID, stay)
}

// startSignInAs is startSignIn with the application clientID.
func (eb *extensionBrowser) startSignInAs(t *testing.T, popup context.Context, apiURL, clientID string, stay bool) {
	t.Helper()
	actions := []chromedp.Action[chromedp.Void]{
		chromedp.WaitVisible(chromedp.ID("sign-in")),
		fill("signin-base-url", apiURL),
		fill("client-id", clientID),
	}
	if stay {
		actions = append(actions, chromedp.Click(chromedp.ID("stay-signed-in")))
	}
	actions = append(actions, chromedp.Click(chromedp.ID("sign-in")))
	require.NoError(t, chromedp.Do(popup, actions...))
}

// consentWindow waits for the identity API's window on GitLab's consent
// page and returns a context on it, once the page shows its buttons.
func (eb *extensionBrowser) consentWindow(t *testing.T, apiURL string) context.Context {
	t.Helper()
	var id target.ID
	require.Eventually(t, func() bool {
		id = eb.find(func(ti *target.Info) bool {
			return ti.Type == "page" && strings.HasPrefix(ti.URL, apiURL+"/oauth/authorize")
		})
		return id != ""
	}, 20*time.Second, 50*time.Millisecond, "the consent window opens; targets:\n%s", eb.targets())
	win, cancel := chromedp.NewContext(eb.ctx, chromedp.WithTargetID(id))
	t.Cleanup(cancel)
	ctx, cancelT := context.WithTimeout(win, 30*time.Second)
	t.Cleanup(cancelT)
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.ID("authorize"))))
	return ctx
}
