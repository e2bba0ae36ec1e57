package webkittest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jobscope/jobscope/app"
	"github.com/jobscope/jobscope/internal/browsertest"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/jobscope/jobscope/internal/joblog"
	"github.com/jobscope/jobscope/internal/site"
	"github.com/jobscope/jobscope/internal/webdriver"
	"github.com/stretchr/testify/require"
)

// Shared by every test of the package, set up once by TestMain.
var (
	siteDir string   // the built site
	webkit  *Browser // WebKitWebDriver on its Xvfb display
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
	if err := browsertest.BuildSite(ctx, dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	b, err := Start(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer b.Stop()
	siteDir, webkit = dir, b
	return m.Run()
}

func requireWebKit(t *testing.T) {
	t.Helper()
	if reason := Skip(); reason != "" {
		t.Skip(reason)
	}
}

// tab is one MiniBrowser session with its test's deadline.
type tab struct {
	t   *testing.T
	ctx context.Context
	s   *webdriver.Session
}

// newTab opens a MiniBrowser window (closed when the test ends) at the
// phone's width, the engine's most common home.
func newTab(t *testing.T, o Options) *tab {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	s, err := webkit.NewSession(ctx, o)
	require.NoError(t, err, "open MiniBrowser (%s)", webkit.Display())
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	// A wait (webdriver.Session.Wait) is one async script: its limit is
	// the script timeout, wide for a loaded CI machine (the 500,000-line
	// log takes 20 s on a quiet one).
	require.NoError(t, s.SetTimeouts(ctx, 120*time.Second, 120*time.Second))
	return &tab{t: t, ctx: ctx, s: s}
}

// with is the tab for a subtest: its failures end the subtest.
func (tb *tab) with(t *testing.T) *tab {
	c := *tb
	c.t = t
	return &c
}

// do fails the test on err.
func (tb *tab) do(err error, msg ...any) {
	tb.t.Helper()
	require.NoError(tb.t, err, msg...)
}

func (tb *tab) navigate(url string) { tb.t.Helper(); tb.do(tb.s.Navigate(tb.ctx, url), "open %s", url) }

// wait waits for a JavaScript condition (webdriver.Session.Wait). When it
// times out, the test's log says what the page showed instead.
func (tb *tab) wait(cond string) {
	tb.t.Helper()
	if err := tb.s.Wait(tb.ctx, cond); err != nil {
		tb.describe()
		tb.do(err)
	}
}

// describe logs the page's address, heading, live region and log state and
// saves a screenshot: what a failed wait needs to be understood.
func (tb *tab) describe() {
	tb.t.Helper()
	var state map[string]any
	err := tb.s.Execute(tb.ctx, &state, `const q = (s) => document.querySelector(s);
const text = (s) => (q(s) ? q(s).innerText.slice(0, 400) : null);
return {
  url: location.href,
  app: q('.shell') ? q('.shell').dataset.app : null,
  heading: text('main h1'),
  live: text('#log-live'),
  note: text('#log-note'),
  status: text('main [role=status], main .error, main .notice'),
  rows: document.querySelectorAll('#log-rows > div').length,
  shownRows: document.querySelectorAll('#log-rows > div:not([hidden])').length,
  viewport: q('#log-port') ? q('#log-port').getBoundingClientRect().height : null,
  window: innerWidth + 'x' + innerHeight,
  visibility: (window.__visibility || []).join(' → ') + ' (now ' + document.visibilityState + ')',
};`)
	tb.t.Logf("the page when the wait failed: %v (%v)", state, err)
	tb.t.Logf("the emulator's last requests:\n%s", &apiRequests)
	if png, err := tb.s.Screenshot(tb.ctx); err == nil {
		p := filepath.Join(browsertest.ScreenshotDir(), "webkit-failed-"+strings.NewReplacer("/", "_", " ", "_").Replace(tb.t.Name())+".png")
		if os.MkdirAll(filepath.Dir(p), 0o755) == nil && os.WriteFile(p, png, 0o644) == nil {
			tb.t.Logf("screenshot %s", p)
		}
	}
}

// waitFor waits until an element matches css and is rendered.
func (tb *tab) waitFor(css string) {
	tb.t.Helper()
	tb.wait(`(el => !!el && el.getClientRects().length > 0)(document.querySelector(` + jsString(css) + `))`)
}

// eval returns the value of a JavaScript expression.
func eval[T any](tb *tab, expr string) T {
	tb.t.Helper()
	var v T
	tb.do(tb.s.Execute(tb.ctx, &v, "return ("+expr+");"), "evaluate %s", expr)
	return v
}

// run runs JavaScript statements.
func (tb *tab) run(js string) { tb.t.Helper(); tb.do(tb.s.Execute(tb.ctx, nil, js), "run %s", js) }

// click clicks the element as a pointer does.
func (tb *tab) click(css string) {
	tb.t.Helper()
	tb.waitFor(css)
	el, err := tb.s.Find(tb.ctx, css)
	tb.do(err)
	tb.do(el.Click(tb.ctx), "click %s", css)
}

// typeInto focuses a text field and types text as key presses, then
// leaves it as a person does (Tab), which fires change.
func (tb *tab) typeInto(id, text string) {
	tb.t.Helper()
	tb.waitFor("#" + id)
	el, err := tb.s.Find(tb.ctx, "#"+id)
	tb.do(err)
	tb.do(el.Clear(tb.ctx))
	tb.do(el.SendKeys(tb.ctx, text+"\uE004"), "type into #%s", id) // U+E004 is Tab
}

func (tb *tab) text(css string) string {
	tb.t.Helper()
	tb.waitFor(css)
	return eval[string](tb, `document.querySelector(`+jsString(css)+`).innerText`)
}

// screenshot saves the window as dist/screenshots/webkit-<name>.png and
// returns its path.
func (tb *tab) screenshot(name string) string {
	tb.t.Helper()
	png, err := tb.s.Screenshot(tb.ctx)
	tb.do(err)
	dir := browsertest.ScreenshotDir()
	tb.do(os.MkdirAll(dir, 0o755))
	p := filepath.Join(dir, "webkit-"+name+".png")
	tb.do(os.WriteFile(p, png, 0o644))
	tb.t.Logf("screenshot %s", p)
	return p
}

// waitApp waits until the wasm app has replaced the pre-rendered page.
func (tb *tab) waitApp() { tb.t.Helper(); tb.waitFor(`.shell[data-app="live"]`) }

// hook records what a hostile string would do if it became markup:
// hostile fixtures call window.__xss(), and CSP violations are kept.
// WebDriver cannot run a script before a page's own, so it is set after
// each load, before the data arrives; that no element came from the text
// and no dialog opened are checked besides.
const hook = `window.__xssHits = [];
window.__visibility = [document.visibilityState];
document.addEventListener('visibilitychange', function () { window.__visibility.push(document.visibilityState); });
window.__xss = function (what) { window.__xssHits.push(String(what)); };
document.addEventListener('securitypolicyviolation', function (e) {
  window.__xssHits.push('csp:' + e.violatedDirective + ' ' + e.blockedURI);
});`

// connected saves a connection to api in the origin's localStorage, as an
// earlier visit would have (the app's own settings format), and marks the
// install offer made, so that no notice covers the page's bottom edge.
func (tb *tab) connected(siteURL, apiURL string) {
	tb.t.Helper()
	tb.navigate(siteURL + "/open")
	settings := `{"instances":[{"base_url":` + jsString(apiURL) + `,"token":` + jsString(gitlabfake.DefaultToken) + `,"remember":true,"user":"jobscope-demo"}],"active":` + jsString(apiURL) + `}`
	tb.run(`localStorage.setItem("jobscope.settings.v1", ` + jsString(settings) + `);
localStorage.setItem("jobscope.install-offered.v1", "1");`)
}

// open navigates to an app route and waits for the app.
func (tb *tab) open(siteURL string, r app.Route, fragment string) {
	tb.t.Helper()
	tb.navigate(siteURL + r.Path() + fragment)
	tb.run(hook)
	tb.waitApp()
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// serveEmulator serves a frozen emulator on its own loopback origin (CORS
// applies between the site and it, gitlab-api.md §10).
func serveEmulator(t *testing.T) (*gitlabfake.Server, *httptest.Server) {
	t.Helper()
	emu := gitlabfake.New(gitlabfake.Options{Frozen: true})
	apiRequests.reset()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		began := time.Now()
		apiRequests.add(began.Format("15:04:05.000 ") + r.Method + " " + r.URL.Path + " began")
		emu.ServeHTTP(w, r)
		apiRequests.add(time.Now().Format("15:04:05.000 ") + r.Method + " " + r.URL.Path + " answered in " + time.Since(began).Round(time.Millisecond).String())
	}))
	t.Cleanup(srv.Close)
	return emu, srv
}

