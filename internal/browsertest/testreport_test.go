package browsertest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/internal/account"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/jobscope/jobscope/internal/site"
	"github.com/jobscope/jobscope/internal/words"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Failed tests beside the log (issue 14), against the emulator's pipeline of
// failed test jobs (gitlabfake's seed_tests.go; docs/gitlab-api.md §14).

// reportCounter serves the emulator and counts the test report requests.
type reportCounter struct {
	mu              sync.Mutex
	summary, report int
}

func (c *reportCounter) counts() (summary, report int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.summary, c.report
}

func serveCountingEmulator(t *testing.T) (*gitlabfake.Server, *httptest.Server, *reportCounter) {
	t.Helper()
	emu := gitlabfake.New(gitlabfake.Options{Frozen: true})
	rc := &reportCounter{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			rc.mu.Lock()
			switch {
			case strings.HasSuffix(r.URL.Path, "/test_report_summary"):
				rc.summary++
			case strings.HasSuffix(r.URL.Path, "/test_report"):
				rc.report++
			}
			rc.mu.Unlock()
		}
		emu.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return emu, srv, rc
}

// testsJobs are the jobs of the emulator's failed-tests pipeline by name.
func testsJobs(t *testing.T, emu *gitlabfake.Server, apiURL string) (string, map[string]gitlab.Job) {
	t.Helper()
	project, pid := emu.TestsPipeline()
	c, err := gitlab.New(apiURL, gitlab.PrivateToken(gitlabfake.DefaultToken), gitlab.WithBackoff(gitlab.NoBackoff))
	require.NoError(t, err)
	jobs, _, err := c.ListPipelineJobs(context.Background(), gitlab.ProjectPath(project), pid, gitlab.ListPipelineJobsOptions{})
	require.NoError(t, err)
	out := map[string]gitlab.Job{}
	for _, j := range jobs {
		out[j.Name] = j
	}
	return project, out
}

// failingCases reads the report's failing cases of a suite, as the client
// sees them.
func failingCases(t *testing.T, emu *gitlabfake.Server, apiURL, suite string) []gitlab.TestCase {
	t.Helper()
	project, pid := emu.TestsPipeline()
	c, err := gitlab.New(apiURL, gitlab.PrivateToken(gitlabfake.DefaultToken), gitlab.WithBackoff(gitlab.NoBackoff))
	require.NoError(t, err)
	r, err := c.TestReport(context.Background(), gitlab.ProjectPath(project), pid)
	require.NoError(t, err)
	su, ok := r.Suite(suite)
	require.True(t, ok)
	var out []gitlab.TestCase
	for _, tc := range su.TestCases {
		if tc.Failing() {
			out = append(out, tc)
		}
	}
	return out
}

// testsReady waits until the failed tests are listed and matched to lines.
var testsReady = chromedp.WaitReady(chromedp.CSS(`#tests-list[data-matched="true"]`))

// openTests opens the failed-tests panel if it is not open (a viewport
// change closes a popover).
var openTests = chromedp.Action[chromedp.Void](func(ctx context.Context, _ *chromedp.Target) (chromedp.Void, error) {
	return chromedp.Void{}, chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`(() => {
  const p = document.getElementById('tests-panel');
  if (p && !p.matches(':popover-open')) document.getElementById('job-tests').click();
})()`),
		chromedp.WaitVisible(chromedp.ID("tests-panel")))
})

var lineLabel = regexp.MustCompile(`^Line (\d+)$`)

