// Package webkittest runs the built PWA in WebKit: WebKitGTK's MiniBrowser
// driven by Debian's WebKitWebDriver (package webkit2gtk-driver) on a
// private Xvfb display, the engine of every iPhone browser.
//
// Like internal/browsertest, its tests run only with JOBSCOPE_BROWSER=1
// (make test, make e2e) and skip with the reason when WebKitWebDriver or
// Xvfb is missing (`make webkit` installs both).
package webkittest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/jobscope/jobscope/internal/browsertest"
	"github.com/jobscope/jobscope/internal/webdriver"
)

// Debian's paths (webkit2gtk-driver, libwebkit2gtk-4.1-0, xvfb).
const (
	DriverPath      = "/usr/bin/WebKitWebDriver"
	MiniBrowserPath = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
	XvfbPath        = "/usr/bin/Xvfb"
)

// Skip reports why the WebKit tests cannot run here, or "" when they can.
func Skip() string {
	if os.Getenv(browsertest.EnvEnable) == "" {
		return "browser tests are off: run `make e2e` or set " + browsertest.EnvEnable + "=1"
	}
	for _, p := range []string{DriverPath, MiniBrowserPath, XvfbPath} {
		if _, err := os.Stat(p); err != nil {
			return p + " is missing: `make webkit` installs it (apt-get install -y webkit2gtk-driver xvfb)"
		}
	}
	return ""
}

// Browser is WebKitWebDriver on an Xvfb display of its own, in a home of
// its own: MiniBrowser keeps nothing between runs and reads nothing of the
// machine's user.
type Browser struct {
	Driver  *webdriver.Driver
	xvfb    *exec.Cmd
	display string // Xvfb's display number, without the colon
	home    string
}

// Start runs Xvfb on a free display (Xvfb picks it and names it on a pipe
// when it is ready: -displayfd) and WebKitWebDriver on it.
//
// -noreset: by default an X server resets when its last client leaves,
// and drops a client that connects meanwhile. Each test's MiniBrowser is
// the display's only client, so the next test's could meet that reset:
// once in five loaded runs it said "cannot open display". Three
// goroutines connecting and leaving 4,500 times had 54% dropped without
// -noreset and none with it (TestTheDisplayKeepsAClientThatComesAsAnotherLeaves).
func Start(ctx context.Context) (*Browser, error) {
	home, err := os.MkdirTemp("", "jobscope-webkit-")
	if err != nil {
		return nil, err
	}
	b := &Browser{home: home}
	for _, d := range []string{"config", "data", "cache"} {
		if err := os.MkdirAll(filepath.Join(home, d), 0o700); err != nil {
			return nil, err
		}
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	b.xvfb = exec.Command(XvfbPath, "-displayfd", "3", "-screen", "0", "1280x1024x24", "-nolisten", "tcp", "-noreset")
	b.xvfb.ExtraFiles = []*os.File{w}
	if err := b.xvfb.Start(); err != nil {
		return nil, fmt.Errorf("start Xvfb: %w", err)
	}
	w.Close()
	display, err := bufio.NewReader(r).ReadString('\n')
	r.Close()
	if err != nil {
		b.Stop()
		return nil, fmt.Errorf("Xvfb gave no display: %w", err)
	}
	b.display = strings.TrimSpace(display)
	env := append(os.Environ(),
		"DISPLAY=:"+b.display,
		"HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(home, "config"),
		"XDG_DATA_HOME="+filepath.Join(home, "data"),
		"XDG_CACHE_HOME="+filepath.Join(home, "cache"),
		"XDG_RUNTIME_DIR="+home,
		// No accessibility bus and no GStreamer plugin scan: nothing the
		// tests use, each a process or a disk walk at start.
		"NO_AT_BRIDGE=1",
		"GST_REGISTRY_UPDATE=no",
	)
	if os.Geteuid() == 0 {
		// bubblewrap cannot make its namespaces as root in a CI container,
		// as Chromium's --no-sandbox there (internal/browsertest).
		env = append(env, "WEBKIT_DISABLE_SANDBOX_THIS_IS_DANGEROUS=1")
	}
	startCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	b.Driver, err = webdriver.Start(startCtx, DriverPath, env)
	if err != nil {
		b.Stop()
		return nil, err
	}
	return b, nil
}

// Options are a session's MiniBrowser settings.
type Options struct {
	// UserAgent, when set, replaces WebKitGTK's (e.g. an iPhone's Safari).
	UserAgent string
}

// NewSession opens a MiniBrowser window in automation mode (an ephemeral
// website data session: nothing is kept after it).
func (b *Browser) NewSession(ctx context.Context, o Options) (*webdriver.Session, error) {
	// No DNS prefetching: nothing leaves the machine but what a test asks
	// for (as Chromium's --disable-background-networking, internal/browsertest).
	args := []string{"--automation", "--enable-dns-prefetching=false"}
	if o.UserAgent != "" {
		args = append(args, "--user-agent="+o.UserAgent)
	}
	return b.Driver.NewSession(ctx, map[string]any{
		"webkitgtk:browserOptions": map[string]any{"binary": MiniBrowserPath, "args": args},
	})
}

// Socket is the display's X socket, for a test of the display itself.
func (b *Browser) Socket() string { return "/tmp/.X11-unix/X" + b.display }

// Display says whether the Xvfb display is still there, for a session
// that could not start (once, MiniBrowser said "cannot open display").
func (b *Browser) Display() string {
	if b.xvfb == nil || b.xvfb.Process == nil {
		return "no Xvfb"
	}
	if err := b.xvfb.Process.Signal(syscall.Signal(0)); err != nil {
		return fmt.Sprintf("Xvfb (pid %d) is gone: %v", b.xvfb.Process.Pid, err)
	}
	if _, err := os.Stat(b.Socket()); err != nil {
		return fmt.Sprintf("Xvfb (pid %d) runs, without its socket: %v", b.xvfb.Process.Pid, err)
	}
	return fmt.Sprintf("Xvfb (pid %d) runs, with its socket %s", b.xvfb.Process.Pid, b.Socket())
}

// Stop ends the driver and Xvfb and removes the browser's home.
func (b *Browser) Stop() {
	if b.Driver != nil {
		b.Driver.Stop()
	}
	if b.xvfb != nil && b.xvfb.Process != nil {
		_ = b.xvfb.Process.Kill()
		_ = b.xvfb.Wait()
	}
	os.RemoveAll(b.home)
}
