// Package webdriver is a small client of the W3C WebDriver protocol
// (https://www.w3.org/TR/webdriver2/): start a driver, open a session, and
// the few commands browser tests use: navigate, run a script, wait for a
// condition, find and click an element, type, take a screenshot.
//
// It is hand-written, not a dependency: WebDriver's classic protocol is
// JSON over HTTP, what the tests use of it is this file, and the Go clients
// on the module proxy (tebeka/selenium, archived and last released in
// 2021) bring Selenium-server and Firefox/Chrome launchers we do not use
// (docs/design.md §7).
package webdriver

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"time"
)

// Driver is a running WebDriver server (e.g. WebKitWebDriver) on loopback.
type Driver struct {
	url string
	cmd *exec.Cmd
}

// Start runs the driver binary with --port on a free loopback port and
// waits until it answers /status. Stop ends it.
func Start(ctx context.Context, binary string, env []string) (*Driver, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(binary, "--port="+strconv.Itoa(port))
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("webdriver: start %s: %w", binary, err)
	}
	d := &Driver{url: "http://127.0.0.1:" + strconv.Itoa(port), cmd: cmd}
	// The driver says it is ready on /status; until it listens, connections
	// are refused. A dead driver ends the wait at once.
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	for {
		var st struct {
			Ready bool `json:"ready"`
		}
		if err := d.do(ctx, http.MethodGet, "/status", nil, &st); err == nil && st.Ready {
			go func() { <-exited }()
			return d, nil
		}
		select {
		case err := <-exited:
			return nil, fmt.Errorf("webdriver: %s exited: %v", binary, err)
		case <-ctx.Done():
			_ = cmd.Process.Kill()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond): // the driver has no readiness event to wait on
		}
	}
}

// Stop ends the driver process.
func (d *Driver) Stop() {
	_ = d.cmd.Process.Kill()
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Error is an error the driver returned (WebDriver, "Errors").
type Error struct {
	Code    string `json:"error"`
	Message string `json:"message"`
}

func (e *Error) Error() string { return "webdriver: " + e.Code + ": " + e.Message }

// IsCode reports whether err is a driver error with this code, e.g.
// "no such element".
func IsCode(err error, code string) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

// do sends one command and decodes its "value" into out.
func (d *Driver) do(ctx context.Context, method, path string, body, out any) error {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, d.url+path, r)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var env struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		return fmt.Errorf("webdriver: %s %s: %d, %w", method, path, resp.StatusCode, err)
	}
	if resp.StatusCode != http.StatusOK {
		e := &Error{}
		if err := json.Unmarshal(env.Value, e); err != nil || e.Code == "" {
			return fmt.Errorf("webdriver: %s %s: %d %s", method, path, resp.StatusCode, env.Value)
		}
		return e
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(env.Value, out)
}

// Session is one browser session.
type Session struct {
	d  *Driver
	ID string
	// Capabilities are those the driver matched, e.g. browserVersion.
	Capabilities map[string]any
}

// NewSession opens a browser with these capabilities (alwaysMatch).
func (d *Driver) NewSession(ctx context.Context, caps map[string]any) (*Session, error) {
	var v struct {
		SessionID    string         `json:"sessionId"`
		Capabilities map[string]any `json:"capabilities"`
	}
	if err := d.do(ctx, http.MethodPost, "/session", map[string]any{"capabilities": map[string]any{"alwaysMatch": caps}}, &v); err != nil {
		return nil, err
	}
	return &Session{d: d, ID: v.SessionID, Capabilities: v.Capabilities}, nil
}

func (s *Session) do(ctx context.Context, method, path string, body, out any) error {
	if body == nil && method == http.MethodPost {
		body = map[string]any{}
	}
	return s.d.do(ctx, method, "/session/"+s.ID+path, body, out)
}

// Close ends the session and its browser.
func (s *Session) Close(ctx context.Context) error {
	return s.do(ctx, http.MethodDelete, "", nil, nil)
}

// SetTimeouts sets the script, page-load and implicit-wait timeouts.
func (s *Session) SetTimeouts(ctx context.Context, script, pageLoad time.Duration) error {
	return s.do(ctx, http.MethodPost, "/timeouts", map[string]any{
		"script": script.Milliseconds(), "pageLoad": pageLoad.Milliseconds(), "implicit": 0,
	}, nil)
}

// Navigate loads url and waits for the page's load.
func (s *Session) Navigate(ctx context.Context, url string) error {
	return s.do(ctx, http.MethodPost, "/url", map[string]any{"url": url}, nil)
}

// Refresh reloads the page.
func (s *Session) Refresh(ctx context.Context) error {
	return s.do(ctx, http.MethodPost, "/refresh", nil, nil)
}

