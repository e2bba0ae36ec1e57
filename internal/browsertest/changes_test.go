package browsertest

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/app"
	"github.com/jobscope/jobscope/internal/joblog"
	"github.com/jobscope/jobscope/internal/logdiff"
	"github.com/jobscope/jobscope/internal/loggen"
	"github.com/jobscope/jobscope/internal/site"
	"github.com/jobscope/jobscope/internal/words"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// What changed since it last passed (issue 14; docs/design.md §7,
// gitlab-api.md §5.9), on the emulator's green → red histories.

// shownRows is the line numbers of the rows shown, in order, with whether
// each is marked new.
type shownRow struct {
	N   int  `json:"n"`
	New bool `json:"new"`
}

const shownRowsJS = `Array.from(document.querySelectorAll('#log-rows > div:not([hidden])'))
  .sort((a, b) => Number(a.style.order) - Number(b.style.order))
  .map(d => ({n: Number(d.querySelector('a.ln').textContent), new: d.classList.contains('new')}))`

// failureLineNumbers is the line numbers (1-based) of the red log's failure
// lines, the emulator's byte offsets resolved as the view parses the log.
func failureLineNumbers(s *joblog.Store, offsets []int64) []int {
	var out []int
	for _, off := range offsets {
		i := sort.Search(s.Len(), func(i int) bool { return s.Line(i).Offset > off }) - 1
		out = append(out, i+1)
	}
	return out
}

func TestOnlyWhatChangedOnTheDemosRedJob(t *testing.T) {
	requireBrowser(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	h := emu.Histories()
	red, green := traceOf(t, api.URL, h.Project, h.Red), traceOf(t, api.URL, h.Project, h.Green)
	want := logdiff.New(logdiff.StoreLines{S: green}, logdiff.StoreLines{S: red}).Run().Changed()
	failure := failureLineNumbers(red, h.RedFailure)

	openJobScreen(t, ctx, srv.URL, api.URL, h.Project, h.Red, false, "")
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.ID("log-changes-count"))))
	count, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("log-changes-count")))
	require.NoError(t, err)
	against := "job #" + strconv.FormatInt(h.Green, 10)
	assert.Equal(t, words.Digits(len(want))+" of "+words.Digits(red.Committed())+" lines are new since "+against+".", count)
	link, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('log-compared').getAttribute('href') + ' ' + document.getElementById('log-compared').textContent`))
	require.NoError(t, err)
	assert.Equal(t, app.Route{Screen: app.ScreenJob, Project: h.Project, ID: h.Green}.Path()+" "+against, link, "names and links the run compared with")

	// The filter: the new lines with their context and sections' headers.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("log-only-changes")),
		chromedp.WaitVisible(chromedp.CSS(`#log-only-changes[aria-pressed="true"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#log-rows > div.new`)),
	))
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[[]shownRow](shownRowsJS))
	require.NoError(t, err)
	marked := map[int]bool{}
	for _, r := range rows {
		if r.New {
			marked[r.N] = true
		}
	}
	for _, n := range failure {
		assert.True(t, marked[n], "failure line %d is shown and marked new", n)
	}
	assert.Len(t, marked, len(want), "every new line is in the filter")
	assert.Less(t, len(rows), red.Len()/20, "the filter shows a small part of the log")

	// Next change steps between the new lines, and the address follows.
	// From the top (g), x is the first change, the button the second, X the first again.
	first, second := "#L"+strconv.Itoa(want[0]+1), "#L"+strconv.Itoa(want[1]+1)
	require.NoError(t, chromedp.Do(ctx,
		key("g"), key("x"),
		chromedp.Poll[chromedp.Void](`location.hash === `+jsString(first)),
		chromedp.Click(chromedp.ID("log-next-change")),
		chromedp.Poll[chromedp.Void](`location.hash === `+jsString(second)),
		key("X"),
		chromedp.Poll[chromedp.Void](`location.hash === `+jsString(first)),
	))

	// Timestamps keep working in the filter.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`(s => { s.value = '1'; s.dispatchEvent(new Event('change', {bubbles: true})); })(document.getElementById('log-times'))`),
		chromedp.WaitVisible(chromedp.CSS(`#log-rows > div.new .ts`)),
	))

	// Search keeps working: a hit outside the changes shows with its context.
	require.NoError(t, chromedp.Do(ctx,
		fill("log-search", "Running with gitlab-runner"),
		chromedp.WaitVisible(chromedp.CSS(`#log-rows a.ln[href="#L1"]`)),
	))
	rows, err = chromedp.Run(ctx, chromedp.Evaluate[[]shownRow](shownRowsJS))
	require.NoError(t, err)
	assert.Equal(t, 1, rows[0].N, "the hit on line 1 is shown first")
	require.NoError(t, chromedp.Do(ctx, fill("log-search", "")))

	require.NoError(t, Screenshots(ctx, "changes-only", chromedp.WaitVisible(chromedp.CSS(`#log-rows > div.new`))))
}

