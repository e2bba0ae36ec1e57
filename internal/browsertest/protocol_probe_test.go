package browsertest

import (
	"context"
	"encoding/json"
	"testing"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/internal/browsertest/protocol"
	"github.com/jobscope/jobscope/internal/site"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTheProtocolCallsTheTestsRelyOn runs, against the installed chromium,
// each DevTools call that the browser tests make directly, and names every
// one it refuses: on a new Chromium the failure says what changed, here,
// not as "Invalid parameters" in a test three files away (issue 10).
// Calls with more than one form (package protocol) are checked form by form
// for their effect, the service worker's own fetches included, so a
// fallback that this browser does not choose is still proven to work.
func TestTheProtocolCallsTheTestsRelyOn(t *testing.T) {
	requireBrowser(t)
	version, err := chromedp.CallBrowser(browser, cdpbrowser.GetVersion, cdp.Empty{})
	require.NoError(t, err)
	t.Logf("%s, protocol %s", version.Product, version.ProtocolVersion)

	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/open"), waitApp, installWorker))

	plain := []struct {
		call string
		do   func(ctx context.Context) error
	}{
		{"Page.addScriptToEvaluateOnNewDocument", func(ctx context.Context) error {
			_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: "void 0"})
			return err
		}},
		{"Page.captureScreenshot", func(ctx context.Context) error {
			_, err := chromedp.Call(ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{})
			return err
		}},
		{"Page.getAppManifest", func(ctx context.Context) error {
			_, err := chromedp.Call(ctx, page.GetAppManifest, page.GetAppManifestParams{})
			return err
		}},
		{"Page.getInstallabilityErrors", func(ctx context.Context) error {
			_, err := chromedp.Call(ctx, page.GetInstallabilityErrors, cdp.Empty{})
			return err
		}},
		{"Page.getNavigationHistory", func(ctx context.Context) error {
			_, err := chromedp.Call(ctx, page.GetNavigationHistory, cdp.Empty{})
			return err
		}},
		{"Emulation.setEmulatedMedia", func(ctx context.Context) error {
			_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}},
			})
			return err
		}},
		{"Browser.setDownloadBehavior", func(ctx context.Context) error {
			_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
				Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: t.TempDir(),
			})
			return err
		}},
		{"Browser.setPermission", func(ctx context.Context) error {
			_, err := chromedp.CallBrowser(ctx, cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{
				Permission: &cdpbrowser.PermissionDescriptor{Name: "notifications"},
				Setting:    cdpbrowser.PermissionSettingGranted, Origin: srv.URL,
			})
			return err
		}},
		{"Target.getTargets", func(ctx context.Context) error {
			_, err := chromedp.CallBrowser(ctx, target.GetTargets, target.GetTargetsParams{})
			return err
		}},
	}
	var refused []string
	for _, c := range plain {
		if err := c.do(ctx); err != nil {
			refused = append(refused, c.call+": "+err.Error())
		}
	}
	assert.Empty(t, refused, "%s refuses DevTools calls the tests make", version.Product)

	// Each form of the network emulation, for its effect.
	tg := chromedp.FromContext(ctx).Target
	tab := tabSessions(ctx, tg)
	workers, err := tab.Workers(ctx)
	require.NoError(t, err)
	require.Len(t, workers, 1, "the site's service worker")
	_, emu := serveEmulator(t)
	api := emu.URL + "/api/v4/version"   // cross-origin: the worker lets it pass
	shell := srv.URL + "/web/not-cached" // the worker fetches it from the network
	taken := 0
	for _, f := range protocol.SetNetwork.Forms {
		err := f.Do(ctx, protocol.NetworkArg{Tab: tab, Conditions: protocol.Offline})
		if protocol.Refused(err) {
			t.Logf("%s: not this browser's form (%v)", f.Name, err)
			continue
		}
		require.NoError(t, err, f.Name)
		taken++
		assert.Equal(t, "failed", fetchFrom(t, ctx, tg, api), "%s: the page's fetch fails offline", f.Name)
		assert.Equal(t, "failed", fetchFrom(t, ctx, tg, shell), "%s: the service worker's fetch fails offline", f.Name)
		require.NoError(t, f.Do(ctx, protocol.NetworkArg{Tab: tab, Conditions: protocol.Online}), f.Name)
		assert.Equal(t, "ok", fetchFrom(t, ctx, tg, api), "%s: back online", f.Name)
		assert.Equal(t, "ok", fetchFrom(t, ctx, tg, shell), "%s: back online, through the worker", f.Name)
		t.Logf("%s: works", f.Name)
	}
	assert.NotZero(t, taken, "%s takes no form of network emulation", version.Product)
}

// fetchFrom fetches url in the page or worker of session s: "ok" (any
// answer) or "failed" (no answer).
func fetchFrom(t *testing.T, ctx context.Context, s cdp.Session, url string) string {
	t.Helper()
	yes := true
	u, err := json.Marshal(url)
	require.NoError(t, err)
	res, err := cdp.Call(ctx, s, cdpruntime.Evaluate, cdpruntime.EvaluateParams{
		Expression:    `fetch(` + string(u) + `, {cache: "no-store"}).then(() => "ok", () => "failed")`,
		AwaitPromise:  &yes,
		ReturnByValue: &yes,
	})
	require.NoError(t, err)
	var out string
	require.NoError(t, json.Unmarshal(res.Result.Value, &out))
	return out
}
