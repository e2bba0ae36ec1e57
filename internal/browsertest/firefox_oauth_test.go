package browsertest

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/jobscope/jobscope/extension/signin"
	"github.com/jobscope/jobscope/internal/browsertest/firefox"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Sign in with GitLab in firefox-esr (issue 17), as
// TestExtensionSignInWithGitLab in Chromium: the background's
// identity.launchWebAuthFlow, which Firefox runs in a window of its own
// whose redirect to https://<hash>.extensions.allizom.org/ it stops and
// hands back; the background exchanges the code and keeps the pair in
// storage.session; the popup page then shows the project's jobs.
func TestFirefoxExtensionSignInWithGitLab(t *testing.T) {
	requireFirefox(t)
	fe := startFirefoxExtension(t, map[string]any{ffNoPermissionPrompt: false})
	emu, api, tap := serveOAuthEmulator(t)
	fe.grantHost(t, api.URL)
	project := emu.Info().Projects[0]
	projectPage := api.URL + "/" + project

	popup := fe.openPopup(t, projectPage)
	require.NoError(t, popup.WaitVisible(ffCtx(t), "#redirect-uri"))
	redirect := strings.TrimSpace(ffEval[string](t, popup, `document.getElementById("redirect-uri").textContent`))
	require.Regexp(t, `^https://[0-9a-f]+\.extensions\.allizom\.org/oauth$`, redirect, "Firefox's redirect URL for this add-on (gitlab-oauth.md §4)")
	require.NoError(t, emu.RegisterOAuthApplication(gitlabfake.OAuthApplication{
		Name: "jobscope (extension, Firefox)", ClientID: extClientID, RedirectURIs: []string{redirect},
	}))

	t.Run("consent denied is said in words", func(t *testing.T) {
		popup := fe.openPopup(t, projectPage)
		fe.startSignIn(t, popup, api.URL)
		consent := fe.consentWindow(t, api.URL)
		require.NoError(t, consent.Click(ffCtx(t), "#deny"))
		require.NoError(t, popup.WaitVisible(ffCtx(t), "#signin-outcome"))
		assert.Contains(t, ffEval[string](t, popup, `document.getElementById("signin-outcome").innerText`), "You did not authorize jobscope on GitLab")
		access, _ := tap.secrets()
		assert.Empty(t, access, "no token was issued")
		assert.NotContains(t, fe.storage(t, "session"), signin.OutcomeKey, "an outcome is said once")
	})

	t.Run("consent given signs the popup in, memory only", func(t *testing.T) {
		fe.resetStorage(t)
		popup := fe.openPopup(t, projectPage)
		fe.startSignIn(t, popup, api.URL)
		consent := fe.consentWindow(t, api.URL)
		require.NoError(t, consent.Click(ffCtx(t), "#authorize"))
		// A desktop Firefox closes the popup when the consent window takes
		// the focus; the page here stays, and the background's answer starts
		// it afresh, signed in (without tab=<id> it is on no GitLab page).
		require.NoError(t, popup.WaitTrue(ffCtx(t), `(document.getElementById("instance")?.innerText ?? "").includes("@jobscope-demo")`, nil),
			"the page starts again, signed in")
		access, refresh := tap.secrets()
		require.Len(t, access, 1, "one code exchange, by the background")
		local, _ := json.Marshal(fe.storage(t, "local"))
		session, _ := json.Marshal(fe.storage(t, "session"))
		for _, secret := range append(access, refresh...) {
			assert.NotContains(t, string(local), secret, "memory-only: no token in storage.local")
		}
		assert.Contains(t, string(session), access[0], "the access token lives in storage.session")
		assert.Contains(t, string(local), extClientID, "the instance is saved as signed in")

		again := fe.openPopup(t, projectPage)
		require.NoError(t, again.WaitVisible(ffCtx(t), "#job-list li.job:not(.skeleton)"), "the next popup shows the project's jobs, signed in")
		ffShot(t, again, "popup-signed-in")
		tabs, err := fe.Tabs(ffCtx(t))
		require.NoError(t, err)
		for _, tab := range tabs {
			for _, secret := range append(access, refresh...) {
				assert.NotContains(t, tab.URL, secret, "no token in a URL")
			}
		}
	})
}

// startSignIn fills the popup page's "Sign in with GitLab" form and submits.
func (fe *ffExtension) startSignIn(t *testing.T, popup *firefox.Page, apiURL string) {
	t.Helper()
	require.NoError(t, popup.WaitVisible(ffCtx(t), "#sign-in"))
	ffFill(t, popup, "signin-base-url", apiURL)
	ffFill(t, popup, "client-id", extClientID)
	require.NoError(t, popup.Click(ffCtx(t), "#sign-in"))
}

// consentWindow finds the window Firefox opened for launchWebAuthFlow, on
// GitLab's consent page, once it shows.
func (fe *ffExtension) consentWindow(t *testing.T, apiURL string) *firefox.Page {
	t.Helper()
	var found *firefox.Page
	ctx := ffCtx(t)
	for found == nil {
		tabs, err := fe.Tabs(ctx)
		require.NoError(t, err)
		for _, tab := range tabs {
			if strings.HasPrefix(tab.URL, apiURL+"/oauth/authorize") {
				found = tab.Page
			}
		}
		require.NoError(t, ctx.Err(), "the consent window opens; tabs: %v", tabs)
		if found == nil {
			require.NoError(t, fe.admin.Eval(ctx, `new Promise(r => setTimeout(() => r(true), 100))`, nil))
		}
	}
	require.NoError(t, found.WaitVisible(ffCtx(t), "#authorize"))
	return found
}

// grantHost gives the extension host access to origin as a user's "Allow"
// does (the prompt is off, see ffNoPermissionPrompt).
func (fe *ffExtension) grantHost(t *testing.T, origin string) {
	t.Helper()
	tab := fe.page(t, "popup.html?mode=tab&route=%2F&access="+origin)
	require.NoError(t, tab.WaitVisible(ffCtx(t), "#ext-access-allow"))
	require.NoError(t, tab.Click(ffCtx(t), "#ext-access-allow"))
	require.NoError(t, tab.WaitTrue(ffCtx(t), `(document.getElementById("ext-status")?.innerText ?? "").includes("allowed")`, nil))
	require.True(t, fe.hasHost(t, origin))
}
