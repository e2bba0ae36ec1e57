package browsertest

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/internal/account"
	"github.com/jobscope/jobscope/internal/browsertest/protocol"
	"github.com/jobscope/jobscope/internal/extbuild"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/stretchr/testify/require"
)

// extensionKey is a manifest "key" and the extension id it gives. Chromium
// derives an unpacked extension's id from the key's SHA-256: the first 32
// hex digits, each written as a letter a-p. Test builds only; store
// packages have no key.
func extensionKey(t *testing.T) (key, id string) {
	t.Helper()
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	der, err := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	require.NoError(t, err)
	sum := sha256.Sum256(der)
	var b strings.Builder
	for _, c := range hex.EncodeToString(sum[:16]) {
		switch {
		case c >= '0' && c <= '9':
			b.WriteRune('a' + c - '0')
		default:
			b.WriteRune('a' + 10 + c - 'a')
		}
	}
	return base64.StdEncoding.EncodeToString(der), b.String()
}

// extensionBrowser is a chromium with the Chromium package loaded.
type extensionBrowser struct {
	ctx   context.Context // browser context; tabs derive from it
	admin context.Context // a blank tab whose session sends the Extensions storage commands
	id    string          // extension id
	dir   string          // the unpacked package
}

// startExtensionBrowser builds the extension's wasm and Chromium package and
// starts a headless chromium of its own with it loaded: chromedp's default
// flags include --disable-extensions, so that flag is removed and the
// package is named by --load-extension and --disable-extensions-except.
// --enable-unsafe-extension-debugging opens DevTools' Extensions domain
// (Extensions.triggerAction clicks the toolbar button, which grants
// activeTab as a user's click does).
func startExtensionBrowser(t *testing.T) *extensionBrowser {
	t.Helper()
	root := RepoRoot()
	dist := t.TempDir()
	wasm := filepath.Join(dist, "app.wasm")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", wasm, "./extension/wasm")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "build the extension wasm: %s", out)
	key, id := extensionKey(t)
	require.NoError(t, extbuild.Build(extbuild.Options{
		Wasm: wasm, WebDir: filepath.Join(root, "web"), Dist: dist, Key: key, NoZip: true,
	}))
	dir := extbuild.Dir(dist, extbuild.Chromium)

	profile := t.TempDir()
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium()),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", false), // a default flag: removed
		chromedp.Flag("load-extension", dir),
		chromedp.Flag("disable-extensions-except", dir),
		chromedp.Flag("enable-unsafe-extension-debugging", true),
		chromedp.UserDataDir(profile),
	)
	bctx, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc() })
	require.NoError(t, chromedp.Do(bctx), "start chromium with the extension")
	admin, cancelAdmin := chromedp.NewContext(bctx)
	t.Cleanup(cancelAdmin)
	eb := &extensionBrowser{ctx: bctx, admin: admin, id: id, dir: dir}
	require.Eventually(t, func() bool { return eb.worker() != "" }, 20*time.Second, 100*time.Millisecond,
		"the extension's service worker starts (id %s)", id)
	require.NoError(t, chromedp.Do(admin, chromedp.Navigate(eb.url("popup.html?mode=tab&route=/open"))))
	return eb
}

// clickAction clicks the extension's toolbar button on the tab, in the form
// this browser takes (protocol.ClickAction), and returns that form.
func (eb *extensionBrowser) clickAction(tab target.ID) (string, error) {
	return protocol.ClickAction.Do(eb.ctx, protocol.ActionArg{
		Browser:     chromedp.FromContext(eb.ctx).Browser,
		ExtensionID: eb.id,
		TabID:       string(tab),
		Worker: func(ctx context.Context) (cdp.Session, error) {
			w, _ := chromedp.NewContext(eb.ctx, chromedp.WithTargetID(eb.worker()), chromedp.WithDetachOnCancel())
			if err := chromedp.Do(w); err != nil {
				return nil, err
			}
			return chromedp.FromContext(w).Target, nil
		},
	})
}

// url is an address inside the extension.
func (eb *extensionBrowser) url(path string) string {
	return "chrome-extension://" + eb.id + "/" + strings.TrimPrefix(path, "/")
}

// worker is the target id of the extension's service worker, "" if none.
func (eb *extensionBrowser) worker() target.ID {
	return eb.find(func(ti *target.Info) bool {
		return ti.Type == "service_worker" && strings.HasPrefix(ti.URL, eb.url(""))
	})
}

// find is the id of the first open target that matches, "" if none.
func (eb *extensionBrowser) find(match func(*target.Info) bool) target.ID {
	ts, err := chromedp.Targets(eb.ctx)
	if err != nil {
		return ""
	}
	for _, ti := range ts {
		if match(ti) {
			return ti.TargetID
		}
	}
	return ""
}

// targets lists the open targets, for failure messages.
func (eb *extensionBrowser) targets() string {
	ts, _ := chromedp.Targets(eb.ctx)
	var b strings.Builder
	for _, ti := range ts {
		fmt.Fprintf(&b, "%s %s\n", ti.Type, ti.URL)
	}
	return b.String()
}

