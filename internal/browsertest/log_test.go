package browsertest

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/app"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/jobscope/jobscope/internal/joblog"
	"github.com/jobscope/jobscope/internal/loggen"
	"github.com/jobscope/jobscope/internal/site"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// findJobNamed returns the newest job called name in any of projects.
func findJobNamed(t testing.TB, apiURL string, projects []string, name string) (string, gitlab.Job) {
	t.Helper()
	c, err := gitlab.New(apiURL, gitlab.PrivateToken(gitlabfake.DefaultToken), gitlab.WithBackoff(gitlab.NoBackoff))
	require.NoError(t, err)
	for _, p := range projects {
		for j, err := range c.AllProjectJobs(context.Background(), gitlab.ProjectPath(p), gitlab.ListProjectJobsOptions{Keyset: true}) {
			require.NoError(t, err)
			if j.Name == name {
				return p, j
			}
		}
	}
	t.Fatalf("no job named %q", name)
	return "", gitlab.Job{}
}

// traceOf fetches a job's log as the view does, to compute expectations
// with the same engine.
func traceOf(t testing.TB, apiURL, project string, id int64) *joblog.Store {
	t.Helper()
	c, err := gitlab.New(apiURL, gitlab.PrivateToken(gitlabfake.DefaultToken), gitlab.WithBackoff(gitlab.NoBackoff))
	require.NoError(t, err)
	raw, err := c.JobLog(context.Background(), gitlab.ProjectPath(project), id)
	require.NoError(t, err)
	var s joblog.Store
	s.Append(raw)
	s.Finish()
	return &s
}

// firstRows waits until the viewport shows rows.
var firstRows = chromedp.WaitVisible(chromedp.CSS(`#log-rows > div:not([hidden]) a.ln`))

// openLog opens a job's log screen connected to the emulator.
func openLog(t *testing.T, ctx context.Context, siteURL, apiURL, project string, id int64, fragment string) {
	t.Helper()
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(siteURL+"/open"),
		connectTo(apiURL, gitlabfake.DefaultToken),
		chromedp.Navigate(siteURL+app.Route{Screen: app.ScreenLog, Project: project, ID: id}.Path()+fragment),
		waitApp,
		firstRows,
	))
}

// tool clicks the item id of the log view's tools menu, opening the menu
// first with its button.
func tool(id string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		return chromedp.Do(ctx,
			chromedp.Evaluate[chromedp.Void](`document.getElementById('log-menu').matches(':popover-open') || document.getElementById('log-menu-button').click()`),
			chromedp.Click(chromedp.ID(id)),
		)
	})
}

// shownLines are the line numbers of the rows inside the viewport's box.
const shownLines = `(() => {
  const port = document.getElementById('log-port').getBoundingClientRect();
  return Array.from(document.querySelectorAll('#log-rows > div:not([hidden])'))
    .filter(d => { const r = d.getBoundingClientRect(); return r.bottom > port.top + 1 && r.top < port.bottom - 1; })
    .map(d => +d.querySelector('a.ln').textContent).sort((a, b) => a - b);
})()`

func shown(t *testing.T, ctx context.Context) []int {
	t.Helper()
	var lines []int
	require.Eventually(t, func() bool {
		var err error
		lines, err = chromedp.Run(ctx, chromedp.Evaluate[[]int](shownLines))
		return err == nil && len(lines) > 0
	}, 10*time.Second, 50*time.Millisecond)
	return lines
}

