package browsertest

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/jobscope/jobscope/app"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/jobscope/jobscope/internal/joblog"
	"github.com/jobscope/jobscope/internal/site"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// findLog returns the newest job of the emulator's first project whose log
// (parsed as the view parses it) satisfies pred, and that log.
func findLog(t *testing.T, apiURL, project string, pred func(gitlab.Job, *joblog.Store) bool) (gitlab.Job, *joblog.Store) {
	t.Helper()
	c, err := gitlab.New(apiURL, gitlab.PrivateToken(gitlabfake.DefaultToken), gitlab.WithBackoff(gitlab.NoBackoff))
	require.NoError(t, err)
	for j, err := range c.AllProjectJobs(context.Background(), gitlab.ProjectPath(project), gitlab.ListProjectJobsOptions{Keyset: true}) {
		require.NoError(t, err)
		if j.Name == "huge-log" || !j.Status.Finished() {
			continue
		}
		if s := traceOf(t, apiURL, project, j.ID); s.Len() > 0 && pred(j, s) {
			return j, s
		}
	}
	t.Fatalf("no job in %s has such a log", project)
	return gitlab.Job{}, nil
}

// openJobScreen opens a job's screen (route /-/jobs/N, or /-/jobs/N/log
// with log) with fragment, connected, and waits for its first log rows.
func openJobScreen(t *testing.T, ctx context.Context, siteURL, apiURL, project string, id int64, log bool, fragment string) {
	t.Helper()
	screen := app.ScreenJob
	if log {
		screen = app.ScreenLog
	}
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(siteURL+"/open"),
		connectTo(apiURL, gitlabfake.DefaultToken),
		chromedp.Navigate(siteURL+app.Route{Screen: screen, Project: project, ID: id}.Path()+fragment),
		waitApp,
		chromedp.WaitVisible(chromedp.ID("job-status")),
		firstRows,
	))
}

// linesInView counts the log rows wholly inside both the viewport's box and
// the window: the lines a person sees without scrolling anything.
const linesInView = `(() => {
  const port = document.getElementById('log-port').getBoundingClientRect();
  const top = Math.max(port.top, 0), bottom = Math.min(port.bottom, innerHeight);
  return Array.from(document.querySelectorAll('#log-rows > div:not([hidden])'))
    .filter(d => { const r = d.getBoundingClientRect(); return r.height > 0 && r.top >= top - 1 && r.bottom <= bottom + 1; }).length;
})()`

