package browsertest

import (
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/internal/site"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTheSiteUnderAPrefixIsInstallableAndLoadsOffline is issue 5's "Done
// means": the site served from its build folder under a path prefix by a
// plain static server, the service worker registered, then the network cut
// and a reload (and a deep link) showing the app.
func TestTheSiteUnderAPrefixIsInstallableAndLoadsOffline(t *testing.T) {
	requireBrowser(t)
	const prefix = "/tools/jobscope/"
	srv := servePrefixed(t, buildPrefixedSite(t, prefix, site.Options{}), prefix)
	ctx := newTab(t)

	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(srv.URL+prefix), waitApp))
	require.NoError(t, chromedp.Do(ctx, installWorker), "the service worker registers and takes control")

	m, err := chromedp.Call(ctx, page.GetAppManifest, page.GetAppManifestParams{})
	require.NoError(t, err)
	assert.Empty(t, m.Errors, "the manifest parses cleanly")
	require.NotNil(t, m.Manifest)
	assert.Equal(t, srv.URL+prefix, m.Manifest.Scope, "the scope is the prefix, not /")
	assert.Equal(t, srv.URL+prefix, m.Manifest.StartURL, "the start URL keeps the prefix's trailing slash")
	assert.Contains(t, m.Data, `"display":"standalone"`)
	assert.Contains(t, m.Data, `"purpose":"maskable"`, "a maskable icon for Android's shapes")
	inst, err := chromedp.Call(ctx, page.GetInstallabilityErrors, cdp.Empty{})
	require.NoError(t, err)
	var why []string
	for _, e := range inst.InstallabilityErrors {
		why = append(why, e.ErrorID)
	}
	assert.Empty(t, why, "Chromium finds the app installable")

	// The network goes: DevTools' offline emulation, and the host itself.
	require.NoError(t, chromedp.Do(ctx, setOffline(t, true)))
	srv.Close()

	require.NoError(t, chromedp.Do(ctx, chromedp.Reload(), waitApp))
	heading, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main h1")))
	require.NoError(t, err)
	assert.Equal(t, "Connect to GitLab", heading, "the start page reloads offline")

	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(srv.URL+prefix+"projects/group/project/-/pipelines/42"), waitApp))
	heading, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main h1")))
	require.NoError(t, err)
	assert.Equal(t, "Pipeline #42", heading, "a deep link opens offline from the cached shell")

	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(srv.URL+prefix+"projects"), waitApp))
	heading, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main h1")))
	require.NoError(t, err)
	assert.Equal(t, "Projects", heading, "an entry page opens offline")
	assert.Empty(t, xssHits(t, ctx), "the worker breaks no CSP rule")
}

// TestAnOriginIsWipedWhenItsTestEnds: a test's service worker does not
// outlive it (forgetOrigin). Without the wipe, the origin, its server
// gone, still opens the app from the worker's cache, as it would for a
// later test given the same port.
func TestAnOriginIsWipedWhenItsTestEnds(t *testing.T) {
	requireBrowser(t)
	var origin string
	t.Run("a test with a service worker", func(t *testing.T) {
		srv := serveSite(t, site.ServeOptions{})
		origin = srv.URL
		ctx := newTab(t)
		require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(origin+"/"), waitApp, installWorker))
	})
	ctx := newTab(t)
	_ = chromedp.Do(ctx, chromedp.Navigate(origin+"/")) // fails: nothing answers there
	shell, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.shell').length`))
	require.NoError(t, err)
	assert.Zero(t, shell, "no worker answered for the origin of a test that ended")
}