// serveEmulatorWith serves an emulator with a stopped clock and the
// merge-request fixture (a project pipeline on refs/merge-requests/7/head),
// noting which headers carried the demo token.
func serveEmulatorWith(t *testing.T) (*gitlabfake.Server, *httptest.Server, *tokenHeaders) {
	t.Helper()
	emu, err := gitlabfake.Open(gitlabfake.Options{Frozen: true, SeedFile: filepath.Join(RepoRoot(), "extension", "tabcontext", "testdata", "mr.json")})
	require.NoError(t, err)
	th := &tokenHeaders{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		th.note(r)
		emu.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return emu, srv, th
}

// tokenHeaders are the names of the request headers that carried the demo
// token, popup and background alike.
type tokenHeaders struct {
	mu    sync.Mutex
	names map[string]bool
}

func (th *tokenHeaders) note(r *http.Request) {
	th.mu.Lock()
	defer th.mu.Unlock()
	for k, vs := range r.Header {
		for _, v := range vs {
			if strings.Contains(v, gitlabfake.DefaultToken) {
				if th.names == nil {
					th.names = map[string]bool{}
				}
				th.names[k] = true
			}
		}
	}
}

func (th *tokenHeaders) seen() map[string]bool {
	th.mu.Lock()
	defer th.mu.Unlock()
	return maps.Clone(th.names)
}

// setStorage merges values into the extension's storage area ("local" or
// "session"), as the extension itself would have written them. The admin
// tab, an extension page, has the storage API.
func (eb *extensionBrowser) setStorage(t *testing.T, area string, values map[string]any) {
	t.Helper()
	raw, err := json.Marshal(values)
	require.NoError(t, err)
	_, err = chromedp.Run(eb.admin, chromedp.Evaluate[bool](`chrome.storage.`+area+`.set(`+string(raw)+`).then(() => true)`, chromedp.EvalAwaitPromise))
	require.NoError(t, err, "set %s storage", area)
}

// storage reads the extension's storage area.
func (eb *extensionBrowser) storage(t *testing.T, area string) map[string]any {
	t.Helper()
	out, err := chromedp.Run(eb.admin, chromedp.Evaluate[map[string]any](`chrome.storage.`+area+`.get(null)`, chromedp.EvalAwaitPromise))
	require.NoError(t, err, "read %s storage", area)
	return out
}

// resetStorage empties local and session storage between tests.
func (eb *extensionBrowser) resetStorage(t *testing.T) {
	t.Helper()
	_, err := chromedp.Run(eb.admin, chromedp.Evaluate[bool](
		`Promise.all([chrome.storage.local.clear(), chrome.storage.session.clear()]).then(() => true)`, chromedp.EvalAwaitPromise))
	require.NoError(t, err)
}

// settingsJSON is the viewer's settings (account.Settings) as stored.
func settingsJSON(t *testing.T, st account.Settings) string {
	t.Helper()
	b, err := json.Marshal(st)
	require.NoError(t, err)
	return string(b)
}

// extensionTargets are the ids of the extension's open pages.
func (eb *extensionBrowser) extensionPages() map[target.ID]string {
	ts, _ := chromedp.Targets(eb.ctx)
	out := map[target.ID]string{}
	for _, ti := range ts {
		if ti.Type == "page" && strings.HasPrefix(ti.URL, eb.url("")) {
			out[ti.TargetID] = ti.URL
		}
	}
	return out
}

// openPopup opens pageURL in a tab, clicks the extension's toolbar button
// there (Extensions.triggerAction: the popup opens as for a user's click,
// with activeTab granted for that tab) and returns a context on the popup,
// once the viewer runs in it.
func (eb *extensionBrowser) openPopup(t *testing.T, pageURL string) context.Context {
	t.Helper()
	tab, closeTab := chromedp.NewContext(eb.ctx)
	t.Cleanup(closeTab)
	ctx, cancel := context.WithTimeout(tab, 60*time.Second)
	t.Cleanup(cancel)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(pageURL)))
	tabs, err := chromedp.CallBrowser(eb.ctx, target.GetTargets, target.GetTargetsParams{Filter: target.Filter{{Type: "tab"}}})
	require.NoError(t, err)
	var tabID target.ID
	for _, ti := range tabs.TargetInfos {
		if ti.URL == pageURL {
			tabID = ti.TargetID
		}
	}
	require.NotEmpty(t, tabID, "the tab target of %s", pageURL)
	before := eb.extensionPages()
	form, err := eb.clickAction(tabID)
	require.NoError(t, err, "click the toolbar button")
	t.Logf("toolbar button clicked by %s", form)
	var popupID target.ID
	require.Eventually(t, func() bool {
		for id := range eb.extensionPages() {
			if _, old := before[id]; !old {
				popupID = id
				return true
			}
		}
		return false
	}, 20*time.Second, 50*time.Millisecond, "the popup opens; targets:\n%s", eb.targets())
	popup, closePopup := chromedp.NewContext(eb.ctx, chromedp.WithTargetID(popupID))
	t.Cleanup(closePopup)
	pctx, cancelP := context.WithTimeout(popup, 60*time.Second)
	t.Cleanup(cancelP)
	require.NoError(t, chromedp.Do(pctx, waitApp), "the viewer starts in the popup")
	return pctx
}

// popupShot saves a screenshot of the popup for review. Headless chromium
// keeps the popup at about 680x490 instead of growing it to the page's
// 780x580 (popup.css) as a desktop browser does, and refuses a viewport
// override on it: the shot captures the page's full 780x580 beyond that.
func popupShot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(ScreenshotDir(), 0o755))
	beyond := true
	shot, err := chromedp.Call(ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Clip:                  &page.Viewport{Width: 780, Height: 580, Scale: 1},
		CaptureBeyondViewport: &beyond,
	})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(ScreenshotDir(), "extension-"+name+".png"), shot.Data, 0o644))
}
