// Package firefox drives Debian's firefox-esr over WebDriver BiDi, which
// Firefox speaks natively (no geckodriver), through puppeteer-core from npm:
// a small Node bridge (bridge.cjs) takes one JSON request a line from Go
// and answers it. The browser tests keep their logic and assertions in Go;
// the bridge is only hands.
//
// Why puppeteer-core over selenium-webdriver: it launches Firefox itself
// with a fresh profile and automation prefs (no update checks, no
// telemetry), installs an unpacked add-on with one call
// (Browser.installExtension, BiDi's webExtension.install) and waits for
// selectors and conditions in the page, event-driven; selenium's BiDi side
// still needs geckodriver for the session. 24.x is the newest line that runs
// on Debian's Node 20 (25 wants Node 22).
package firefox

import (
	"bufio"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Path is Debian's firefox-esr; JOBSCOPE_FIREFOX names another (a release
// Firefox).
const Path = "/usr/bin/firefox-esr"

// PuppeteerVersion is the pinned npm client (the Makefile installs it).
const PuppeteerVersion = "24.43.1"

//go:embed bridge.cjs
var bridgeJS []byte

// Exe is the Firefox the tests run.
func Exe() string {
	if p := os.Getenv("JOBSCOPE_FIREFOX"); p != "" {
		return p
	}
	return Path
}

// Tools is where `make firefox` installs puppeteer-core, under repo.
func Tools(repo string) string {
	return filepath.Join(repo, "dist", "_tools", "puppeteer")
}

// Missing says what is missing to run Firefox tests, "" when nothing.
func Missing(repo string) string {
	if _, err := os.Stat(Exe()); err != nil {
		return Exe() + " is missing: `make test` installs it (apt-get install -y firefox-esr)"
	}
	raw, err := os.ReadFile(filepath.Join(Tools(repo), "node_modules", "puppeteer-core", "package.json"))
	if err != nil {
		return "puppeteer-core is missing: `make test` installs it into " + Tools(repo)
	}
	var pkg struct{ Version string }
	if json.Unmarshal(raw, &pkg) != nil || pkg.Version != PuppeteerVersion {
		return fmt.Sprintf("puppeteer-core %s is installed, not %s: `make firefox` installs the pinned one", pkg.Version, PuppeteerVersion)
	}
	return ""
}

// Options start a Firefox.
type Options struct {
	Repo  string         // module root: where the npm client is
	Prefs map[string]any // preferences beyond puppeteer's automation profile
	Args  []string       // command-line flags of Firefox
	Log   io.Writer      // the bridge's and Firefox's stderr; nil drops it
}

// Browser is one running Firefox with a fresh profile in a temporary
// folder, removed when it closes.
type Browser struct {
	Version string

	cmd     *exec.Cmd
	in      io.WriteCloser
	dir     string
	mu      sync.Mutex
	nextID  int
	pending map[int]chan reply
	dead    chan struct{}
	err     error
}

type reply struct {
	ID    int             `json:"id"`
	Value json.RawMessage `json:"value"`
	Error string          `json:"error"`
}

// Start launches Firefox headless through the bridge.
func Start(ctx context.Context, o Options) (*Browser, error) {
	dir, err := os.MkdirTemp("", "jobscope-firefox-bridge-")
	if err != nil {
		return nil, err
	}
	script := filepath.Join(dir, "bridge.cjs")
	if err := os.WriteFile(script, bridgeJS, 0o644); err != nil {
		return nil, err
	}
	cmd := exec.Command("node", script)
	cmd.Env = append(os.Environ(), "JOBSCOPE_PUPPETEER="+filepath.Join(Tools(o.Repo), "node_modules", "puppeteer-core"))
	cmd.Stderr = o.Log
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start the Firefox bridge (node): %w", err)
	}
	b := &Browser{cmd: cmd, in: in, dir: dir, pending: map[int]chan reply{}, dead: make(chan struct{})}
	go b.read(out)
	var version string
	if err := b.call(ctx, &version, map[string]any{"op": "launch", "executablePath": Exe(), "prefs": o.Prefs, "args": o.Args}); err != nil {
		b.Close()
		return nil, fmt.Errorf("launch %s: %w", Exe(), err)
	}
	b.Version = version
	return b, nil
}

func (b *Browser) read(out io.Reader) {
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var r reply
		if json.Unmarshal(sc.Bytes(), &r) != nil {
			continue
		}
		b.mu.Lock()
		ch := b.pending[r.ID]
		delete(b.pending, r.ID)
		b.mu.Unlock()
		if ch != nil {
			ch <- r
		}
	}
	b.mu.Lock()
	b.err = errors.New("the Firefox bridge exited")
	b.mu.Unlock()
	close(b.dead)
}

// call sends one request and decodes its answer into out (nil: ignored).
func (b *Browser) call(ctx context.Context, out any, req map[string]any) error {
	b.mu.Lock()
	if b.err != nil {
		b.mu.Unlock()
		return b.err
	}
	b.nextID++
	id := b.nextID
	ch := make(chan reply, 1)
	b.pending[id] = ch
	req["id"] = id
	// The bridge gives up half a second before the caller does, so that
	// its answer, which says what it waited for, arrives first.
	if dl, ok := ctx.Deadline(); ok {
		if _, set := req["timeout"]; !set {
			req["timeout"] = max(time.Until(dl).Milliseconds()-500, 1)
		}
	}
	line, err := json.Marshal(req)
	if err == nil {
		_, err = b.in.Write(append(line, '\n'))
	}
	b.mu.Unlock()
	if err != nil {
		return err
	}
	select {
	case r := <-ch:
		if r.Error != "" {
			return fmt.Errorf("%s: %s", req["op"], r.Error)
		}
		if out != nil && len(r.Value) > 0 {
			return json.Unmarshal(r.Value, out)
		}
		return nil
	case <-b.dead:
		return b.err
	case <-ctx.Done():
		b.mu.Lock()
		delete(b.pending, id)
		b.mu.Unlock()
		return fmt.Errorf("%s: %w", req["op"], ctx.Err())
	}
}