func domNodes(t *testing.T, ctx context.Context) int {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.getElementsByTagName('*').length`))
	require.NoError(t, err)
	return n
}

var linesRe = regexp.MustCompile(`([\d,]+) lines?`)

// loadedLines waits until the status line counts want lines (or, want 0,
// until it counts any) and returns the count.
func loadedLines(t *testing.T, ctx context.Context, want int) int {
	t.Helper()
	n := 0
	require.Eventually(t, func() bool {
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("log-live")))
		if err != nil {
			return false
		}
		m := linesRe.FindStringSubmatch(s)
		if m == nil {
			return false
		}
		n, _ = strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
		return want == 0 || n == want
	}, 60*time.Second, 100*time.Millisecond, "the status line never said %d lines", want)
	return n
}

// scrollPort sets the viewport's scrollTop from a JS expression of the port
// and waits a frame for the scroll handler.
func scrollPort(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`(async () => {
  const p = document.getElementById('log-port');
  p.scrollTop = `+expr+`;
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
})()`, chromedp.EvalAwaitPromise)
}

func TestTheHugeLogScrollsSearchesAndFoldsWithFewNodes(t *testing.T) {
	requireBrowser(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	project, job := findJobNamed(t, api.URL, emu.Info().Projects[:1], "huge-log")
	want := traceOf(t, api.URL, project, job.ID)
	require.Greater(t, want.Len(), 400_000, "gitlabfake's huge-log has 500,000 raw lines (fewer displayed: section markers and CR rewrites, joblog.md)")

	openLog(t, ctx, srv.URL, api.URL, project, job.ID, "")

	t.Run("the first lines appear at the top", func(t *testing.T) {
		assert.Equal(t, 1, shown(t, ctx)[0])
	})
	total := loadedLines(t, ctx, want.Len())

	t.Run("the page stays under 3,000 DOM nodes", func(t *testing.T) {
		assert.Less(t, domNodes(t, ctx), 3000)
	})

	t.Run("the middle of the log shows the middle lines", func(t *testing.T) {
		require.NoError(t, chromedp.Do(ctx, scrollPort(`p.scrollHeight / 2`)))
		lines := shown(t, ctx)
		// Rows, not lines: sections marked collapsed=true start folded.
		fold := want.Fold(nil)
		middle := fold.Line(fold.Rows()/2) + 1
		assert.InDelta(t, middle, lines[0], 50, "first shown line %d of %d", lines[0], total)
		assert.Less(t, domNodes(t, ctx), 3000)
	})

	t.Run("Bottom shows the last line", func(t *testing.T) {
		require.NoError(t, chromedp.Do(ctx, tool("log-bottom")))
		require.Eventually(t, func() bool {
			l := shown(t, ctx)
			return l[len(l)-1] == total
		}, 5*time.Second, 50*time.Millisecond)
		require.NoError(t, chromedp.Do(ctx, tool("log-top")))
		assert.Equal(t, 1, shown(t, ctx)[0])
	})

	t.Run("search counts every hit and next jumps to the next one", func(t *testing.T) {
		query := "warning"
		sr, err := want.Search(joblog.Query{Text: query})
		require.NoError(t, err)
		for !sr.Step(1 << 30) {
		}
		require.Greater(t, sr.Count(), 2, "the log has several %q", query)
		require.NoError(t, chromedp.Do(ctx, fill("log-search", query)))
		wantCount := "1 of " + thousands(sr.Count())
		require.Eventually(t, func() bool {
			s, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("log-count")))
			return err == nil && s == wantCount
		}, 30*time.Second, 100*time.Millisecond, "the count should read %q", wantCount)
		assert.Contains(t, shown(t, ctx), sr.Hit(0).Line+1, "the first hit is on screen")

		require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.ID("log-next"))))
		require.Eventually(t, func() bool {
			s, _ := chromedp.Run(ctx, chromedp.Text(chromedp.ID("log-count")))
			return s == "2 of "+thousands(sr.Count())
		}, 5*time.Second, 50*time.Millisecond)
		assert.Contains(t, shown(t, ctx), sr.Hit(1).Line+1, "next scrolled to the second hit")
		cur, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#log-rows .hit.cur').textContent`))
		require.NoError(t, err)
		assert.Equal(t, query, cur, "the current hit is highlighted")
		require.NoError(t, chromedp.Do(ctx, fill("log-search", "")))
	})

	t.Run("a section header collapses and expands with aria-expanded", func(t *testing.T) {
		// The first section that starts expanded (joblog's outline).
		sec := -1
		for i := range want.NumSections() {
			if s := want.Section(i); s.Header >= 0 && !s.Collapsed && s.Depth == 0 && s.Last > s.First {
				sec = i
				break
			}
		}
		require.GreaterOrEqual(t, sec, 0, "the log has an expanded section")
		row, visible := want.Fold(nil).Row(want.Section(sec).Header)
		require.True(t, visible)
		require.NoError(t, chromedp.Do(ctx, scrollPort(strconv.Itoa(row*20-100))))
		sel := `#log-rows button.tg[data-s="` + strconv.Itoa(sec) + `"]`
		v, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(sel), "aria-expanded"))
		require.NoError(t, err)
		require.Equal(t, "true", v.Value)
		before, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.getElementById('log-space').offsetHeight`))
		require.NoError(t, err)

		require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel))))
		require.Eventually(t, func() bool {
			v, _ := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(sel), "aria-expanded"))
			return v.Value == "false"
		}, 5*time.Second, 50*time.Millisecond)
		after, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.getElementById('log-space').offsetHeight`))
		require.NoError(t, err)
		assert.Less(t, after, before, "collapsing hides rows")

		// The keyboard: the toggle is a focused button, Enter expands it.
		require.NoError(t, chromedp.Do(ctx, chromedp.Focus(chromedp.CSS(sel)), chromedp.KeyEvent("\r")))
		require.Eventually(t, func() bool {
			v, _ := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(sel), "aria-expanded"))
			return v.Value == "true"
		}, 5*time.Second, 50*time.Millisecond)
	})

	t.Run("clicking a line number makes a permalink", func(t *testing.T) {
		require.NoError(t, chromedp.Do(ctx, tool("log-top"), chromedp.Click(chromedp.CSS(`#log-rows a.ln[href="#L3"]`))))
		require.Eventually(t, func() bool {
			h, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.hash`))
			return h == "#L3"
		}, 5*time.Second, 50*time.Millisecond)
		label, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.ID("log-copy")))
		require.NoError(t, err)
		assert.Equal(t, "Copy line 3", label)
	})

	t.Run("next error selects the next failure line", func(t *testing.T) {
		fail := want.Failures()
		for !fail.Step(1 << 30) {
		}
		require.Positive(t, fail.Len(), "the log has failure lines")
		k, ok := fail.Next(3, 0) // after the selected line 3
		require.True(t, ok)
		line := fail.Hit(k).Line + 1
		require.NoError(t, chromedp.Do(ctx, tool("log-error")))
		require.Eventually(t, func() bool {
			s, _ := chromedp.Run(ctx, chromedp.TextContent(chromedp.ID("log-copy")))
			return s == "Copy line "+strconv.Itoa(line)
		}, 10*time.Second, 50*time.Millisecond, "line %d is selected", line)
		assert.Contains(t, shown(t, ctx), line, "and on screen")
	})

	t.Run("timestamps show in UTC and wrap toggles", func(t *testing.T) {
		require.NoError(t, chromedp.Do(ctx, tool("log-top"),
			chromedp.SetValue(chromedp.ID("log-times"), "1"),
			chromedp.Evaluate[chromedp.Void](`document.getElementById('log-times').dispatchEvent(new Event('change', {bubbles: true}))`)))
		require.Eventually(t, func() bool {
			ts, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('#log-rows > div:not([hidden]) .ts') || {}).textContent || ''`))
			return err == nil && regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z$`).MatchString(ts)
		}, 5*time.Second, 50*time.Millisecond, "a runner timestamp (the log has FF_TIMESTAMPS) in UTC")
		require.NoError(t, chromedp.Do(ctx, tool("log-wrap")))
		require.Eventually(t, func() bool {
			v, _ := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.ID("log-wrap"), "aria-pressed"))
			return v.Value == "true"
		}, 5*time.Second, 50*time.Millisecond)
		wrapped, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('log-port').classList.contains('log-wrap')`))
		require.NoError(t, err)
		assert.True(t, wrapped)
		assert.Less(t, domNodes(t, ctx), 3000)
	})

	require.NoError(t, chromedp.Do(ctx, tool("log-top")))
	require.NoError(t, Screenshots(ctx, "log-huge", firstRows))
	assert.Empty(t, xssHits(t, ctx), "the log view breaks no CSP rule")
}