// TestFailedTestsBesideTheLog: a failed job's header says how many of its
// tests failed; the panel lists them with class, file, time and their text;
// each links to the line where it shows up, which is marked in the log, and
// a mark opens the panel on its test. One summary and one report request.
func TestFailedTestsBesideTheLog(t *testing.T) {
	requireBrowser(t)
	emu, api, rc := serveCountingEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	project, jobs := testsJobs(t, emu, api.URL)
	j := jobs["unit-tests 1/2"]
	want := failingCases(t, emu, api.URL, "unit-tests")
	require.NotEmpty(t, want)
	store := traceOf(t, api.URL, project, j.ID)
	s0, r0 := rc.counts() // the test's own reads

	require.NoError(t, chromedp.Do(ctx, SetViewport(Viewports[2], "light")))
	openJobScreen(t, ctx, srv.URL, api.URL, project, j.ID, false, "")
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`button#job-tests`)), testsReady))
	label, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("job-tests")))
	require.NoError(t, err)
	assert.Equal(t, strconv.Itoa(len(want))+" failed tests", label)
	assert.True(t, visible(t, ctx, "log-port"), "the log stays")
	assert.False(t, visible(t, ctx, "tests-panel"), "the panel waits to be opened")

	// The panel: every failing test, its text as text, its line.
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.ID("job-tests")), chromedp.WaitVisible(chromedp.ID("tests-panel"))))
	type item struct{ Name, Meta, Output, Line string }
	items, err := chromedp.Run(ctx, chromedp.Evaluate[[]item](`Array.from(document.querySelectorAll('#tests-list li.test')).map(li => ({
	  Name: li.querySelector('.test-name').textContent, Meta: li.querySelector('.test-meta').textContent,
	  Output: (li.querySelector('.test-output') || {}).textContent || '', Line: li.querySelector('.test-line').textContent}))`))
	require.NoError(t, err)
	require.Len(t, items, len(want))
	for k, tc := range want {
		it := items[k]
		assert.Equal(t, tc.Name, it.Name)
		assert.Contains(t, it.Meta, tc.Classname)
		if tc.File != nil {
			assert.Contains(t, it.Meta, *tc.File)
		}
		require.NotNil(t, tc.SystemOutput)
		assert.Equal(t, *tc.SystemOutput, it.Output)
		m := lineLabel.FindStringSubmatch(it.Line)
		require.NotNil(t, m, "%s has a line: %q", tc.Name, it.Line)
		n, _ := strconv.Atoi(m[1])
		assert.Contains(t, string(store.Line(n-1).Text), "--- FAIL: "+tc.Name+" ", "line %d is the test's", n)
	}

	// Test → line: the link selects and shows the line.
	k := len(want) / 2
	n, _ := strconv.Atoi(lineLabel.FindStringSubmatch(items[k].Line)[1])
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#test-`+strconv.Itoa(k)+` button.test-line`)),
		chromedp.WaitVisible(chromedp.CSS(`#log-rows > div.sel a.ln[href="#L`+strconv.Itoa(n)+`"]`)),
		chromedp.Poll[chromedp.Void](`location.hash === "#L`+strconv.Itoa(n)+`"`),
	))
	// The line is marked, and its mark leads back to its test.
	mark := `#log-rows > div:not([hidden]) button.tm[data-t="` + strconv.Itoa(k) + `"]`
	require.NoError(t, chromedp.Do(ctx,
		chromedp.KeyEvent("\x1b"),
		chromedp.Poll[chromedp.Void](`!document.getElementById('tests-panel').matches(':popover-open')`),
		chromedp.WaitVisible(chromedp.CSS(mark)),
		chromedp.Click(chromedp.CSS(mark)),
		chromedp.WaitVisible(chromedp.ID("tests-panel")),
		chromedp.Poll[chromedp.Void](`document.activeElement && document.activeElement.id === "test-`+strconv.Itoa(k)+`"`),
	))
	marks, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#log-rows > div:not([hidden]) button.tm').length`))
	require.NoError(t, err)
	assert.Positive(t, marks)

	summary, report := rc.counts()
	assert.Equal(t, 1, summary-s0, "the summary once")
	assert.Equal(t, 1, report-r0, "the report once, for the job's failures")

	// Looked at: the panel open over the log, each size and scheme.
	require.NoError(t, Screenshots(ctx, "failed-tests", openTests))
	require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent("\x1b")))
	require.NoError(t, Screenshots(ctx, "failed-tests-closed", chromedp.WaitVisible(chromedp.CSS(`#job-tests`))))
	assert.Empty(t, xssHits(t, ctx))

	// The line takes no row of the log's: a phone still shows 25 lines.
	require.NoError(t, chromedp.Do(ctx, SetViewport(Viewports[0], "light"), chromedp.WaitVisible(chromedp.CSS(`#job-tests`))))
	lines, err := chromedp.Run(ctx, chromedp.Evaluate[int](linesInView))
	require.NoError(t, err)
	assert.GreaterOrEqual(t, lines, 25, "log lines in view on a phone")
	wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > innerWidth`))
	require.NoError(t, err)
	assert.False(t, wide, "nothing wider than the phone")
}

// TestTestReportStatesSayWhy: each case says so in one line in the header,
// and the log, the details and the actions stay; a job that did not fail
// asks nothing.
func TestTestReportStatesSayWhy(t *testing.T) {
	requireBrowser(t)
	emu, api, rc := serveCountingEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	project, jobs := testsJobs(t, emu, api.URL)

	cases := []struct {
		name, job string
		fault     int
		want      string
	}{
		{"no report", "eslint", 0, "No test report"},
		{"being parsed", "integration-tests", 0, "Tests: being parsed…"},
		{"unreadable", "contract-tests", 0, "Tests: unreadable"},
		{"403", "unit-tests 1/2", http.StatusForbidden, "Tests: not allowed (403)"},
		{"404", "unit-tests 1/2", http.StatusNotFound, "Tests: not found (404)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			emu.ClearFaults()
			if c.fault != 0 {
				emu.SetFault(gitlabfake.RouteTestReportSummary, gitlabfake.Fault{Status: c.fault})
			}
			openJobScreen(t, ctx, srv.URL, api.URL, project, jobs[c.job].ID, false, "")
			require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`span#job-tests`))))
			got, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("job-tests")))
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
			title, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('job-tests').title`))
			require.NoError(t, err)
			assert.Greater(t, len(title), len(got), "the whole sentence as its title: %q", title)
			for _, id := range []string{"log-port", "job-status", "job-retry", "job-pipeline"} {
				assert.True(t, visible(t, ctx, id), "%s stays", id)
			}
			n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#tests-panel').length`))
			require.NoError(t, err)
			assert.Zero(t, n, "no panel")
			if c.name == "no report" || c.name == "403" {
				require.NoError(t, Screenshots(ctx, "tests-"+strings.ReplaceAll(c.name, " ", "-"), chromedp.WaitVisible(chromedp.CSS(`span#job-tests`))))
			}
		})
	}
	emu.ClearFaults()

	t.Run("a job that did not fail asks nothing", func(t *testing.T) {
		s0, r0 := rc.counts()
		openJobScreen(t, ctx, srv.URL, api.URL, project, jobs["unit-tests 2/2"].ID, false, "")
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#job-tests').length`))
		require.NoError(t, err)
		assert.Zero(t, n)
		s1, r1 := rc.counts()
		assert.Equal(t, [2]int{s0, r0}, [2]int{s1, r1})
	})
	t.Run("no report asks the summary only", func(t *testing.T) {
		s0, r0 := rc.counts()
		openJobScreen(t, ctx, srv.URL, api.URL, project, jobs["eslint"].ID, false, "")
		require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`span#job-tests`))))
		s1, r1 := rc.counts()
		assert.Equal(t, 1, s1-s0)
		assert.Equal(t, 0, r1-r0)
	})
}