// visible reports whether the element id is rendered (a closed popover is
// not).
func visible(t *testing.T, ctx context.Context, id string) bool {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(el => !!el && el.checkVisibility())(document.getElementById(`+jsString(id)+`))`))
	require.NoError(t, err)
	return v
}

// showDetails opens the job's details sheet where the screen is narrow; on
// a wide one they are beside the log already.
var showDetails = chromedp.Evaluate[chromedp.Void](`(() => {
  const b = document.getElementById('job-details-button');
  if (b && b.checkVisibility() && !document.getElementById('job-details').matches(':popover-open')) b.click();
})()`)

// TestTheJobScreenIsTheLog: at the phone's, the popup's and the desk's
// sizes, the job screen opens on its log, which fills the window under a
// compact header (at least 25 lines on a 360 x 740 phone), with the details
// one tap away or beside it; the page itself does not scroll.
func TestTheJobScreenIsTheLog(t *testing.T) {
	requireBrowser(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	project := emu.Info().Projects[0]
	j, want := findLog(t, api.URL, project, func(j gitlab.Job, s *joblog.Store) bool {
		return j.Status == gitlab.StatusSuccess && s.Len() > 100
	})

	cases := []struct {
		vp       Viewport
		minLines int
		sheet    bool // the details are a sheet behind a button
	}{
		{Viewports[0], 25, true},  // phone
		{Viewports[1], 18, true},  // popup
		{Viewports[2], 30, false}, // desktop
	}
	for _, c := range cases {
		t.Run(c.vp.Name, func(t *testing.T) {
			require.NoError(t, chromedp.Do(ctx, SetViewport(c.vp, "light")))
			openJobScreen(t, ctx, srv.URL, api.URL, project, j.ID, false, "")
			loadedLines(t, ctx, want.Len())
			n, err := chromedp.Run(ctx, chromedp.Evaluate[int](linesInView))
			require.NoError(t, err)
			t.Logf("%s (%dx%d): %d log lines in view", c.vp.Name, c.vp.Width, c.vp.Height, n)
			assert.GreaterOrEqual(t, n, c.minLines, "log lines in view")
			assert.Equal(t, 1, shown(t, ctx)[0], "a finished job that did not fail opens at its first line")

			overflow, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.scrollingElement.scrollHeight - innerHeight`))
			require.NoError(t, err)
			assert.LessOrEqual(t, overflow, 0, "the page does not scroll: the log does")

			head := text(t, ctx, ".job-head")
			assert.Contains(t, head, "success", "the header has the status")
			assert.Contains(t, head, j.Name, "the name")
			assert.Contains(t, head, "Pipeline #"+strconv.FormatInt(j.Pipeline.ID, 10), "the pipeline")
			assert.True(t, visible(t, ctx, "job-retry"), "the action its state allows")

			assert.Equal(t, !c.sheet, visible(t, ctx, "job-details"), "details beside the log only when wide")
			if c.sheet {
				require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.ID("job-details-button"))))
				require.Eventually(t, func() bool { return visible(t, ctx, "job-details") }, 5*time.Second, 50*time.Millisecond, "one tap opens the details")
			}
			fields := text(t, ctx, "#job-details dl.fields")
			for _, f := range []string{"Stage", j.Stage, "Runner", "Queued for", "Artifacts"} {
				assert.Contains(t, fields, f)
			}
			if c.sheet {
				require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent("\x1b")))
				require.Eventually(t, func() bool { return !visible(t, ctx, "job-details") }, 5*time.Second, 50*time.Millisecond, "Escape closes the sheet")
			}
		})
	}

	t.Run("an old /log link opens the same screen", func(t *testing.T) {
		openJobScreen(t, ctx, srv.URL, api.URL, project, j.ID, true, "")
		assert.Contains(t, text(t, ctx, ".job-head"), j.Name)
	})

	require.NoError(t, Screenshots(ctx, "job-screen", firstRows))
	require.NoError(t, Screenshots(ctx, "job-screen-details", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		return chromedp.Do(ctx, showDetails, chromedp.WaitVisible(chromedp.CSS("#job-details dl.fields")))
	})))
	assert.Empty(t, xssHits(t, ctx), "the job screen breaks no CSP rule")
}

// press types keys as a keyboard does: each a keyDown carrying its text
// (which the browser turns into keypress and input unless the keydown's
// default is prevented, as Puppeteer sends it), then a keyUp. chromedp's
// KeyEvent sends the text as a separate char event, which the page's
// preventDefault does not stop.
func press(keys string, mods ...chromedp.Modifier) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		for _, r := range keys {
			k, ok := kb.Keys[r]
			if !ok {
				return fmt.Errorf("press: no key for %q", r)
			}
			down := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyDown, Key: k.Key, Code: k.Code,
				WindowsVirtualKeyCode: k.Windows, NativeVirtualKeyCode: k.Native}
			if k.Shift {
				down.Modifiers |= int64(chromedp.ModifierShift)
			}
			for _, m := range mods {
				down.Modifiers |= int64(m)
			}
			up := down
			up.Type = input.DispatchKeyEventTypeKeyUp
			if k.Print && len(mods) == 0 {
				down.Text, down.UnmodifiedText = k.Text, k.Unmodified
			}
			for _, p := range []input.DispatchKeyEventParams{down, up} {
				if _, err := cdp.Call(ctx, tg, input.DispatchKeyEvent, p); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// key sends one key to the page with the log's viewport focused.
func key(k string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		return chromedp.Do(ctx, chromedp.Focus(chromedp.ID("log-port")), press(k))
	})
}

func eventually(t *testing.T, ctx context.Context, js string, msg string) {
	t.Helper()
	require.Eventually(t, func() bool {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		return err == nil && ok
	}, 10*time.Second, 50*time.Millisecond, msg)
}