func TestAPermalinkOpensTheLogAtItsLine(t *testing.T) {
	requireBrowser(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	project, job := findJobNamed(t, api.URL, emu.Info().Projects[:1], "huge-log")

	openLog(t, ctx, srv.URL, api.URL, project, job.ID, "#L123456")
	require.Eventually(t, func() bool {
		return assert.ObjectsAreEqual(true, contains(shown(t, ctx), 123456))
	}, 60*time.Second, 100*time.Millisecond, "line 123456 is on screen")
	sel, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#log-rows > div.sel a.ln').textContent`))
	require.NoError(t, err)
	assert.Equal(t, "123456", sel, "and selected")
}

func contains(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func TestAHostileLogIsOnlyText(t *testing.T) {
	requireBrowser(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	found := 0
	// gitlabfake's hostile pipeline: loggen's hostile logs, and broken-utf8
	// with HTML in red and an OSC 8 javascript: link.
	for _, name := range []string{`<script>alert("jobscope")</script>`, `<img src=x onerror=alert(1)>`, "broken-utf8"} {
		project, job := findJobNamed(t, api.URL, emu.Info().Projects, name)
		want := traceOf(t, api.URL, project, job.ID)
		openLog(t, ctx, srv.URL, api.URL, project, job.ID, "")
		loadedLines(t, ctx, want.Len())
		for _, q := range []string{"<script>", "<img src=x onerror=", `"><svg/onload=`, "<iframe", "<style>", `<a href="javascript:`} {
			sr, err := want.Search(joblog.Query{Text: q, CaseSensitive: true})
			require.NoError(t, err)
			for !sr.Step(1 << 30) {
			}
			if sr.Count() == 0 {
				continue
			}
			found++
			require.NoError(t, chromedp.Do(ctx, fill("log-search", q)))
			wantCount := "1 of " + thousands(sr.Count())
			require.Eventually(t, func() bool {
				s, _ := chromedp.Run(ctx, chromedp.Text(chromedp.ID("log-count")))
				return s == wantCount
			}, 10*time.Second, 50*time.Millisecond, "the hostile text %q is found as text (%s)", q, wantCount)
			cur, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#log-rows .hit.cur').textContent`))
			require.NoError(t, err)
			assert.Equal(t, strings.ToLower(q), strings.ToLower(cur), "shown as the characters it is")
		}
		injected, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#log-rows script, #log-rows img, #log-rows svg, #log-rows iframe, #log-rows style, #log-rows [onerror], #log-rows [onload], #log-rows a[href^="javascript"]').length`))
		require.NoError(t, err)
		assert.Zero(t, injected, "no element came from log bytes")
	}
	require.NotZero(t, found, "the hostile logs carry markup")
	assert.Empty(t, xssHits(t, ctx), "no script ran and the CSP refused nothing")
	assertNoDialog(t, dialogs)
	require.NoError(t, chromedp.Do(ctx, fill("log-search", "<img")))
	require.NoError(t, Screenshots(ctx, "log-hostile", firstRows))
}

func TestARunningJobsLogGrowsAndIsFollowed(t *testing.T) {
	requireBrowser(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	project := emu.Info().Projects[0]
	j := findJob(t, api.URL, project, gitlab.StatusRunning, nil)

	openLog(t, ctx, srv.URL, api.URL, project, j.ID, "")
	before := loadedLines(t, ctx, 0)
	require.NoError(t, chromedp.Do(ctx, tool("log-bottom")))
	live, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.ID("log-live"), "aria-live"))
	require.NoError(t, err)
	assert.Equal(t, "polite", live.Value, "the followed log is a polite live region")

	emu.AdvanceClock(20 * time.Second) // gitlabfake README: a line per 250 ms
	var after int
	require.Eventually(t, func() bool {
		after = loadedLines(t, ctx, 0)
		return after > before
	}, 30*time.Second, 200*time.Millisecond, "the log grew past %d lines", before)
	require.Eventually(t, func() bool {
		l := shown(t, ctx)
		return l[len(l)-1] == loadedLines(t, ctx, 0)
	}, 10*time.Second, 100*time.Millisecond, "the view followed the end")
	require.NoError(t, Screenshots(ctx, "log-running", firstRows))
}

// openLogFile opens a file on the "Open a log file" screen and waits for
// its first rows.
func openLogFile(t *testing.T, ctx context.Context, siteURL, file string) {
	t.Helper()
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(siteURL+app.Route{Screen: app.ScreenOpenFile}.Path()),
		waitApp,
		chromedp.WaitReady(chromedp.ID("log-file")),
		chromedp.SetUploadFiles(chromedp.ID("log-file"), []string{file}),
		firstRows,
	))
}

