package browsertest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/internal/site"
	"github.com/stretchr/testify/require"
)

// buildPrefixedSite builds the site for prefix around the wasm TestMain
// built (make build PREFIX=..., issue 5) and returns its folder.
func buildPrefixedSite(t *testing.T, prefix string, o site.Options) string {
	t.Helper()
	dir := t.TempDir()
	wasm, err := os.ReadFile(filepath.Join(siteDir, "web", "app.wasm"))
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "web"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "web", "app.wasm"), wasm, 0o644))
	o.Dir, o.Prefix = dir, prefix
	if o.WebDir == "" {
		o.WebDir = filepath.Join(RepoRoot(), "web")
	}
	require.NoError(t, site.Build(o))
	return dir
}

// servePrefixed serves dir under prefix the way a plain static host does,
// and nothing else on the origin.
func servePrefixed(t *testing.T, dir, prefix string) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle(prefix, http.StripPrefix(strings.TrimSuffix(prefix, "/"), site.FileServer(dir, site.ServeOptions{})))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// installWorker waits for the page's service worker to be active, then
// reloads so that it controls the page (a worker takes over only the pages
// loaded after it, see internal/site/worker.js).
var installWorker = chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`navigator.serviceWorker.ready.then(r => r.active.state)`, chromedp.EvalAwaitPromise)); err != nil {
		return err
	}
	if err := chromedp.Do(ctx, chromedp.Reload(), waitApp); err != nil {
		return err
	}
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`navigator.serviceWorker.controller !== null`))
	return err
})

// setOffline cuts the tab's network with DevTools' offline emulation, the
// service worker's own fetches included, and makes navigator.onLine false;
// offline false restores it.
func setOffline(offline bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		_, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			EmulateOfflineServiceWorker: &offline,
			MatchedNetworkConditions:    []*network.Conditions{{Offline: offline, DownloadThroughput: -1, UploadThroughput: -1}},
		})
		if err != nil {
			return err
		}
		_, err = chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{
			Offline: offline, DownloadThroughput: -1, UploadThroughput: -1,
		})
		return err
	})
}