// TestTheLogKeys: each key of the log view does what the help says, while
// focus is not in a text field, and none acts with a modifier held.
func TestTheLogKeys(t *testing.T) {
	requireBrowser(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	project := emu.Info().Projects[0]
	// Several sections, one of them collapsed, and failure lines.
	j, want := findLog(t, api.URL, project, func(j gitlab.Job, s *joblog.Store) bool {
		f := s.Failures()
		for !f.Step(1 << 30) {
		}
		collapsed := 0
		for i := range s.NumSections() {
			if s.Section(i).Collapsed {
				collapsed++
			}
		}
		return s.NumSections() >= 3 && collapsed >= 1 && f.Len() >= 2 && s.Len() > 100
	})
	require.NoError(t, chromedp.Do(ctx, SetViewport(desktop, "light")))
	openJobScreen(t, ctx, srv.URL, api.URL, project, j.ID, false, "")
	total := loadedLines(t, ctx, want.Len())
	fail := want.Failures()
	for !fail.Step(1 << 30) {
	}
	selected := `(document.querySelector('#log-rows > div.sel a.ln') || {}).textContent`

	t.Run("/ focuses the search field", func(t *testing.T) {
		require.NoError(t, chromedp.Do(ctx, key("/")))
		eventually(t, ctx, `document.activeElement.id === 'log-search'`, "the search field has the focus")
	})
	t.Run("keys type in the search field; Escape goes back to the lines", func(t *testing.T) {
		require.NoError(t, chromedp.Do(ctx, press("nG")))
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('log-search').value`))
		require.NoError(t, err)
		assert.Equal(t, "nG", v, "n and G were typed, not taken")
		l := shown(t, ctx)
		assert.NotEqual(t, total, l[len(l)-1], "G did not go to the bottom")
		require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent("\x1b")))
		eventually(t, ctx, `document.activeElement.id === 'log-port'`, "Escape left the field for the lines")
	})
	t.Run("G goes to the bottom, g to the top", func(t *testing.T) {
		require.NoError(t, chromedp.Do(ctx, fill("log-search", ""), key("G")))
		require.Eventually(t, func() bool { l := shown(t, ctx); return l[len(l)-1] == total }, 5*time.Second, 50*time.Millisecond)
		require.NoError(t, chromedp.Do(ctx, key("g")))
		require.Eventually(t, func() bool { return shown(t, ctx)[0] == 1 }, 5*time.Second, 50*time.Millisecond)
	})
	t.Run("with ctrl, alt or meta held the keys are the browser's", func(t *testing.T) {
		for _, m := range []chromedp.Modifier{chromedp.ModifierCtrl, chromedp.ModifierAlt, chromedp.ModifierMeta} {
			require.NoError(t, chromedp.Do(ctx, chromedp.Focus(chromedp.ID("log-port")), press("G", m)))
		}
		time.Sleep(300 * time.Millisecond)
		assert.Equal(t, 1, shown(t, ctx)[0], "still at the top")
	})
	t.Run("n and N go to the next and previous match", func(t *testing.T) {
		query := "Running"
		sr, err := want.Search(joblog.Query{Text: query})
		require.NoError(t, err)
		for !sr.Step(1 << 30) {
		}
		if sr.Count() < 2 {
			query = "$"
			sr, _ = want.Search(joblog.Query{Text: query})
			for !sr.Step(1 << 30) {
			}
		}
		require.GreaterOrEqual(t, sr.Count(), 2)
		require.NoError(t, chromedp.Do(ctx, fill("log-search", query)))
		of := " of " + thousands(sr.Count())
		eventually(t, ctx, `document.getElementById('log-count').textContent === `+jsString("1"+of), "the first match")
		require.NoError(t, chromedp.Do(ctx, key("n")))
		eventually(t, ctx, `document.getElementById('log-count').textContent === `+jsString("2"+of), "n: the second match")
		require.NoError(t, chromedp.Do(ctx, key("N")))
		eventually(t, ctx, `document.getElementById('log-count').textContent === `+jsString("1"+of), "N: the first again")
		require.NoError(t, chromedp.Do(ctx, fill("log-search", ""), key("g")))
	})
	t.Run("e and E go to the next and previous error", func(t *testing.T) {
		require.NoError(t, chromedp.Do(ctx, key("e")))
		first := fail.Hit(0).Line + 1
		eventually(t, ctx, selected+` === `+jsString(strconv.Itoa(first)), "e selects the first error line")
		require.NoError(t, chromedp.Do(ctx, key("e")))
		second := fail.Hit(1).Line + 1
		eventually(t, ctx, selected+` === `+jsString(strconv.Itoa(second)), "e again the second")
		require.NoError(t, chromedp.Do(ctx, key("E")))
		eventually(t, ctx, selected+` === `+jsString(strconv.Itoa(first)), "E back to the first")
		assert.Contains(t, shown(t, ctx), first, "and it is on screen")
	})
	t.Run("t cycles the timestamps", func(t *testing.T) {
		for _, want := range []string{"1", "2", "3", "0"} {
			require.NoError(t, chromedp.Do(ctx, key("t")))
			eventually(t, ctx, `document.getElementById('log-times').value === `+jsString(want), "timestamps mode "+want)
		}
	})
	t.Run("w wraps long lines and back", func(t *testing.T) {
		require.NoError(t, chromedp.Do(ctx, key("w")))
		eventually(t, ctx, `document.getElementById('log-port').classList.contains('log-wrap')`, "wrapped")
		require.NoError(t, chromedp.Do(ctx, key("w")))
		eventually(t, ctx, `!document.getElementById('log-port').classList.contains('log-wrap')`, "not wrapped")
	})
	t.Run("[ collapses every section, ] expands them", func(t *testing.T) {
		require.NoError(t, chromedp.Do(ctx, key("g"), key("[")))
		eventually(t, ctx, `(() => { const b = [...document.querySelectorAll('#log-rows > div:not([hidden]) button.tg')]; return b.length > 0 && b.every(x => x.getAttribute('aria-expanded') === 'false'); })()`, "every header shown is collapsed")
		require.NoError(t, chromedp.Do(ctx, key("]")))
		eventually(t, ctx, `(() => { const b = [...document.querySelectorAll('#log-rows > div:not([hidden]) button.tg')]; return b.length > 0 && b.every(x => x.getAttribute('aria-expanded') === 'true'); })()`, "every header shown is expanded")
		rows := fold(want, true)
		eventually(t, ctx, `document.getElementById('log-space').offsetHeight === `+strconv.Itoa(rows*20), "every line is a row")
	})
	t.Run("s and S select the section headers in turn, o closes and opens one", func(t *testing.T) {
		// Every section is open (] above) and the first error line selected
		// (E above); the toggles are out of the tab order, so these keys are
		// the keyboard's way to them.
		var headers []int
		for i := range want.NumSections() {
			if h := want.Section(i).Header; h >= 0 {
				headers = append(headers, h)
			}
		}
		slices.Sort(headers)
		from := fail.Hit(0).Line
		next := headers[0]
		for _, h := range headers {
			if h > from {
				next = h
				break
			}
		}
		require.NoError(t, chromedp.Do(ctx, key("s")))
		eventually(t, ctx, selected+` === `+jsString(strconv.Itoa(next+1)), "s selects the next header")
		expanded := `(document.querySelector('#log-rows > div.sel button.tg') || {getAttribute: () => ''}).getAttribute('aria-expanded')`
		require.NoError(t, chromedp.Do(ctx, key("o")))
		eventually(t, ctx, expanded+` === 'false'`, "o closes its section")
		require.NoError(t, chromedp.Do(ctx, key("o")))
		eventually(t, ctx, expanded+` === 'true'`, "o opens it again")
		prev := headers[len(headers)-1]
		for _, h := range headers {
			if h < next {
				prev = h
			}
		}
		require.NoError(t, chromedp.Do(ctx, key("S")))
		eventually(t, ctx, selected+` === `+jsString(strconv.Itoa(prev+1)), "S selects the previous header")
		tabbable, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#log-rows a.ln:not([tabindex="-1"]), #log-rows button.tg:not([tabindex="-1"])').length`))
		require.NoError(t, err)
		assert.Zero(t, tabbable, "Tab does not stop on every row")
	})
	t.Run("? shows the keys, ? again hides them", func(t *testing.T) {
		require.NoError(t, chromedp.Do(ctx, key("?")))
		eventually(t, ctx, `document.getElementById('log-help').matches(':popover-open')`, "the help is open")
		help := text(t, ctx, "#log-help")
		for _, k := range []string{"Next error", "Collapse all sections", "Timestamps"} {
			assert.Contains(t, help, k)
		}
		require.NoError(t, Screenshots(ctx, "log-keys", chromedp.WaitVisible(chromedp.ID("log-help"))))
		require.NoError(t, chromedp.Do(ctx, press("?")))
		eventually(t, ctx, `!document.getElementById('log-help').matches(':popover-open')`, "the help is closed")
	})
	t.Run("the menu holds the rest, and opens from the keyboard", func(t *testing.T) {
		require.NoError(t, chromedp.Do(ctx, chromedp.Focus(chromedp.ID("log-menu-button")), chromedp.KeyEvent("\r")))
		eventually(t, ctx, `document.getElementById('log-menu').matches(':popover-open')`, "Enter on the button opens the menu")
		require.NoError(t, Screenshots(ctx, "log-menu", chromedp.WaitVisible(chromedp.ID("log-menu"))))
		for _, id := range []string{"log-regex", "log-wrap", "log-times", "log-error", "log-top", "log-bottom", "log-copy", "log-download", "log-keys"} {
			assert.True(t, visible(t, ctx, id), "%s is in the menu", id)
		}
		require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent("\x1b")))
		eventually(t, ctx, `!document.getElementById('log-menu').matches(':popover-open')`, "Escape closes it")
	})
	assert.Empty(t, xssHits(t, ctx))
}