// InstallExtension installs the unpacked add-on in dir (BiDi
// webExtension.install) and returns its id.
func (b *Browser) InstallExtension(ctx context.Context, dir string) (string, error) {
	var id string
	err := b.call(ctx, &id, map[string]any{"op": "install", "path": dir})
	return id, err
}

// NewPage opens a tab that runs hook (if any) before every page's scripts.
func (b *Browser) NewPage(ctx context.Context, hook string) (*Page, error) {
	var id string
	if err := b.call(ctx, &id, map[string]any{"op": "newPage", "hook": hook}); err != nil {
		return nil, err
	}
	return &Page{b: b, id: id}, nil
}

// Tab is an open tab and its address.
type Tab struct {
	Page *Page
	URL  string
}

// Tabs lists the open tabs, those the extension opened too.
func (b *Browser) Tabs(ctx context.Context) ([]Tab, error) {
	var raw []struct{ Page, URL string }
	if err := b.call(ctx, &raw, map[string]any{"op": "pages"}); err != nil {
		return nil, err
	}
	out := make([]Tab, len(raw))
	for i, r := range raw {
		out[i] = Tab{Page: &Page{b: b, id: r.Page}, URL: r.URL}
	}
	return out, nil
}

// Close quits Firefox and the bridge and removes their files.
func (b *Browser) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_ = b.call(ctx, nil, map[string]any{"op": "quit"})
	b.in.Close()
	done := make(chan struct{})
	go func() { b.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		b.cmd.Process.Kill()
		<-done
	}
	os.RemoveAll(b.dir)
}

// Page is one tab.
type Page struct {
	b  *Browser
	id string
}

func (p *Page) do(ctx context.Context, out any, op string, args ...any) error {
	req := map[string]any{"op": op, "page": p.id}
	for i := 0; i+1 < len(args); i += 2 {
		req[args[i].(string)] = args[i+1]
	}
	return p.b.call(ctx, out, req)
}

// Goto navigates and waits for the load event.
func (p *Page) Goto(ctx context.Context, url string) error { return p.do(ctx, nil, "goto", "url", url) }

// Reload reloads and waits for the load event.
func (p *Page) Reload(ctx context.Context) error { return p.do(ctx, nil, "reload") }

// WaitVisible waits until an element matches css and is visible.
func (p *Page) WaitVisible(ctx context.Context, css string) error {
	return p.do(ctx, nil, "waitFor", "selector", css, "visible", true)
}

// WaitGone waits until no element matching css is visible.
func (p *Page) WaitGone(ctx context.Context, css string) error {
	return p.do(ctx, nil, "waitFor", "selector", css, "hidden", true)
}

// WaitTrue waits until the JavaScript expression is truthy and decodes its
// value into out (nil: ignored). The value must be JSON: a DOM node comes
// back empty, so test for one with !== null.
func (p *Page) WaitTrue(ctx context.Context, expr string, out any) error {
	return p.do(ctx, out, "waitTrue", "expr", expr)
}

// Eval evaluates the expression (a promise is awaited) into out.
func (p *Page) Eval(ctx context.Context, expr string, out any) error {
	return p.do(ctx, out, "eval", "expr", expr)
}

// Click clicks the element's centre with a real (trusted) pointer.
func (p *Page) Click(ctx context.Context, css string) error {
	return p.do(ctx, nil, "click", "selector", css)
}

// Type replaces a field's text by typing it, key by key.
func (p *Page) Type(ctx context.Context, css, text string) error {
	return p.do(ctx, nil, "type", "selector", css, "text", text)
}

// Press presses one key (puppeteer's key names: "Enter", "End", "n").
func (p *Page) Press(ctx context.Context, key string) error {
	return p.do(ctx, nil, "press", "key", key)
}

// Viewport sets the tab's viewport size.
func (p *Page) Viewport(ctx context.Context, width, height int) error {
	return p.do(ctx, nil, "viewport", "width", width, "height", height)
}

// Offline cuts the tab off the network, or puts it back.
func (p *Page) Offline(ctx context.Context, offline bool) error {
	return p.do(ctx, nil, "offline", "offline", offline)
}

// Screenshot writes the viewport as a PNG file.
func (p *Page) Screenshot(ctx context.Context, path string) error {
	return p.do(ctx, nil, "screenshot", "path", path)
}

// Dialogs are the messages of the alerts, confirms and prompts the page
// opened (each dismissed at once).
func (p *Page) Dialogs(ctx context.Context) ([]string, error) {
	var out []string
	err := p.do(ctx, &out, "dialogs")
	return out, err
}

// Close closes the tab.
func (p *Page) Close(ctx context.Context) error { return p.do(ctx, nil, "close") }

// URL is the page's address now.
func (p *Page) URL(ctx context.Context) (string, error) {
	var u string
	err := p.Eval(ctx, "location.href", &u)
	return u, err
}

// IsGone reports whether err says the page closed under the call (a popup
// that closes itself after a click).
func IsGone(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "no page") || strings.Contains(err.Error(), "closed") || strings.Contains(err.Error(), "discarded"))
}
