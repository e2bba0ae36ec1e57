package browsertest

// Live lists (issue 16): the job list and the pipeline page keep up with CI
// on the emulator's moving clock, without a reload, without moving what
// the user looks at, and without asking anything while the tab is hidden.
// Requests are counted at the emulator's door.

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/app"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/jobscope/jobscope/internal/site"
	"github.com/jobscope/jobscope/internal/words"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// door counts the API requests the page makes (preflights aside: the
// browser caches them, gitlab-api.md §10).
type door struct {
	next http.Handler
	mu   sync.Mutex
	seen []doorRequest
}

type doorRequest struct {
	Path        string
	IfNoneMatch string
	Status      int
}

func (d *door) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodOptions {
		d.next.ServeHTTP(w, r)
		return
	}
	rec := &statusWriter{ResponseWriter: w, status: 200}
	d.next.ServeHTTP(rec, r)
	d.mu.Lock()
	d.seen = append(d.seen, doorRequest{r.URL.Path, r.Header.Get("If-None-Match"), rec.status})
	d.mu.Unlock()
}

func (d *door) requests() []doorRequest {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]doorRequest(nil), d.seen...)
}

// liveEmulator is a frozen emulator behind a door for the page, and a
// client of its own for the test (another user acting, not counted).
func liveEmulator(t *testing.T) (*gitlabfake.Server, *door, *httptest.Server, *gitlab.Client) {
	t.Helper()
	emu := gitlabfake.New(gitlabfake.Options{Frozen: true})
	d := &door{next: emu}
	api := httptest.NewServer(d)
	t.Cleanup(api.Close)
	direct := httptest.NewServer(emu)
	t.Cleanup(direct.Close)
	c, err := gitlab.New(direct.URL, gitlab.PrivateToken(gitlabfake.DefaultToken), gitlab.WithBackoff(gitlab.NoBackoff))
	require.NoError(t, err)
	return emu, d, api, c
}

// setHidden emulates the page's visibility as a browser reports it when the
// tab goes to the background or comes back: document.visibilityState and
// a visibilitychange event.
func setHidden(hidden bool) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`(h => {
  Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => h ? 'hidden' : 'visible'});
  Object.defineProperty(document, 'hidden', {configurable: true, get: () => h});
  document.dispatchEvent(new Event('visibilitychange'));
})(` + strconv.FormatBool(hidden) + `)`)
}

func evalJS[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	require.NoError(t, err)
	return v
}