// fold is the number of rows of s with every section expanded (expanded)
// or as the log asks.
func fold(s *joblog.Store, expanded bool) int {
	toggled := map[int]bool{}
	if expanded {
		for i := range s.NumSections() {
			if s.Section(i).Collapsed {
				toggled[i] = true
			}
		}
	}
	return s.Fold(toggled).Rows()
}

// TestALineRangeIsALink: a click on a line number selects it, a shift-click
// on another the range between; the address becomes #L<a>-<b> (GitLab's blob
// form), the range is highlighted and copied as text, and a reload opens on
// it with its sections expanded.
func TestALineRangeIsALink(t *testing.T) {
	requireBrowser(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	project := emu.Info().Projects[0]
	j, want := findLog(t, api.URL, project, func(j gitlab.Job, s *joblog.Store) bool {
		for i := range s.NumSections() {
			if sec := s.Section(i); sec.Collapsed && sec.Header >= 0 && sec.Last > sec.Header+3 {
				return true
			}
		}
		return false
	})
	openJobScreen(t, ctx, srv.URL, api.URL, project, j.ID, false, "")
	loadedLines(t, ctx, want.Len())
	// The clipboard as the page sees it: what was written is kept.
	require.NoError(t, chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`navigator.clipboard.writeText = s => { window.__copied = s; return Promise.resolve(); }`)))

	click := func(line int, shift bool) {
		t.Helper()
		nodes, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSS(`#log-rows a.ln[href="#L`+strconv.Itoa(line)+`"]`)))
		require.NoError(t, err)
		var opts []chromedp.MouseOption
		if shift {
			opts = append(opts, chromedp.ButtonModifiers(chromedp.ModifierShift))
		}
		require.NoError(t, chromedp.Do(ctx, chromedp.MouseClickNode(nodes[0], opts...)))
	}
	textOf := func(a, b int) string {
		var lines []string
		for i := a - 1; i < b; i++ {
			lines = append(lines, string(want.Line(i).Text))
		}
		return strings.Join(lines, "\n") + "\n"
	}
	selectedLines := `[...document.querySelectorAll('#log-rows > div.sel a.ln')].map(a => +a.textContent).sort((a, b) => a - b)`
	hash := func() string {
		h, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.hash`))
		require.NoError(t, err)
		return h
	}

	click(3, false)
	require.Eventually(t, func() bool { return hash() == "#L3" }, 5*time.Second, 50*time.Millisecond)
	click(7, true)
	require.Eventually(t, func() bool { return hash() == "#L3-7" }, 5*time.Second, 50*time.Millisecond, "shift-click makes a range (the address is %s)", hash())
	sel, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](selectedLines))
	require.NoError(t, err)
	assert.Equal(t, []int{3, 4, 5, 6, 7}, sel, "the range is highlighted")
	require.NoError(t, chromedp.Do(ctx, tool("log-copy")))
	eventually(t, ctx, `window.__copied === `+jsString(textOf(3, 7)), "the range is copied as text")

	t.Run("a reload opens on the range", func(t *testing.T) {
		require.NoError(t, chromedp.Do(ctx, chromedp.Reload(), waitApp, firstRows))
		assert.Equal(t, "#L3-7", hash())
		require.Eventually(t, func() bool {
			sel, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](selectedLines))
			return err == nil && assert.ObjectsAreEqual([]int{3, 4, 5, 6, 7}, sel)
		}, 10*time.Second, 50*time.Millisecond, "the range is selected again")
		label, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.ID("log-copy")))
		require.NoError(t, err)
		assert.Equal(t, "Copy lines 3–7", label)
	})

	t.Run("a range inside a collapsed section opens it", func(t *testing.T) {
		var a, b int
		for i := range want.NumSections() {
			if sec := want.Section(i); sec.Collapsed && sec.Header >= 0 && sec.Last > sec.Header+3 {
				a, b = sec.Header+3, sec.Header+4 // 1-based: the 2nd and 3rd lines inside
				break
			}
		}
		require.True(t, want.Fold(nil).Hidden(a-1), "line %d starts folded", a)
		frag := "#L" + strconv.Itoa(a) + "-" + strconv.Itoa(b)
		openJobScreen(t, ctx, srv.URL, api.URL, project, j.ID, false, frag)
		require.Eventually(t, func() bool {
			l := shown(t, ctx)
			return contains(l, a) && contains(l, b)
		}, 10*time.Second, 50*time.Millisecond, "lines %d-%d are on screen", a, b)
		sel, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](selectedLines))
		require.NoError(t, err)
		assert.Equal(t, []int{a, b}, sel)
		require.NoError(t, Screenshots(ctx, "log-range", firstRows))
	})
}

// TestAFailedJobOpensAtItsLastLine: the runner says why a job failed at the
// end of its log, so a failed job's screen opens there, unless the address
// names a line.
func TestAFailedJobOpensAtItsLastLine(t *testing.T) {
	requireBrowser(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	project := emu.Info().Projects[0]
	j, want := findLog(t, api.URL, project, func(j gitlab.Job, s *joblog.Store) bool {
		return j.Status == gitlab.StatusFailed && s.Len() > 100
	})
	require.NoError(t, chromedp.Do(ctx, SetViewport(Viewports[0], "light")))

	openJobScreen(t, ctx, srv.URL, api.URL, project, j.ID, false, "")
	total := loadedLines(t, ctx, want.Len())
	require.Eventually(t, func() bool { l := shown(t, ctx); return l[len(l)-1] == total }, 10*time.Second, 50*time.Millisecond, "the last line %d is on screen", total)
	require.NoError(t, Screenshots(ctx, "job-failed-end", firstRows))

	openJobScreen(t, ctx, srv.URL, api.URL, project, j.ID, false, "#L5")
	loadedLines(t, ctx, want.Len())
	time.Sleep(500 * time.Millisecond) // the job's status is in: the view stays
	assert.Contains(t, shown(t, ctx), 5, "the line the address names wins")
	assert.NotContains(t, shown(t, ctx), total)
}

// Each log view adopts a constructed sheet for its 24-bit colours; leaving
// the view removes it, so going back and forth between a job and its
// pipeline leaves at most the one of the log on screen.
func TestALogViewTakesItsStyleSheetWithIt(t *testing.T) {
	requireBrowser(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	project := emu.Info().Projects[0]
	j, _ := findLog(t, api.URL, project, func(j gitlab.Job, s *joblog.Store) bool {
		return j.Status == gitlab.StatusSuccess && s.Len() > 10
	})
	openJobScreen(t, ctx, srv.URL, api.URL, project, j.ID, false, "")
	adopted := func() int {
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.adoptedStyleSheets.length`))
		require.NoError(t, err)
		return n
	}
	first := adopted()
	require.Equal(t, 1, first, "the log view adopted its sheet")
	for range 3 {
		require.NoError(t, chromedp.Do(ctx,
			chromedp.Click(chromedp.ID("job-pipeline")),
			chromedp.WaitVisible(chromedp.ID("stages")),
		))
		assert.Zero(t, adopted(), "the pipeline screen has no log view, and no sheet of one")
		require.NoError(t, chromedp.Do(ctx,
			chromedp.Evaluate[chromedp.Void](`history.back()`),
			chromedp.WaitVisible(chromedp.ID("job-status")),
			firstRows,
		))
	}
	assert.Equal(t, first, adopted(), "back on the job, one sheet again")
}