// URL is the page's address.
func (s *Session) URL(ctx context.Context) (string, error) {
	var u string
	err := s.do(ctx, http.MethodGet, "/url", nil, &u)
	return u, err
}

// SetWindowRect resizes the browser window.
func (s *Session) SetWindowRect(ctx context.Context, width, height int) error {
	return s.do(ctx, http.MethodPost, "/window/rect", map[string]any{"width": width, "height": height}, nil)
}

// Execute runs script (a function body: `return ...`, arguments in
// `arguments`) and decodes its result into out (nil to drop it).
func (s *Session) Execute(ctx context.Context, out any, script string, args ...any) error {
	if args == nil {
		args = []any{}
	}
	return s.do(ctx, http.MethodPost, "/execute/sync", map[string]any{"script": script, "args": args}, out)
}

// ExecuteAsync runs script, whose last argument is the callback that ends
// it with a result, and decodes that result into out.
func (s *Session) ExecuteAsync(ctx context.Context, out any, script string, args ...any) error {
	if args == nil {
		args = []any{}
	}
	return s.do(ctx, http.MethodPost, "/execute/async", map[string]any{"script": script, "args": args}, out)
}

// Wait returns once the JavaScript expression cond is truthy in the page,
// checked on every DOM change and every 50 ms (for what changes no DOM,
// such as a service worker taking control); it fails after the session's
// script timeout with the expression in the error.
func (s *Session) Wait(ctx context.Context, cond string) error {
	script := `const done = arguments[arguments.length - 1];
const cond = () => { try { return !!(` + cond + `); } catch (e) { return false; } };
if (cond()) { done(true); return; }
const mo = new MutationObserver(check);
const iv = setInterval(check, 50);
function check() { if (cond()) { mo.disconnect(); clearInterval(iv); done(true); } }
mo.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});`
	if err := s.ExecuteAsync(ctx, nil, script); err != nil {
		return fmt.Errorf("wait for %s: %w", cond, err)
	}
	return nil
}

// Element is a reference to an element of the page.
type Element struct {
	s  *Session
	ID string
}

// elementKey is the key of a web element reference (WebDriver, "Elements").
const elementKey = "element-6066-11e4-a52e-4f735466cecf"

// Find returns the first element matching the CSS selector.
func (s *Session) Find(ctx context.Context, css string) (Element, error) {
	var v map[string]string
	if err := s.do(ctx, http.MethodPost, "/element", map[string]any{"using": "css selector", "value": css}, &v); err != nil {
		return Element{}, fmt.Errorf("find %s: %w", css, err)
	}
	if v[elementKey] == "" {
		return Element{}, fmt.Errorf("find %s: no element reference in %v", css, v)
	}
	return Element{s: s, ID: v[elementKey]}, nil
}

// Click scrolls the element into view and clicks its centre, as a pointer
// does (WebDriver's Element Click).
func (e Element) Click(ctx context.Context) error {
	return e.s.do(ctx, http.MethodPost, "/element/"+e.ID+"/click", nil, nil)
}

// SendKeys focuses the element and types text as key events; WebDriver's
// special keys are code points such as "\uE007" (Enter).
func (e Element) SendKeys(ctx context.Context, text string) error {
	return e.s.do(ctx, http.MethodPost, "/element/"+e.ID+"/value", map[string]any{"text": text}, nil)
}

// Clear empties a text field.
func (e Element) Clear(ctx context.Context) error {
	return e.s.do(ctx, http.MethodPost, "/element/"+e.ID+"/clear", nil, nil)
}

// Text is the element's rendered text.
func (e Element) Text(ctx context.Context) (string, error) {
	var t string
	err := e.s.do(ctx, http.MethodGet, "/element/"+e.ID+"/text", nil, &t)
	return t, err
}

// Keys sends key presses to whatever has focus (WebDriver's Perform
// Actions with a key input source): each rune down then up.
func (s *Session) Keys(ctx context.Context, text string) error {
	var actions []map[string]any
	for _, r := range text {
		actions = append(actions,
			map[string]any{"type": "keyDown", "value": string(r)},
			map[string]any{"type": "keyUp", "value": string(r)})
	}
	return s.do(ctx, http.MethodPost, "/actions", map[string]any{"actions": []any{
		map[string]any{"type": "key", "id": "keyboard", "actions": actions},
	}}, nil)
}

// Screenshot is a PNG of the window's viewport.
func (s *Session) Screenshot(ctx context.Context) ([]byte, error) {
	var b64 string
	if err := s.do(ctx, http.MethodGet, "/screenshot", nil, &b64); err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(b64)
}

// AlertText is the text of an open alert, confirm or prompt; an error
// with code "no such alert" when none is open.
func (s *Session) AlertText(ctx context.Context) (string, error) {
	var t string
	err := s.do(ctx, http.MethodGet, "/alert/text", nil, &t)
	return t, err
}