// TestABigTestReport: 10,000 cases in the suite, the failing ones listed a
// page at a time and matched in a 40,000-line log. Times are logged, not
// asserted (make bench holds budgets).
func TestABigTestReport(t *testing.T) {
	requireBrowser(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	project, jobs := testsJobs(t, emu, api.URL)
	want := failingCases(t, emu, api.URL, "big-suite")
	require.NotEmpty(t, want)

	require.NoError(t, chromedp.Do(ctx, SetViewport(Viewports[2], "light")))
	start := time.Now()
	openJobScreen(t, ctx, srv.URL, api.URL, project, jobs["big-suite"].ID, false, "")
	rows := time.Since(start)
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`button#job-tests`))))
	listed := time.Since(start)
	require.NoError(t, chromedp.Do(ctx, testsReady))
	loaded := loadedLines(t, ctx, 0)
	t.Logf("big-suite (%d log lines): first rows %v, %d failing of %d cases listed %v, matched %v after the page was asked for",
		loaded, rows.Round(time.Millisecond), len(want), gitlabfake.BigSuiteCases, listed.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.ID("job-tests")), chromedp.WaitVisible(chromedp.ID("tests-panel"))))
	items, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#tests-list li.test').length`))
	require.NoError(t, err)
	assert.Equal(t, min(len(want), 200), items)
	found, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#tests-list button.test-line').length`))
	require.NoError(t, err)
	assert.Equal(t, items, found, "every failing test is in the log")
	// The log still scrolls: the last line, then the first.
	require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent("\x1b"), chromedp.KeyEvent("g"),
		chromedp.WaitVisible(chromedp.CSS(`#log-rows > div:not([hidden]) a.ln[href="#L1"]`))))
}