// TestTheJobListKeepsUpInPlace: a running job becomes finished and a retry
// made elsewhere appears on top, marked, without a reload; the rows that
// did not change are not touched, the page does not jump, focus stays; an
// unchanged list costs a 304 (gitlab-api.md §4).
func TestTheJobListKeepsUpInPlace(t *testing.T) {
	requireBrowser(t)
	emu, d, api, c := liveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	project := emu.Info().Projects[0]
	running := findJob(t, api.URL, project, gitlab.StatusRunning, nil)
	failed := findJob(t, api.URL, project, gitlab.StatusFailed, func(j gitlab.Job) bool { return !j.Archived })

	openJobs(t, ctx, srv.URL, api.URL, project)
	row := `#job-list li.job[data-id="` + strconv.FormatInt(running.ID, 10) + `"]`
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(row))), "the running job is on the first page")

	// Nothing moved yet (the clock is stopped): the refresh costs a 304.
	require.Eventually(t, func() bool {
		for _, r := range d.requests() {
			if strings.HasSuffix(r.Path, "/jobs") && r.IfNoneMatch != "" && r.Status == http.StatusNotModified {
				return true
			}
		}
		return false
	}, 60*time.Second, 200*time.Millisecond, "a refresh of an unchanged list sends If-None-Match and gets a 304")

	// Scroll to the 12th row, focus its link, and watch every row.
	before := evalJS[map[string]string](t, ctx, `(() => {
  const rows = [...document.querySelectorAll('#job-list li.job[data-id]')];
  const anchor = rows[12];
  window.scrollTo(0, anchor.getBoundingClientRect().top + scrollY - 100);
  anchor.querySelector('a.job-name').focus();
  window.__anchor = anchor; window.__top = anchor.getBoundingClientRect().top;
  window.__mutated = new Set();
  new MutationObserver(ms => { for (const m of ms) {
    const n = m.target.nodeType === 1 ? m.target : m.target.parentElement;
    const li = n && n.closest('li.job'); if (li) window.__mutated.add(li.dataset.id);
  } }).observe(document.getElementById('job-list'), {subtree: true, childList: true, characterData: true, attributes: true});
  const out = {};
  for (const li of rows) { li.__id = li.dataset.id; out[li.dataset.id] = li.querySelector('.status').textContent + '|' + li.querySelector('.job-times').textContent; }
  return out;
})()`)
	require.Greater(t, evalJS[float64](t, ctx, `scrollY`), 0.0, "the page scrolled")

	emu.AdvanceClock(2 * time.Hour) // every running job ends (gitlabfake README, "Time")
	retry, err := c.RetryJob(context.Background(), gitlab.ProjectPath(project), failed.ID)
	require.NoError(t, err)
	now, err := c.GetJob(context.Background(), gitlab.ProjectPath(project), running.ID)
	require.NoError(t, err)
	require.True(t, now.Status.Finished(), "the emulator finished it: %s", now.Status)

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Poll[chromedp.Void](`document.querySelector(`+jsString(row+" .status")+`).textContent === `+jsString(words.Status(now.Status))),
		chromedp.Poll[chromedp.Void](`!!document.querySelector('#jobs-new li.job.new[data-id="`+strconv.FormatInt(retry.ID, 10)+`"]')`),
	), "the running job became %s in place and the retry came on top", now.Status)
	top := evalJS[int64](t, ctx, `Number(document.querySelector('main li.job[data-id]').dataset.id)`)
	assert.Equal(t, retry.ID, top, "the retry is the first row")
	assert.Equal(t, "new", text(t, ctx, `#jobs-new li.job.new .tag-new`), "marked, quietly")

	after := evalJS[map[string]string](t, ctx, `(() => {
  const out = {};
  for (const li of document.querySelectorAll('#job-list li.job[data-id]')) out[li.dataset.id] = li.querySelector('.status').textContent + '|' + li.querySelector('.job-times').textContent;
  return out;
})()`)
	kept := evalJS[bool](t, ctx, `[...document.querySelectorAll('#job-list li.job[data-id]')].every(li => li.__id === undefined || li.__id === li.dataset.id)`)
	assert.True(t, kept, "each row element still shows the job it showed (row identity)")
	mutated := evalJS[[]string](t, ctx, `[...window.__mutated]`)
	for _, id := range mutated {
		if _, was := before[id]; was {
			assert.NotEqual(t, before[id], after[id], "row %s was written though its status and times are the same", id)
		}
	}
	assert.Contains(t, mutated, strconv.FormatInt(running.ID, 10))
	assert.Less(t, len(mutated), len(before), "not every row was written")

	moved := evalJS[float64](t, ctx, `Math.abs(window.__anchor.getBoundingClientRect().top - window.__top)`)
	assert.Less(t, moved, 2.0, "the row the user looked at stays where it was")
	assert.True(t, evalJS[bool](t, ctx, `document.activeElement === window.__anchor.querySelector('a.job-name')`), "focus stays")
	require.NoError(t, Screenshots(ctx, "jobs-live", chromedp.WaitVisible(chromedp.CSS("#jobs-new li.job"))))
}

// TestAHiddenJobListAsksNothingAndCatchesUpWhenShown: while the tab is
// hidden the list makes no request at all; shown again, it refreshes at
// once, and the filter typed before is kept.
func TestAHiddenJobListAsksNothingAndCatchesUpWhenShown(t *testing.T) {
	requireBrowser(t)
	emu, d, api, c := liveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	project := emu.Info().Projects[0]
	failed := findJob(t, api.URL, project, gitlab.StatusFailed, func(j gitlab.Job) bool { return !j.Archived })
	openJobs(t, ctx, srv.URL, api.URL, project)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.CSS(`section.jobs[data-live="on"]`)),
		fill("job-filter", failed.Name),
		setHidden(true),
	))
	hiddenAt := len(d.requests())

	retry, err := c.RetryJob(context.Background(), gitlab.ProjectPath(project), failed.ID)
	require.NoError(t, err)
	emu.AdvanceClock(time.Hour)
	// The loop's wait ends and it finds the page hidden: from here on it
	// blocks until the page is shown.
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`section.jobs[data-live="paused"]`))))
	assert.Equal(t, hiddenAt, len(d.requests()), "no request while hidden: %v", d.requests()[hiddenAt:])
	assert.Zero(t, evalJS[int](t, ctx, `document.querySelectorAll('#jobs-new li.job').length`))

	require.NoError(t, chromedp.Do(ctx, setHidden(false)))
	// At once: well before the loop's first wait (10 s) would be over.
	require.Eventually(t, func() bool {
		return evalJS[bool](t, ctx, `!!document.querySelector('#jobs-new li.job[data-id="`+strconv.FormatInt(retry.ID, 10)+`"]')`)
	}, 8*time.Second, 100*time.Millisecond, "shown again, the list refreshes at once")
	assert.Equal(t, failed.Name, evalJS[string](t, ctx, `document.getElementById('job-filter').value`), "the filter is kept")
	shown := evalJS[[]string](t, ctx, `[...document.querySelectorAll('main li.job[data-id]')].map(li => li.querySelector('.job-name').textContent + ' ' + li.querySelector('.ref').textContent)`)
	require.NotEmpty(t, shown)
	for _, s := range shown {
		assert.Contains(t, strings.ToLower(s), strings.ToLower(failed.Name), "only rows matching the filter show")
	}
}

