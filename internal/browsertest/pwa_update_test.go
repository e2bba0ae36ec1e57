package browsertest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/internal/site"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestANewReleaseIsPickedUpOnTheNextVisitAndAnnounced: a new build on the
// host installs a new service worker on the next visit, and the open page
// says "new version: reload" (issue 5); the reload shows the new release.
func TestANewReleaseIsPickedUpOnTheNextVisitAndAnnounced(t *testing.T) {
	requireBrowser(t)
	const prefix = "/ci/"
	web := t.TempDir()
	require.NoError(t, os.CopyFS(web, os.DirFS(filepath.Join(RepoRoot(), "web"))))
	dir := buildPrefixedSite(t, prefix, site.Options{WebDir: web})
	srv := servePrefixed(t, dir, prefix)
	ctx := newTab(t)
	version := chromedp.Evaluate[string](`goappGetenv("GOAPP_VERSION")`)

	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(srv.URL+prefix), waitApp))
	require.NoError(t, chromedp.Do(ctx, installWorker))
	first, err := chromedp.Run(ctx, version)
	require.NoError(t, err)
	notices, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#update-ready").length`))
	require.NoError(t, err)
	require.Zero(t, notices, "no update is announced before there is one")

	// The next release: one stylesheet rule more, built into the same folder.
	css := filepath.Join(web, "app.css")
	b, err := os.ReadFile(css)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(css, append(b, "\n.release-two{color:red}\n"...), 0o644))
	require.NoError(t, site.Build(site.Options{Dir: dir, WebDir: web, Prefix: prefix}))

	// The visit checks the worker script, as a navigation does.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`navigator.serviceWorker.getRegistration().then(r => r.update())`, chromedp.EvalAwaitPromise),
		chromedp.WaitVisible(chromedp.ID("update-ready")),
	))
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("update-ready")))
	require.NoError(t, err)
	assert.Contains(t, text, "new version")

	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.ID("reload")), waitApp))
	second, err := chromedp.Run(ctx, version)
	require.NoError(t, err)
	assert.NotEqual(t, first, second, "the reload runs the new release")
	hasRule, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
		`[...document.styleSheets].some(s => { try { return [...s.cssRules].some(r => r.selectorText === ".release-two") } catch (e) { return false } })`))
	require.NoError(t, err)
	assert.True(t, hasRule, "the new release's stylesheet is the one in use")
	notices, err = chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#update-ready").length`))
	require.NoError(t, err)
	assert.Zero(t, notices, "after the reload there is nothing to announce")
}
