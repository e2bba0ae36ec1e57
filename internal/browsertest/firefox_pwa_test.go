package browsertest

import (
	"strconv"
	"strings"
	"testing"

	"github.com/jobscope/jobscope/app"
	"github.com/jobscope/jobscope/internal/browsertest/firefox"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/jobscope/jobscope/internal/joblog"
	"github.com/jobscope/jobscope/internal/site"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The PWA in firefox-esr (issue 17), as the Chromium suites test it: one
// Firefox, the built site and the emulator.
func TestFirefoxPWA(t *testing.T) {
	requireFirefox(t)
	b := startFirefox(t, nil)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	project := emu.Info().Projects[0]

	t.Run("connect with a token says who you are", func(t *testing.T) {
		p := ffTab(t, b)
		require.NoError(t, p.Goto(ffCtx(t), srv.URL+app.PathConnect))
		ffWaitApp(t, p)
		ffFill(t, p, "base-url", api.URL)
		ffFill(t, p, "token", gitlabfake.DefaultToken)
		require.NoError(t, p.Click(ffCtx(t), "#check"))
		require.NoError(t, p.WaitVisible(ffCtx(t), "#connect-status .notice-ok"))
		said := ffEval[string](t, p, `document.getElementById("connect-status").innerText`)
		for _, want := range []string{"Connected to 127.0.0.1:", " as ", "(@"} {
			assert.Contains(t, said, want)
		}
		assert.Contains(t, ffEval[string](t, p, `localStorage.getItem("jobscope.settings.v1")`), api.URL, "the instance is kept")
	})

	t.Run("the job list loads the next page at its end", func(t *testing.T) {
		p := ffOpen(t, b, srv.URL, api.URL, app.Route{Screen: app.ScreenJobs, Project: project}.Path())
		require.NoError(t, p.WaitVisible(ffCtx(t), "#job-list li.job:not(.skeleton)"))
		ids := ffEval[[]int64](t, p, `[...document.querySelectorAll('#job-list li.job[data-id]')].map(li => Number(li.dataset.id))`)
		require.NotEmpty(t, ids)
		for i := 1; i < len(ids); i++ {
			assert.Greater(t, ids[i-1], ids[i], "newest first (gitlab-api.md §5.1: id descending)")
		}
		require.NoError(t, p.Eval(ffCtx(t), `document.getElementById("jobs-end").scrollIntoView(), true`, nil))
		require.NoError(t, p.WaitTrue(ffCtx(t), `document.querySelectorAll('#job-list li.job[data-id]').length > `+strconv.Itoa(len(ids)), nil),
			"scrolling to the end loads more than the first %d", len(ids))
		ffShot(t, p, "jobs")
	})

	t.Run("a huge log scrolls, searches and folds", func(t *testing.T) {
		lp, job := findJobNamed(t, api.URL, emu.Info().Projects[:1], "huge-log")
		want := traceOf(t, api.URL, lp, job.ID)
		p := ffOpen(t, b, srv.URL, api.URL, app.Route{Screen: app.ScreenLog, Project: lp, ID: job.ID}.Path())
		require.NoError(t, p.WaitVisible(ffCtx(t), `#log-rows > div:not([hidden]) a.ln`))
		assert.Equal(t, 1, ffShown(t, p)[0], "the first lines appear at the top")
		require.NoError(t, p.WaitTrue(ffCtx(t), `(document.getElementById("log-live")?.innerText ?? "").includes(`+jsString(thousands(want.Len())+" lines")+`)`, nil),
			"the whole log is loaded: %d lines", want.Len())
		assert.Less(t, ffEval[int](t, p, `document.getElementsByTagName('*').length`), 3000, "the page stays under 3,000 DOM nodes")

		require.NoError(t, p.Eval(ffCtx(t), `(async () => {
  const port = document.getElementById('log-port');
  port.scrollTop = port.scrollHeight / 2;
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return true;
})()`, nil))
		fold := want.Fold(nil)
		middle := fold.Line(fold.Rows()/2) + 1
		assert.InDelta(t, middle, ffShown(t, p)[0], 50, "the middle of the log shows the middle lines")

		sr, err := want.Search(joblog.Query{Text: "warning"})
		require.NoError(t, err)
		for !sr.Step(1 << 30) {
		}
		require.Greater(t, sr.Count(), 2)
		ffFill(t, p, "log-search", "warning")
		require.NoError(t, p.WaitTrue(ffCtx(t), `document.getElementById("log-count")?.innerText === `+jsString("1 of "+thousands(sr.Count())), nil),
			"search counts every hit")
		require.NoError(t, p.Click(ffCtx(t), "#log-next"))
		require.NoError(t, p.WaitTrue(ffCtx(t), `document.getElementById("log-count")?.innerText === `+jsString("2 of "+thousands(sr.Count())), nil))
		assert.Contains(t, ffShown(t, p), sr.Hit(1).Line+1, "next scrolled to the second hit")
		ffFill(t, p, "log-search", "")

		sec := -1
		for i := range want.NumSections() {
			if s := want.Section(i); s.Header >= 0 && !s.Collapsed && s.Depth == 0 && s.Last > s.First {
				sec = i
				break
			}
		}
		require.GreaterOrEqual(t, sec, 0, "the log has an expanded section")
		row, visible := fold.Row(want.Section(sec).Header)
		require.True(t, visible)
		require.NoError(t, p.Eval(ffCtx(t), `(async () => {
  document.getElementById('log-port').scrollTop = `+strconv.Itoa(row*20-100)+`;
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return true;
})()`, nil))
		sel := `#log-rows button.tg[data-s="` + strconv.Itoa(sec) + `"]`
		require.NoError(t, p.WaitVisible(ffCtx(t), sel+`[aria-expanded="true"]`))
		before := ffEval[int](t, p, `document.getElementById('log-space').offsetHeight`)
		require.NoError(t, p.Click(ffCtx(t), sel))
		require.NoError(t, p.WaitVisible(ffCtx(t), sel+`[aria-expanded="false"]`), "the section collapses")
		assert.Less(t, ffEval[int](t, p, `document.getElementById('log-space').offsetHeight`), before, "collapsing hides rows")
		require.NoError(t, p.Click(ffCtx(t), sel))
		require.NoError(t, p.WaitVisible(ffCtx(t), sel+`[aria-expanded="true"]`), "and expands")

		require.NoError(t, p.Eval(ffCtx(t), `document.getElementById('log-port').scrollTop = 0, true`, nil))
		require.NoError(t, p.WaitVisible(ffCtx(t), `#log-rows a.ln[href="#L1"]`))
		ffShot(t, p, "log-huge")
		assert.Empty(t, ffEval[[]string](t, p, `window.__xssHits || []`), "the log view breaks no CSP rule")
	})

	t.Run("a deep link opens the log at its line, selected", func(t *testing.T) {
		lp, job := findJobNamed(t, api.URL, emu.Info().Projects[:1], "huge-log")
		p := ffOpen(t, b, srv.URL, api.URL, app.Route{Screen: app.ScreenLog, Project: lp, ID: job.ID}.Path()+"#L123456")
		require.NoError(t, p.WaitTrue(ffCtx(t), `(() => {
  const s = document.querySelector('#log-rows > div.sel a.ln');
  return s && s.textContent === "123456";
})()`, nil), "line 123456 is selected")
		assert.Contains(t, ffShown(t, p), 123456, "and on screen")
	})

	t.Run("retry opens the new job", func(t *testing.T) {
		j := findJob(t, api.URL, project, gitlab.StatusFailed, nil)
		p := ffOpen(t, b, srv.URL, api.URL, app.Route{Screen: app.ScreenJob, Project: project, ID: j.ID}.Path())
		require.NoError(t, p.WaitVisible(ffCtx(t), "#job-status"))
		require.NoError(t, p.WaitVisible(ffCtx(t), "#job-retry"))
		require.NoError(t, p.Click(ffCtx(t), "#job-retry"))
		err := p.WaitTrue(ffCtx(t), `!location.pathname.endsWith("/jobs/`+itoa(j.ID)+`") && document.getElementById("job-status") !== null`, nil)
		require.NoError(t, err, "the new job's page opens; the page shows: %s", ffEval[string](t, p, `location.pathname + " " + document.body.innerText.slice(0, 300)`))
		loc := ffEval[string](t, p, `location.pathname`)
		newID, err := strconv.ParseInt(loc[strings.LastIndex(loc, "/")+1:], 10, 64)
		require.NoError(t, err, "the page is a job page: %s", loc)
		assert.Greater(t, newID, j.ID, "the retry is a new, newer job")
	})

	t.Run("hostile job names and logs are only text", func(t *testing.T) {
		p := ffOpen(t, b, srv.URL, api.URL, app.Route{Screen: app.ScreenJobs, Project: project}.Path())
		require.NoError(t, p.WaitVisible(ffCtx(t), "#job-list li.job:not(.skeleton)"))
		ffFill(t, p, "job-filter", "<")
		require.NoError(t, p.WaitVisible(ffCtx(t), `#job-list li.job[data-id], #jobs-end .hint`))
		names := ffEval[[]string](t, p, `[...document.querySelectorAll('#job-list li.job .job-name')].map(a => a.textContent)`)
		require.NotEmpty(t, names, "a job with markup in its name exists in the seed")
		assert.Contains(t, strings.Join(names, "\n"), "<", "markup shows as characters")
		assert.Zero(t, ffEval[int](t, p, `document.querySelectorAll('#job-list img, #job-list script, #job-list iframe, #job-list [onerror], #job-list [onclick]').length`),
			"no element came from job text")
		ffNothingRan(t, p)

		for _, name := range []string{`<script>alert("jobscope")</script>`, `<img src=x onerror=alert(1)>`, "broken-utf8"} {
			lp, job := findJobNamed(t, api.URL, emu.Info().Projects, name)
			want := traceOf(t, api.URL, lp, job.ID)
			require.NoError(t, p.Goto(ffCtx(t), srv.URL+app.Route{Screen: app.ScreenLog, Project: lp, ID: job.ID}.Path()))
			require.NoError(t, p.WaitTrue(ffCtx(t), `(document.getElementById("log-live")?.innerText ?? "").includes(`+jsString(thousands(want.Len())+" line")+`)`, nil))
			assert.Zero(t, ffEval[int](t, p, `document.querySelectorAll('#log-rows script, #log-rows img, #log-rows svg, #log-rows iframe, #log-rows style, #log-rows [onerror], #log-rows [onload], #log-rows a[href^="javascript"]').length`),
				"no element came from the bytes of %q", name)
			ffNothingRan(t, p)
		}
	})

	t.Run("the service worker reloads the site offline", func(t *testing.T) {
		own := serveSite(t, site.ServeOptions{})
		p := ffTab(t, b)
		require.NoError(t, p.Goto(ffCtx(t), own.URL+"/"))
		ffWaitApp(t, p)
		require.NoError(t, p.Eval(ffCtx(t), `navigator.serviceWorker.ready.then(r => r.active.state)`, nil), "the service worker registers")
		require.NoError(t, p.Reload(ffCtx(t)))
		ffWaitApp(t, p)
		require.NoError(t, p.WaitTrue(ffCtx(t), `navigator.serviceWorker.controller !== null`, nil), "and controls the page")

		own.Close() // the host itself goes
		require.NoError(t, p.Reload(ffCtx(t)))
		ffWaitApp(t, p)
		assert.Equal(t, "Connect to GitLab", ffEval[string](t, p, `document.querySelector("main h1").innerText`), "the start page reloads offline")
		require.NoError(t, p.Goto(ffCtx(t), own.URL+"/projects/group/project/-/pipelines/42"))
		ffWaitApp(t, p)
		assert.Equal(t, "Pipeline #42", ffEval[string](t, p, `document.querySelector("main h1").innerText`), "a deep link opens offline from the cached shell")
	})
}

// ffOpen opens path of the site in a new tab, connected to the emulator
// (the app's own settings in localStorage, as an earlier visit left them).
func ffOpen(t *testing.T, b *firefox.Browser, siteURL, apiURL, path string) *firefox.Page {
	t.Helper()
	p := ffTab(t, b)
	t.Cleanup(func() { _ = p.Close(ffCtx(t)) })
	require.NoError(t, p.Goto(ffCtx(t), siteURL+"/open"))
	settings := `{"instances":[{"base_url":` + jsString(apiURL) + `,"token":` + jsString(gitlabfake.DefaultToken) + `,"remember":true,"user":"jobscope-demo"}],"active":` + jsString(apiURL) + `}`
	require.NoError(t, p.Eval(ffCtx(t), `localStorage.setItem("jobscope.settings.v1", `+jsString(settings)+`), true`, nil))
	require.NoError(t, p.Goto(ffCtx(t), siteURL+path))
	ffWaitApp(t, p)
	return p
}

// ffShown are the line numbers of the log rows inside the viewport.
func ffShown(t *testing.T, p *firefox.Page) []int {
	t.Helper()
	var lines []int
	require.NoError(t, p.WaitTrue(ffCtx(t), `(() => { const l = `+shownLines+`; return l.length > 0 && l; })()`, &lines))
	return lines
}

// ffNothingRan checks the XSS hook saw no script and no CSP refusal, and no
// dialog opened.
func ffNothingRan(t *testing.T, p *firefox.Page) {
	t.Helper()
	assert.Empty(t, ffEval[[]string](t, p, `window.__xssHits || []`), "no script ran and the CSP refused nothing")
	dialogs, err := p.Dialogs(ffCtx(t))
	require.NoError(t, err)
	assert.Empty(t, dialogs, "no dialog opened")
}
