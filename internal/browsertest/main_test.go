package browsertest

import (
	"context"
	"fmt"
	"iter"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/internal/site"
	"github.com/stretchr/testify/require"
)

// Shared by every test of the package, set up once by TestMain.
var (
	siteDir string          // the built site
	browser context.Context // the running chromium; tabs derive from it
)

func TestMain(m *testing.M) {
	if Skip() != "" {
		os.Exit(m.Run()) // every test skips with the reason
	}
	os.Exit(run(m))
}

func run(m *testing.M) int {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "jobscope-site-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	if err := BuildSite(ctx, dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	b, cancel, err := NewBrowser(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer cancel()
	siteDir, browser = dir, b
	defer removeFirefoxPackage()
	return m.Run()
}

// requireBrowser skips t when browser tests cannot run here.
func requireBrowser(t *testing.T) {
	t.Helper()
	if reason := Skip(); reason != "" {
		t.Skip(reason)
	}
}

// serveSite serves the built site on loopback for one test.
func serveSite(t *testing.T, o site.ServeOptions) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(site.FileServer(siteDir, o))
	t.Cleanup(srv.Close)
	forgetOrigin(t, srv)
	return srv
}

// forgetOrigin wipes what the browser keeps for srv's origin when the test
// ends: service workers, caches, storage. Test servers take ephemeral ports,
// and a later test given the same port would meet this one's service worker
// and settings: seen once in five stressed runs, a prefixed site answered
// by an earlier root site's worker with go-app's "Not Found".
func forgetOrigin(t *testing.T, srv *httptest.Server) {
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(browser, 30*time.Second)
		defer cancel()
		_, err := chromedp.Call(ctx, storage.ClearDataForOrigin, storage.ClearDataForOriginParams{Origin: srv.URL, StorageTypes: "all"})
		if err != nil {
			t.Errorf("wipe %s: %v", srv.URL, err)
		}
	})
}

// xssHook runs before any page script (DevTools-injected, so the CSP does not
// stop it) and records what a hostile string would do if it ever became
// markup: hostile fixtures call window.__xss(), and every CSP violation
// (an inline handler or script refused) is kept too.
const xssHook = `
window.__xssHits = [];
window.__xss = function (what) { window.__xssHits.push(String(what)); };
document.addEventListener('securitypolicyviolation', function (e) {
  window.__xssHits.push('csp:' + e.violatedDirective + ' ' + e.blockedURI);
});`

// offeredBefore runs as a device that was already offered the install:
// Chromium fires beforeinstallprompt by itself when it likes, and the offer
// it brings sits over the page's bottom edge, where a test may want to click.
// Only the install test (pwa_install_test.go) meets the offer.
const offeredBefore = `try { localStorage.setItem("jobscope.install-offered.v1", "1"); } catch (e) {}`

// newTab opens a tab with the XSS hook installed, as a device that was
// already offered the install, and a deadline for the test.
func newTab(t *testing.T) context.Context {
	t.Helper()
	return newTabWith(t, xssHook+"\n"+offeredBefore)
}

// newTabWith opens a tab that runs hook first in every page, with a
// deadline for the test.
func newTabWith(t *testing.T, hook string) context.Context {
	t.Helper()
	tab, cancelTab := chromedp.NewContext(browser)
	t.Cleanup(cancelTab)
	require.NoError(t, chromedp.Do(tab, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: hook})
		return err
	})), "install the page hook")
	recordFailures(t, tab)
	ctx, cancel := context.WithTimeout(tab, 90*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// waitApp waits until the wasm app has replaced the pre-rendered page.
var waitApp = chromedp.WaitVisible(chromedp.CSS(`.shell[data-app="live"]`))

// xssHits returns what the XSS hook recorded.
func xssHits(t *testing.T, ctx context.Context) []string {
	t.Helper()
	hits, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__xssHits || []`))
	require.NoError(t, err)
	return hits
}

// assertNoDialog fails if an alert, confirm or prompt opened (hostile seed
// text calls alert()).
func assertNoDialog(t *testing.T, dialogs iter.Seq2[page.EventJavascriptDialogOpening, error]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	done := make(chan string, 1)
	go func() {
		for ev, err := range dialogs {
			if err == nil {
				done <- ev.Message
			}
			return
		}
	}()
	select {
	case msg := <-done:
		t.Errorf("a dialog opened: %q", msg)
	case <-ctx.Done():
	}
}