// apiRequests are the emulator's last requests, for a failed wait to show
// whether the page asked and was answered (the tests of this package run
// one at a time).
var apiRequests recent

// recent keeps the last lines added.
type recent struct {
	mu    sync.Mutex
	lines []string
}

func (r *recent) reset() { r.mu.Lock(); r.lines = nil; r.mu.Unlock() }

func (r *recent) add(line string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, line)
	if len(r.lines) > 30 {
		r.lines = r.lines[len(r.lines)-30:]
	}
}

func (r *recent) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.lines, "\n")
}

// serveSite serves the built site on loopback for one test.
func serveSite(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(site.FileServer(siteDir, site.ServeOptions{}))
	t.Cleanup(srv.Close)
	return srv
}

func client(t *testing.T, apiURL string) *gitlab.Client {
	t.Helper()
	c, err := gitlab.New(apiURL, gitlab.PrivateToken(gitlabfake.DefaultToken), gitlab.WithBackoff(gitlab.NoBackoff))
	require.NoError(t, err)
	return c
}

// findJob returns the first job (newest first) of the projects that pred
// accepts.
func findJob(t *testing.T, apiURL string, projects []string, pred func(gitlab.Job) bool) (string, gitlab.Job) {
	t.Helper()
	c := client(t, apiURL)
	for _, p := range projects {
		for j, err := range c.AllProjectJobs(context.Background(), gitlab.ProjectPath(p), gitlab.ListProjectJobsOptions{Keyset: true}) {
			require.NoError(t, err)
			if pred(j) {
				return p, j
			}
		}
	}
	t.Fatal("no such job in the emulator's seed")
	return "", gitlab.Job{}
}

func named(name string) func(gitlab.Job) bool {
	return func(j gitlab.Job) bool { return j.Name == name }
}

// traceOf parses a job's log as the view does, for expectations.
func traceOf(t *testing.T, apiURL, project string, id int64) *joblog.Store {
	t.Helper()
	raw, err := client(t, apiURL).JobLog(context.Background(), gitlab.ProjectPath(project), id)
	require.NoError(t, err)
	var s joblog.Store
	s.Append(raw)
	s.Finish()
	return &s
}