// TestAPipelineKeepsUp: a running job of a pipeline becomes finished on the
// pipeline page without a reload; a pipeline in which nothing will change
// is not polled (data-live idle), and is asked once when shown again.
func TestAPipelineKeepsUp(t *testing.T) {
	requireBrowser(t)
	emu, d, api, c := liveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	project := emu.Info().Projects[0]
	running := findJob(t, api.URL, project, gitlab.StatusRunning, nil)
	page := srv.URL + app.Route{Screen: app.ScreenPipeline, Project: project, ID: running.Pipeline.ID}.Path()
	row := `#stages li.stage-job[data-id="` + strconv.FormatInt(running.ID, 10) + `"] .status .visually-hidden`

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/open"),
		connectTo(api.URL, gitlabfake.DefaultToken),
		chromedp.Navigate(page), waitApp,
		chromedp.WaitVisible(chromedp.CSS(`section.pipeline[data-live="on"]`)),
	))
	assert.Equal(t, "running: ", evalJS[string](t, ctx, `document.querySelector(`+jsString(row)+`).textContent`))

	emu.AdvanceClock(2 * time.Hour) // the running jobs end (gitlabfake README, "Time")
	now, err := c.GetJob(context.Background(), gitlab.ProjectPath(project), running.ID)
	require.NoError(t, err)
	require.True(t, now.Status.Finished(), "the emulator finished it: %s", now.Status)
	require.Eventually(t, func() bool {
		return evalJS[string](t, ctx, `(document.querySelector(`+jsString(row)+`) || {}).textContent`) == words.Status(now.Status)+": "
	}, 90*time.Second, 200*time.Millisecond, "the job became %s in place", now.Status)
	p, err := c.GetPipeline(context.Background(), gitlab.ProjectPath(project), running.Pipeline.ID)
	require.NoError(t, err)
	require.Eventually(t, func() bool { return text(t, ctx, "#pipeline-status") == words.Status(p.Status) }, 90*time.Second, 200*time.Millisecond,
		"and the pipeline's status with it")

	var lists int
	for _, r := range d.requests() {
		if strings.HasSuffix(r.Path, "/jobs") && r.IfNoneMatch != "" {
			lists++
		}
	}
	assert.Positive(t, lists, "the pipeline's jobs are asked with If-None-Match")

	// A settled pipeline: nothing is asked after it loaded, until the tab
	// is shown again; then once, at once (a retry made meanwhile shows).
	settled, _, err := c.ListPipelines(context.Background(), gitlab.ProjectPath(project), gitlab.ListPipelinesOptions{Scope: gitlab.PipelineScopeFinished})
	require.NoError(t, err)
	require.NotEmpty(t, settled)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+app.Route{Screen: app.ScreenPipeline, Project: project, ID: settled[0].ID}.Path()), waitApp,
		chromedp.WaitVisible(chromedp.CSS(`section.pipeline[data-live="idle"]`)),
	), "nothing will change: no polling")
	n := len(d.requests())
	require.NoError(t, chromedp.Do(ctx, setHidden(true), setHidden(false)))
	require.Eventually(t, func() bool { return len(d.requests()) > n }, 8*time.Second, 100*time.Millisecond, "one refresh when shown again")
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`section.pipeline[data-live="idle"]`))))
}