func TestALocalLogFileOpensWithoutNetwork(t *testing.T) {
	requireBrowser(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	file := filepath.Join(t.TempDir(), "build.log")
	log := "section_start:1700000000:build\r\x1b[0KBuilding\n\x1b[31mred error: boom\x1b[0m\nsection_end:1700000003:build\r\x1b[0K\n<b>not bold</b>\nJob succeeded\n"
	require.NoError(t, os.WriteFile(file, []byte(log), 0o644))

	openLogFile(t, ctx, srv.URL, file)
	assert.Equal(t, 4, loadedLines(t, ctx, 4))
	red, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#log-rows .term-fg-red`)))
	require.NoError(t, err)
	assert.Equal(t, "red error: boom", red)
	dur, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#log-rows .dur`)))
	require.NoError(t, err)
	assert.Equal(t, "00:03", dur)
	b, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#log-rows b').length`))
	require.NoError(t, err)
	assert.Zero(t, b, "markup in the log is text")
	require.NoError(t, Screenshots(ctx, "log-file", firstRows))
}

// TestALargeLogFileShowsLinesWhileItIsRead: a local file streams from
// File.stream() as a download does (issue 12): lines and a progress bar of
// bytes read show before the file's last byte is read, and all its lines
// at the end.
func TestALargeLogFileShowsLinesWhileItIsRead(t *testing.T) {
	requireBrowser(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	file := filepath.Join(t.TempDir(), "huge.log")
	out, err := os.Create(file)
	require.NoError(t, err)
	require.NoError(t, loggen.Write(out, loggen.Options{Seed: 12, Size: 48 << 20}))
	require.NoError(t, out.Close())
	info, err := os.Stat(file)
	require.NoError(t, err)
	want := lineCount(t, file)

	// Records, at each change of the page, whether rows were on screen
	// while the progress bar said the file was not read yet.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+app.Route{Screen: app.ScreenOpenFile}.Path()),
		waitApp,
		chromedp.WaitReady(chromedp.ID("log-file")),
		chromedp.Evaluate[chromedp.Void](`new MutationObserver(() => {
  const bar = document.getElementById("log-progress"), rows = document.querySelectorAll("#log-rows a.ln").length;
  if (bar && rows > 0 && bar.value < bar.max) window.__rowsWhileReading ??= {rows, value: bar.value, max: bar.max};
}).observe(document.body, {subtree: true, childList: true, attributes: true})`),
		chromedp.SetUploadFiles(chromedp.ID("log-file"), []string{file}),
		chromedp.WaitNotPresent(chromedp.ID("log-progress")),
		firstRows,
	))
	type seen struct{ Rows, Value, Max float64 }
	early, err := chromedp.Run(ctx, chromedp.Evaluate[*seen](`window.__rowsWhileReading || null`))
	require.NoError(t, err)
	require.NotNil(t, early, "lines were on screen before the file was read to its end")
	t.Logf("%.0f lines on screen with %.0f of %.0f bytes read", early.Rows, early.Value, early.Max)
	assert.Positive(t, early.Rows)
	assert.Less(t, early.Value, early.Max)
	assert.Equal(t, float64(info.Size()), early.Max, "the bar counts the file's bytes")
	assert.Equal(t, want, loadedLines(t, ctx, want), "every line once the file is read")
}