// Each case with nothing to compare says so in words.
func TestWhatChangedSaysWhyItCannotCompare(t *testing.T) {
	requireBrowser(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	h := emu.Histories()
	for _, tc := range []struct {
		name, shot string
		job        int64
		id, says   string
	}{
		{"no green run", "changes-no-green", h.NoGreen, "log-changes-said",
			"No passing run of unit-tests on feature/no-green before this one, among the last 10 successful pipelines: nothing to compare with."},
		{"the green run's log erased", "changes-erased", h.Erased, "log-changes-said",
			"has no log (erased): nothing to compare with."},
		{"a different number of sections", "changes-sections", h.Sections, "log-changes-sections",
			"sections and this one"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			openJobScreen(t, ctx, srv.URL, api.URL, h.Project, tc.job, false, "")
			require.NoError(t, chromedp.Do(ctx, chromedp.Poll[chromedp.Void](`(el => !!el && el.textContent.includes(`+jsString(tc.says)+`))(document.getElementById(`+jsString(tc.id)+`))`)), "says %q", tc.says)
			png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			require.NoError(t, err)
			require.NoError(t, os.MkdirAll(ScreenshotDir(), 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(ScreenshotDir(), tc.shot+".png"), png, 0o644))
		})
	}
}

// "Open a log file" compares with a second file: no GitLab, any CI.
func TestALogFileComparesWithASecondFile(t *testing.T) {
	requireBrowser(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	p := loggen.GreenRed(loggen.Options{Seed: 3, Size: 512 << 10}, time.Time{})
	dir := t.TempDir()
	redFile, greenFile := filepath.Join(dir, "red.log"), filepath.Join(dir, "green.log")
	require.NoError(t, os.WriteFile(redFile, p.Red, 0o644))
	require.NoError(t, os.WriteFile(greenFile, p.Green, 0o644))
	var red, green joblog.Store
	red.Append(p.Red)
	red.Finish()
	green.Append(p.Green)
	green.Finish()
	want := logdiff.New(logdiff.StoreLines{S: &green}, logdiff.StoreLines{S: &red}).Run().Changed()

	openLogFile(t, ctx, srv.URL, redFile)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.SetUploadFiles(chromedp.ID("log-file-base"), []string{greenFile}),
		chromedp.WaitVisible(chromedp.ID("log-changes-count")),
	))
	count, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("log-changes-count")))
	require.NoError(t, err)
	assert.Equal(t, words.Digits(len(want))+" of "+words.Digits(red.Committed())+" lines are new since green.log.", count)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("log-only-changes")),
		chromedp.WaitVisible(chromedp.CSS(`#log-rows > div.new`)),
	))
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[[]shownRow](shownRowsJS))
	require.NoError(t, err)
	for _, n := range failureLineNumbers(&red, p.Failure) {
		assert.Contains(t, rows, shownRow{N: n, New: true})
	}
	require.NoError(t, Screenshots(ctx, "changes-file", chromedp.WaitVisible(chromedp.CSS(`#log-rows > div.new`))))
}
