package webkittest

import (
	"strconv"
	"strings"
	"testing"

	"github.com/jobscope/jobscope/app"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/jobscope/jobscope/internal/joblog"
	"github.com/jobscope/jobscope/internal/webdriver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The scenarios of issue 17 in WebKit, each the WebKit twin of a Chromium
// test of internal/browsertest named in its comment.

// TestWebKitConnects: typing the emulator's address and token and checking
// connects and says as whom (browsertest.TestConnect).
func TestWebKitConnects(t *testing.T) {
	requireWebKit(t)
	_, api := serveEmulator(t)
	srv := serveSite(t)
	tb := newTab(t, Options{})

	tb.navigate(srv.URL + "/")
	tb.run(`localStorage.setItem("jobscope.install-offered.v1", "1")`)
	tb.waitApp()
	tb.typeInto("base-url", api.URL)
	tb.typeInto("token", gitlabfake.DefaultToken)
	tb.click("#check")
	status := tb.text("#connect-status .notice-ok")
	assert.Contains(t, status, "Connected to 127.0.0.1:")
	assert.Contains(t, status, "(@")
	assert.NotContains(t, status, gitlabfake.DefaultToken, "the token is never shown")
	assert.Contains(t, tb.text("#instance"), "@")
}

// TestWebKitTheJobListLoadsMoreAsItScrolls: the list's end coming into view
// (IntersectionObserver) loads the next page, newest first throughout
// (browsertest.TestTheJobListShowsTheProjectsJobsNewestFirst).
func TestWebKitTheJobListLoadsMoreAsItScrolls(t *testing.T) {
	requireWebKit(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t)
	tb := newTab(t, Options{})
	tb.connected(srv.URL, api.URL)
	tb.open(srv.URL, app.Route{Screen: app.ScreenJobs, Project: emu.Info().Projects[0]}, "")
	tb.waitFor("#job-list li.job[data-id]")

	const rows = `document.querySelectorAll('#job-list li.job[data-id]').length`
	first := eval[int](tb, rows)
	require.Positive(t, first)
	tb.run(`document.getElementById('jobs-end').scrollIntoView({block: 'end'})`)
	tb.wait(rows + ` > ` + strconv.Itoa(first))
	ids := eval[[]int64](tb, `[...document.querySelectorAll('#job-list li.job[data-id]')].map(li => Number(li.dataset.id))`)
	t.Logf("%d rows, then %d after scrolling to the end", first, len(ids))
	for i := 1; i < len(ids); i++ {
		assert.Greater(t, ids[i-1], ids[i], "newest first (gitlab-api.md §5.1)")
	}
	tb.screenshot("jobs")
}

// TestWebKitTheHugeLog: gitlabfake's 500,000-line log scrolls, searches and
// folds (browsertest.TestTheHugeLogScrollsSearchesAndFoldsWithFewNodes).
func TestWebKitTheHugeLog(t *testing.T) {
	requireWebKit(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t)
	tb := newTab(t, Options{})
	project, job := findJob(t, api.URL, emu.Info().Projects[:1], named("huge-log"))
	want := traceOf(t, api.URL, project, job.ID)
	tb.do(tb.s.SetWindowRect(tb.ctx, 1280, 800))
	tb.connected(srv.URL, api.URL)
	tb.open(srv.URL, app.Route{Screen: app.ScreenJob, Project: project, ID: job.ID}, "")
	tb.waitFor(firstRow)
	tb.wait(`document.getElementById('log-live').textContent.includes(` + jsString(thousands(want.Len())+" lines") + `)`)

	t.Run("the middle of the log shows the middle lines", func(t *testing.T) {
		tb := tb.with(t)
		fold := want.Fold(nil)
		middle := fold.Line(fold.Rows()/2) + 1
		tb.run(`const p = document.getElementById('log-port'); p.scrollTop = p.scrollHeight / 2;`)
		tb.wait(`Math.abs(` + shownFirst + ` - ` + strconv.Itoa(middle) + `) < 50`)
		assert.Less(t, eval[int](tb, `document.getElementsByTagName('*').length`), 3000, "few DOM nodes")
	})

	t.Run("search counts every hit and next moves to the second", func(t *testing.T) {
		tb := tb.with(t)
		const query = "warning"
		sr, err := want.Search(joblog.Query{Text: query})
		require.NoError(t, err)
		for !sr.Step(1 << 30) {
		}
		require.Greater(t, sr.Count(), 2)
		tb.typeInto("log-search", query)
		tb.wait(`document.getElementById('log-count').textContent === ` + jsString("1 of "+thousands(sr.Count())))
		tb.click("#log-next")
		tb.wait(`document.getElementById('log-count').textContent === ` + jsString("2 of "+thousands(sr.Count())))
		tb.wait(shownLines + `.includes(` + strconv.Itoa(sr.Hit(1).Line+1) + `)`)
		assert.Equal(t, query, eval[string](tb, `document.querySelector('#log-rows .hit.cur').textContent`), "the current hit is marked")
		tb.screenshot("log-search")
		// Emptied; WebDriver's Element Clear fires no input event in
		// WebKitGTK, which a person's deleting does.
		tb.typeInto("log-search", "")
		tb.run(`document.getElementById('log-search').dispatchEvent(new Event('input', {bubbles: true}))`)
	})

	t.Run("a section header collapses and expands", func(t *testing.T) {
		tb := tb.with(t)
		sec := -1
		for i := range want.NumSections() {
			if s := want.Section(i); s.Header >= 0 && !s.Collapsed && s.Depth == 0 && s.Last > s.First {
				sec = i
				break
			}
		}
		require.GreaterOrEqual(t, sec, 0, "the log has an expanded section")
		row, _ := want.Fold(nil).Row(want.Section(sec).Header)
		tb.run(`document.getElementById('log-port').scrollTop = ` + strconv.Itoa(row*20-100))
		toggle := `#log-rows button.tg[data-s="` + strconv.Itoa(sec) + `"]`
		tb.waitFor(toggle)
		space := `document.getElementById('log-space').offsetHeight`
		before := eval[int](tb, space)
		tb.click(toggle)
		tb.wait(`document.querySelector(` + jsString(toggle) + `).getAttribute('aria-expanded') === 'false'`)
		assert.Less(t, eval[int](tb, space), before, "collapsing hides rows")
		tb.click(toggle)
		tb.wait(`document.querySelector(` + jsString(toggle) + `).getAttribute('aria-expanded') === 'true'`)
	})

	t.Run("a line number is a permalink", func(t *testing.T) {
		tb := tb.with(t)
		tb.run(`document.getElementById('log-port').scrollTop = 0`)
		tb.click(`#log-rows a.ln[href="#L3"]`)
		tb.wait(`location.hash === '#L3'`)
	})

	tb.run(`document.getElementById('log-port').scrollTop = 0`)
	tb.wait(shownFirst + ` === 1`)
	tb.screenshot("log")
	assert.Empty(t, eval[[]string](tb, `window.__xssHits`), "the log view breaks no CSP rule")
}

// TestWebKitADeepLinkOpensTheLogAtItsLine: #L<n> opens the log on line n,
// selected (browsertest.TestAPermalinkOpensTheLogAtItsLine).
func TestWebKitADeepLinkOpensTheLogAtItsLine(t *testing.T) {
	requireWebKit(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t)
	tb := newTab(t, Options{})
	project, job := findJob(t, api.URL, emu.Info().Projects[:1], named("huge-log"))
	tb.connected(srv.URL, api.URL)
	tb.open(srv.URL, app.Route{Screen: app.ScreenJob, Project: project, ID: job.ID}, "#L123456")
	tb.wait(shownLines + `.includes(123456)`)
	assert.Equal(t, "123456", eval[string](tb, `document.querySelector('#log-rows > div.sel a.ln').textContent`), "and selected")
}

// TestWebKitRetryOpensTheNewJob: an action, retry, answers with the new job
// and shows it (browsertest.TestRetryOpensTheNewJob).
func TestWebKitRetryOpensTheNewJob(t *testing.T) {
	requireWebKit(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t)
	tb := newTab(t, Options{})
	project, j := findJob(t, api.URL, emu.Info().Projects[:1], func(j gitlab.Job) bool { return j.Status == gitlab.StatusFailed })
	tb.connected(srv.URL, api.URL)
	tb.open(srv.URL, app.Route{Screen: app.ScreenJob, Project: project, ID: j.ID}, "")
	tb.click("#job-retry")
	tb.wait(`!location.pathname.endsWith("/jobs/` + strconv.FormatInt(j.ID, 10) + `")`)
	tb.waitFor("#job-status")
	loc, err := tb.s.URL(tb.ctx)
	require.NoError(t, err)
	newID, err := strconv.ParseInt(loc[strings.LastIndex(loc, "/")+1:], 10, 64)
	require.NoError(t, err, "the page is a job page: %s", loc)
	assert.Greater(t, newID, j.ID, "the retry is a new, newer job")
	assert.Contains(t, tb.text("h1"), j.Name)
}

// TestWebKitReloadsWithoutItsHost: the service worker registers and takes
// control, then, the site's server gone, a reload and a deep link still
// open the app from its cache
// (browsertest.TestTheSiteUnderAPrefixIsInstallableAndLoadsOffline).
// WebDriver has no network emulation, so "offline" is the host closed: the
// worker's cache answers, but navigator.onLine stays true.
func TestWebKitReloadsWithoutItsHost(t *testing.T) {
	requireWebKit(t)
	srv := serveSite(t)
	tb := newTab(t, Options{})
	tb.navigate(srv.URL + "/")
	tb.waitApp()
	var state string
	tb.do(tb.s.ExecuteAsync(tb.ctx, &state, `const done = arguments[0];
navigator.serviceWorker.ready.then(r => done(r.active.state), e => done('error: ' + e));`))
	assert.Contains(t, []string{"activating", "activated"}, state, "the service worker is active")
	tb.do(tb.s.Refresh(tb.ctx))
	tb.waitApp()
	tb.wait(`navigator.serviceWorker.controller !== null`)

	srv.Close()
	tb.do(tb.s.Refresh(tb.ctx))
	tb.waitApp()
	assert.Equal(t, "Connect to GitLab", tb.text("main h1"), "the start page reloads from the worker's cache")
	tb.navigate(srv.URL + "/projects/group/project/-/pipelines/42")
	tb.waitApp()
	assert.Equal(t, "Pipeline #42", tb.text("main h1"), "a deep link opens from the cached shell")
}

// TestWebKitHostileTextIsOnlyText: job names and logs full of markup show
// as characters; nothing runs, no element comes from them, no dialog opens
// (browsertest.TestHostileJobTextIsOnlyText, TestAHostileLogIsOnlyText).
func TestWebKitHostileTextIsOnlyText(t *testing.T) {
	requireWebKit(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t)
	tb := newTab(t, Options{})
	tb.connected(srv.URL, api.URL)

	t.Run("job names", func(t *testing.T) {
		tb := tb.with(t)
		tb.open(srv.URL, app.Route{Screen: app.ScreenJobs, Project: emu.Info().Projects[0]}, "")
		tb.waitFor("#job-list li.job[data-id]")
		tb.typeInto("job-filter", "<")
		tb.waitFor(`#job-list li.job[data-id], #jobs-end .hint`)
		names := eval[[]string](tb, `[...document.querySelectorAll('#job-list li.job .job-name')].map(a => a.textContent)`)
		require.NotEmpty(t, names, "a job with markup in its name exists in the seed")
		assert.Contains(t, strings.Join(names, "\n"), "<", "markup shows as characters")
		assert.Zero(t, eval[int](tb, `document.querySelectorAll('#job-list img, #job-list script, #job-list iframe, #job-list [onerror], #job-list [onclick]').length`), "no element came from job text")
		assertNothingRan(t, tb)
		tb.screenshot("jobs-hostile")
	})

	for _, name := range []string{`<script>alert("jobscope")</script>`, `<img src=x onerror=alert(1)>`, "broken-utf8"} {
		t.Run("the log of "+name, func(t *testing.T) {
			tb := tb.with(t)
			project, job := findJob(t, api.URL, emu.Info().Projects, named(name))
			want := traceOf(t, api.URL, project, job.ID)
			tb.open(srv.URL, app.Route{Screen: app.ScreenJob, Project: project, ID: job.ID}, "")
			tb.waitFor(firstRow)
			tb.wait(`document.getElementById('log-live').textContent.includes(` + jsString(thousands(want.Len())+" line") + `)`)
			assert.Zero(t, eval[int](tb, `document.querySelectorAll('#log-rows script, #log-rows img, #log-rows svg, #log-rows iframe, #log-rows style, #log-rows [onerror], #log-rows [onload], #log-rows a[href^="javascript"]').length`), "no element came from log bytes")
			assertNothingRan(t, tb)
		})
	}
}

// assertNothingRan checks the hook saw no call and no CSP refusal and no
// alert is open.
func assertNothingRan(t *testing.T, tb *tab) {
	t.Helper()
	assert.Empty(t, eval[[]string](tb, `window.__xssHits || []`), "no script ran and the CSP refused nothing")
	_, err := tb.s.AlertText(tb.ctx)
	assert.True(t, webdriver.IsCode(err, "no such alert"), "no dialog opened (%v)", err)
}

// firstRow is a rendered log row.
const firstRow = `#log-rows > div:not([hidden]) a.ln`

// shownLines are the line numbers of the log rows inside the viewport's box.
const shownLines = `Array.from(document.querySelectorAll('#log-rows > div:not([hidden])'))
  .filter(d => { const p = document.getElementById('log-port').getBoundingClientRect(), r = d.getBoundingClientRect(); return r.bottom > p.top + 1 && r.top < p.bottom - 1; })
  .map(d => +d.querySelector('a.ln').textContent).sort((a, b) => a - b)`

const shownFirst = `(` + shownLines + `)[0]`

func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// iPhoneSafari is the user agent of Safari on iOS 18 (an iPhone's every
// browser is WebKit; the app tells iOS by this string, app/engine.go).
const iPhoneSafari = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1"

// TestWebKitOnAnIPhone: where no browser offers to install (no
// beforeinstallprompt on iOS), the app says how, once; Connect says that
// WebKit may evict a tab's storage; a watch says notifications need the
// Home Screen. MiniBrowser plays the iPhone by its user agent, which is
// what the app reads; WebKitGTK itself is not iOS (README, "Engines").
func TestWebKitOnAnIPhone(t *testing.T) {
	requireWebKit(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t)

	t.Run("WebKitGTK on Linux: no guidance, but the storage may go", func(t *testing.T) {
		tb := newTab(t, Options{})
		tb.navigate(srv.URL + "/")
		tb.waitApp()
		tb.waitFor("#storage-evictable")
		assert.Contains(t, tb.text("#storage-evictable"), "7 days")
		assert.Zero(t, eval[int](tb, `document.querySelectorAll('#install-howto, #install-offer').length`), "no install offer: the engine has no install")
	})

	tb := newTab(t, Options{UserAgent: iPhoneSafari})
	tb.do(tb.s.SetWindowRect(tb.ctx, 390, 844))
	t.Run("the install offer says Share, then Add to Home Screen, once", func(t *testing.T) {
		tb := tb.with(t)
		tb.navigate(srv.URL + "/")
		tb.waitApp()
		assert.Contains(t, tb.text("#install-howto"), "tap Share, then “Add to Home Screen”")
		assert.Zero(t, eval[int](tb, `document.querySelectorAll('#install-offer').length`), "no Install button: nothing could answer it")
		tb.run(`document.getElementById('install-howto').scrollIntoView({block: 'center'})`)
		tb.screenshot("iphone-install-howto")
		tb.click("#install-howto-dismiss")
		tb.wait(`!document.getElementById('install-howto')`)
		tb.do(tb.s.Refresh(tb.ctx))
		tb.waitApp()
		tb.waitFor("#connect-form")
		assert.Zero(t, eval[int](tb, `document.querySelectorAll('#install-howto').length`), "said once per device")
	})

	t.Run("a watch says notifications need the Home Screen", func(t *testing.T) {
		tb := tb.with(t)
		project, j := findJob(t, api.URL, emu.Info().Projects[:1], func(j gitlab.Job) bool { return j.Status == gitlab.StatusRunning })
		tb.connected(srv.URL, api.URL)
		tb.open(srv.URL, app.Route{Screen: app.ScreenJob, Project: project, ID: j.ID}, "")
		tb.click("#job-details-button") // on a phone, the details (and Watch) are a sheet
		tb.click("#job-watch")
		assert.Contains(t, tb.text(".watch-hint"), "Home Screen")
		assert.Equal(t, "undefined", eval[string](tb, `typeof Notification === 'function' && Notification.permission !== 'default' ? Notification.permission : 'undefined'`), "no permission was granted or refused by the test's browser")
	})
}