// lineCount is the number of lines the log view shows for a file: the
// parser's own count, run natively on the same bytes.
func lineCount(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var s joblog.Store
	s.Update(b)
	s.Finish()
	return s.Len()
}

// TestLogColoursReadInBothSchemes: xterm's 256 colours and 24-bit ones are
// drawn readable on the log's background in each colour scheme (logrow's
// Scheme.Readable; amber is 1.8:1 on the light log as it comes), and a
// background stays as the log asks.
func TestLogColoursReadInBothSchemes(t *testing.T) {
	requireBrowser(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	file := filepath.Join(t.TempDir(), "colours.log")
	log := "\x1b[38;5;214mwarning\x1b[0m: amber\n\x1b[38;2;255;136;0morange\x1b[0m 24-bit\n\x1b[48;5;214mon amber\x1b[0m\n"
	require.NoError(t, os.WriteFile(file, []byte(log), 0o644))
	openLogFile(t, ctx, srv.URL, file)
	computed := func(sel, prop string) string {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector(`+jsString(sel)+`))[`+jsString(prop)+`]`))
		require.NoError(t, err)
		return v
	}
	cases := []struct {
		scheme                    string
		xterm, truecolor, onAmber string
	}{
		{"light", "rgb(153, 105, 0)", "rgb(173, 92, 0)", "rgb(255, 175, 0)"},
		{"dark", "rgb(255, 175, 0)", "rgb(255, 136, 0)", "rgb(255, 175, 0)"},
	}
	for _, c := range cases {
		t.Run(c.scheme, func(t *testing.T) {
			require.NoError(t, chromedp.Do(ctx, SetViewport(desktop, c.scheme)))
			assert.Equal(t, c.xterm, computed(`#log-rows .xterm-fg-214`, "color"), "38;5;214")
			assert.Equal(t, c.truecolor, computed(`#log-rows .rgb-f-ff8800`, "color"), "38;2;255;136;0")
			assert.Equal(t, c.onAmber, computed(`#log-rows .xterm-bg-214`, "backgroundColor"), "48;5;214")
		})
	}
	require.NoError(t, chromedp.Do(ctx, SetViewport(desktop, "light")))
}

// thousands writes n as the view counts: 4,578.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