// TestHostileTestTextIsText: a test's name, class and text that hold markup
// and a bidi control are shown as text, controls by name, in the panel.
func TestHostileTestTextIsText(t *testing.T) {
	requireBrowser(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	project, jobs := testsJobs(t, emu, api.URL)
	var j gitlab.Job
	for name, job := range jobs {
		if strings.HasPrefix(name, "e2e ") {
			j = job
		}
	}
	require.NotZero(t, j.ID)
	openJobScreen(t, ctx, srv.URL, api.URL, project, j.ID, false, "")
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`button#job-tests`)), testsReady, openTests))
	names, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#tests-list .test-name')).map(e => e.textContent)`))
	require.NoError(t, err)
	assert.Contains(t, names, words.ShowControls(gitlabfake.HostileTestName))
	imgs, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#tests-panel img, #tests-panel script').length`))
	require.NoError(t, err)
	assert.Zero(t, imgs, "no markup from the report")
	assert.Empty(t, xssHits(t, ctx))
}

// TestFailedTestsInThePopup: the extension's popup, opened on a failed
// job's GitLab page, has the same line and panel, and a test's link shows
// its line.
func TestFailedTestsInThePopup(t *testing.T) {
	requireBrowser(t)
	eb := startExtensionBrowser(t)
	emu, api, _ := serveEmulatorWith(t)
	project, jobs := testsJobs(t, emu, api.URL)
	j := jobs["unit-tests 1/2"]
	connected := account.Settings{
		Instances: []account.Instance{{BaseURL: api.URL, Token: gitlabfake.DefaultToken, Remember: true, User: "jobscope-demo"}},
		Active:    api.URL,
	}
	eb.resetStorage(t)
	eb.setStorage(t, "local", map[string]any{"jobscope.settings.v1": settingsJSON(t, connected)})
	popup := eb.openPopup(t, api.URL+"/"+project+"/-/jobs/"+itoa(j.ID))
	require.NoError(t, chromedp.Do(popup, chromedp.WaitVisible(chromedp.CSS(`button#job-tests`)), testsReady, openTests))
	require.NoError(t, chromedp.Do(popup, chromedp.WaitVisible(chromedp.CSS(`#test-0 button.test-line`))))
	popupShot(t, popup, "failed-tests")
	label, err := chromedp.Run(popup, chromedp.Text(chromedp.CSS(`#test-0 button.test-line`)))
	require.NoError(t, err)
	n := lineLabel.FindStringSubmatch(label)
	require.NotNil(t, n, "%q", label)
	require.NoError(t, chromedp.Do(popup,
		chromedp.Click(chromedp.CSS(`#test-0 button.test-line`)),
		chromedp.Poll[chromedp.Void](`!document.getElementById('tests-panel').matches(':popover-open')`), // the sheet makes way
		chromedp.WaitVisible(chromedp.CSS(`#log-rows > div.sel a.ln[href="#L`+n[1]+`"]`)),
	))
	popupShot(t, popup, "failed-tests-line")
}

// TestAReportBeingParsedShowsUpOnceParsed: "being parsed" asks the summary
// again, slower each time, and shows the failed tests once GitLab has
// stored the job's result (docs/gitlab-api.md §14.2).
func TestAReportBeingParsedShowsUpOnceParsed(t *testing.T) {
	requireBrowser(t)
	clock := gitlabfake.NewManualClock(time.Now())
	emu := gitlabfake.New(gitlabfake.Options{Clock: clock})
	api := httptest.NewServer(emu)
	t.Cleanup(api.Close)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	project, jobs := testsJobs(t, emu, api.URL)
	openJobScreen(t, ctx, srv.URL, api.URL, project, jobs["integration-tests"].ID, false, "")
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`span#job-tests`))))
	got, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("job-tests")))
	require.NoError(t, err)
	require.Equal(t, "Tests: being parsed…", got)
	clock.Advance(gitlabfake.ParsedAfter)
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`button#job-tests`)), testsReady))
	got, err = chromedp.Run(ctx, chromedp.Text(chromedp.ID("job-tests")))
	require.NoError(t, err)
	assert.Regexp(t, `^\d+ failed tests?$`, got)
}
