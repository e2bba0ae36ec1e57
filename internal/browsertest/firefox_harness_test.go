package browsertest

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jobscope/jobscope/internal/browsertest/firefox"
	"github.com/jobscope/jobscope/internal/extbuild"
	"github.com/stretchr/testify/require"
)

// The Firefox suites (issue 17): Debian's firefox-esr over WebDriver BiDi
// (package firefox), the PWA and the Firefox package, as the Chromium
// suites test them. Each test starts its own Firefox with a fresh profile.

// requireFirefox skips t when the Firefox tests cannot run here.
func requireFirefox(t *testing.T) {
	t.Helper()
	requireBrowser(t)
	if reason := firefox.Missing(RepoRoot()); reason != "" {
		t.Skip(reason)
	}
}

// firefoxPrefs are the preferences the harness needs beyond puppeteer's
// automation profile (which already turns off update checks, telemetry and
// first-run pages, in a fresh temporary profile): only
// extensions.webextensions.uuids, which pins the add-on's internal UUID so
// the tests can open its pages (moz-extension://<uuid>/...). Nothing about
// the add-on is relaxed: no signature or version check turned off (a
// temporary add-on needs no signature in any Firefox).
func firefoxPrefs(uuid string) map[string]any {
	uuids, _ := json.Marshal(map[string]string{extbuild.GeckoID: uuid})
	return map[string]any{"extensions.webextensions.uuids": string(uuids)}
}

// startFirefox starts a headless firefox-esr for one test.
func startFirefox(t *testing.T, prefs map[string]any, args ...string) *firefox.Browser {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	log := &lockedWriter{}
	b, err := firefox.Start(ctx, firefox.Options{Repo: RepoRoot(), Prefs: prefs, Args: args, Log: log})
	require.NoError(t, err, "start firefox: %s", log)
	t.Cleanup(b.Close)
	t.Logf("firefox %s", b.Version)
	return b
}

// ffCtx is a deadline for one step of a Firefox test.
func ffCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// ffTab opens a tab with the XSS hook, as a device already offered the
// install (as newTab does for chromium).
func ffTab(t *testing.T, b *firefox.Browser) *firefox.Page {
	t.Helper()
	p, err := b.NewPage(ffCtx(t), xssHook+"\n"+offeredBefore)
	require.NoError(t, err)
	return p
}

// ffWaitApp waits until the wasm app has replaced the pre-rendered page.
func ffWaitApp(t *testing.T, p *firefox.Page) {
	t.Helper()
	require.NoError(t, p.WaitVisible(ffCtx(t), `.shell[data-app="live"]`), "the app starts")
}

// ffEval evaluates expr in p into a T.
func ffEval[T any](t *testing.T, p *firefox.Page, expr string) T {
	t.Helper()
	var v T
	require.NoError(t, p.Eval(ffCtx(t), expr, &v), "evaluate %s", expr)
	return v
}

// ffShot saves a screenshot of p for review, named firefox-<name>.png.
func ffShot(t *testing.T, p *firefox.Page, name string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(ScreenshotDir(), 0o755))
	require.NoError(t, p.Screenshot(ffCtx(t), filepath.Join(ScreenshotDir(), "firefox-"+name+".png")))
}

// firefoxDist holds the Firefox package, removed when the tests end.
var firefoxDist string

func removeFirefoxPackage() {
	if firefoxDist != "" {
		os.RemoveAll(firefoxDist)
	}
}

// firefoxPackage builds the extension's wasm and the Firefox package once
// per test binary: the store package, unchanged.
var firefoxPackage = sync.OnceValues(func() (string, error) {
	dist, err := os.MkdirTemp("", "jobscope-firefox-ext-")
	if err != nil {
		return "", err
	}
	firefoxDist = dist
	root := RepoRoot()
	wasm := filepath.Join(dist, "app.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", wasm, "./extension/wasm")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build the extension wasm: %w\n%s", err, out)
	}
	if err := extbuild.Build(extbuild.Options{Wasm: wasm, WebDir: filepath.Join(root, "web"), Dist: dist, NoZip: true}); err != nil {
		return "", err
	}
	return extbuild.Dir(dist, extbuild.Firefox), nil
})

// ffExtension is a Firefox with the Firefox package installed.
type ffExtension struct {
	*firefox.Browser
	uuid  string
	admin *firefox.Page // an extension page, for its storage and APIs
}

// startFirefoxExtension starts firefox-esr with the Firefox package
// installed by BiDi's webExtension.install, its UUID pinned.
func startFirefoxExtension(t *testing.T, extra map[string]any) *ffExtension {
	t.Helper()
	dir, err := firefoxPackage()
	require.NoError(t, err)
	uuid := newUUID(t)
	prefs := firefoxPrefs(uuid)
	for k, v := range extra {
		prefs[k] = v
	}
	// BiDi navigates to http(s), file and about:blank only; the add-on's
	// pages (moz-extension:) need the remote agent's system access, a flag
	// of the automation, not of the add-on.
	b := startFirefox(t, prefs, "--remote-allow-system-access")
	id, err := b.InstallExtension(ffCtx(t), dir)
	require.NoError(t, err, "install the Firefox package")
	require.Equal(t, extbuild.GeckoID, id)
	fe := &ffExtension{Browser: b, uuid: uuid}
	fe.admin, err = b.NewPage(ffCtx(t), "")
	require.NoError(t, err)
	require.NoError(t, fe.admin.Goto(ffCtx(t), fe.url("popup.html?mode=tab&route=/open")))
	return fe
}

// url is an address inside the extension.
func (fe *ffExtension) url(path string) string {
	return "moz-extension://" + fe.uuid + "/" + strings.TrimPrefix(path, "/")
}

// setStorage merges values into the extension's storage area.
func (fe *ffExtension) setStorage(t *testing.T, area string, values map[string]any) {
	t.Helper()
	raw, err := json.Marshal(values)
	require.NoError(t, err)
	require.NoError(t, fe.admin.Eval(ffCtx(t), `browser.storage.`+area+`.set(`+string(raw)+`).then(() => true)`, nil), "set %s storage", area)
}

// storage reads the extension's storage area.
func (fe *ffExtension) storage(t *testing.T, area string) map[string]any {
	t.Helper()
	return ffEval[map[string]any](t, fe.admin, `browser.storage.`+area+`.get(null)`)
}

// resetStorage empties local and session storage between subtests.
func (fe *ffExtension) resetStorage(t *testing.T) {
	t.Helper()
	require.NoError(t, fe.admin.Eval(ffCtx(t),
		`Promise.all([browser.storage.local.clear(), browser.storage.session.clear()]).then(() => true)`, nil))
}

func newUUID(t *testing.T) string {
	t.Helper()
	var b [16]byte
	_, err := rand.Read(b[:])
	require.NoError(t, err)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// lockedWriter collects the bridge's stderr, written from its own goroutine.
type lockedWriter struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedWriter) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
