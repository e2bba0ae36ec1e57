// Package browsertest drives Debian's chromium with chromedp against the
// built site and the GitLab emulator: the browser tests of the viewer, and
// the helpers they (and browser benchmarks) share.
//
// The tests need a wasm build and a browser, which take a minute, so they
// run only when JOBSCOPE_BROWSER=1 (make test and make e2e set it); otherwise
// they skip with a message. Without /usr/bin/chromium they skip too; `make
// test` installs it first.
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"

	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/internal/site"
)

// ChromiumPath is Debian's chromium; JOBSCOPE_CHROMIUM overrides it.
const ChromiumPath = "/usr/bin/chromium"

// EnvEnable is the variable that turns the browser tests on.
const EnvEnable = "JOBSCOPE_BROWSER"

// Skip reports why browser tests cannot run here, or "" when they can.
func Skip() string {
	if os.Getenv(EnvEnable) == "" {
		return "browser tests are off: run `make e2e` or set " + EnvEnable + "=1"
	}
	if _, err := os.Stat(chromium()); err != nil {
		return chromium() + " is missing: `make test` installs it (apt-get install -y chromium)"
	}
	return ""
}

func chromium() string {
	if p := os.Getenv("JOBSCOPE_CHROMIUM"); p != "" {
		return p
	}
	return ChromiumPath
}

// NewBrowser starts a headless chromium with a fresh profile in a temporary
// folder and returns a chromedp context bound to it; each chromedp.NewContext
// of it is a new tab. The cancel func stops the browser and removes the
// profile.
func NewBrowser(ctx context.Context) (context.Context, context.CancelFunc, error) {
	profile, err := os.MkdirTemp("", "jobscope-chromium-")
	if err != nil {
		return nil, nil, err
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromium()),
		chromedp.Headless,
		chromedp.NoSandbox, // root in CI containers
		chromedp.NoFirstRun,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile),
	)
	bctx, cancelBrowser := chromedp.NewContext(alloc)
	if err := chromedp.Do(bctx); err != nil { // start it now, without a deadline
		cancelBrowser()
		cancelAlloc()
		os.RemoveAll(profile)
		return nil, nil, fmt.Errorf("start chromium: %w", err)
	}
	return bctx, func() {
		cancelBrowser()
		cancelAlloc()
		os.RemoveAll(profile)
	}, nil
}

// RepoRoot is the module root, found from this source file.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// BuildSite builds the wasm (as `make wasm` does) into dir/web/app.wasm and
// the site around it, uncompressed (the tests' server does not need .br).
func BuildSite(ctx context.Context, dir string) error {
	root := RepoRoot()
	wasm := filepath.Join(dir, "web", "app.wasm")
	if err := os.MkdirAll(filepath.Dir(wasm), 0o755); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", wasm, "./wasm")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("build wasm: %w\n%s", err, out)
	}
	err := site.Build(site.Options{Dir: dir, WebDir: filepath.Join(root, "web")})
	if errors.Is(err, site.ErrNoWasm) {
		return fmt.Errorf("build site: %w", err)
	}
	return err
}
