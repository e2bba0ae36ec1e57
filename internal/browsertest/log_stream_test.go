package browsertest

import (
	"context"
	"github.com/chromedp/cdproto/network"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/app"
	"github.com/jobscope/jobscope/internal/browsertest/protocol"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/jobscope/jobscope/internal/site"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTheLogShowsLinesBeforeItsLastByte: over a network throttled to 100
// Mbit/s and 30 ms (DevTools' network emulation), huge-log's first lines
// are on screen while its download still runs, with a progress bar of bytes
// received of the Content-Length; then the whole log is there (issue 12).
func TestTheLogShowsLinesBeforeItsLastByte(t *testing.T) {
	requireBrowser(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	project, job := findJobNamed(t, api.URL, emu.Info().Projects[:1], "huge-log")
	want := traceOf(t, api.URL, project, job.ID)
	require.NoError(t, chromedp.Do(ctx,
		openOver(t, link(100, 30), srv.URL, api.URL, app.Route{Screen: app.ScreenLog, Project: project, ID: job.ID}.Path()),
		firstRows,
	))
	progress, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => {
  const p = document.getElementById('log-progress');
  return p ? [p.value, p.max] : [];
})()`))
	require.NoError(t, err)
	require.Len(t, progress, 2, "the first lines show while the download runs, under its progress bar")
	assert.Less(t, progress[0], progress[1], "fewer bytes received than the log has")
	assert.Equal(t, 1, shown(t, ctx)[0], "the first line is at the top")
	require.NoError(t, Screenshots(ctx, "log-streaming", firstRows))

	loadedLines(t, ctx, want.Len())
	gone, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('log-progress') === null`))
	require.NoError(t, err)
	assert.True(t, gone, "the progress bar goes when the last byte is in")
}

// TestACutDownloadKeepsWhatArrivedAndLoadsTheRest: the trace's connection
// closes half way (the emulator's Cut fault, twice: the first try and the
// follower's own retry): the lines that arrived stay on screen, the user is
// told and offered "Load the rest", which brings the rest: the whole log.
func TestACutDownloadKeepsWhatArrivedAndLoadsTheRest(t *testing.T) {
	requireBrowser(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	project, job := findJobNamed(t, api.URL, emu.Info().Projects[:1], "huge-log")
	want := traceOf(t, api.URL, project, job.ID)
	emu.SetFault(gitlabfake.RouteTrace, gitlabfake.Fault{Cut: true, Times: 2})
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/open"),
		connectTo(api.URL, gitlabfake.DefaultToken),
		chromedp.Navigate(srv.URL+app.Route{Screen: app.ScreenLog, Project: project, ID: job.ID}.Path()),
		waitApp, firstRows,
		chromedp.WaitVisible(chromedp.ID("log-load-rest")),
	))
	assert.Contains(t, text(t, ctx, "#log-note"), "closed before the whole log arrived")
	cut := loadedLines(t, ctx, 0)
	assert.Less(t, cut, want.Len(), "part of the log is shown")
	// Both faults used: the rest comes on the click, or the retry.
	require.Eventually(t, func() bool { return len(emu.Faults()) == 0 }, 30*time.Second, 100*time.Millisecond)
	if present(t, ctx, "#log-load-rest") {
		require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.ID("log-load-rest"))))
	}
	loadedLines(t, ctx, want.Len())
	assert.Equal(t, 1, shown(t, ctx)[0])
}

// traceRequest is one trace request as the emulator's front door saw it.
type traceRequest struct {
	Range, IfNoneMatch string
	Status             int
}

// traceRecorder wraps the emulator and records its trace requests.
type traceRecorder struct {
	next http.Handler
	mu   sync.Mutex
	seen []traceRequest
}

func (tr *traceRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet || !strings.HasSuffix(r.URL.Path, "/trace") {
		tr.next.ServeHTTP(w, r)
		return
	}
	rec := &statusWriter{ResponseWriter: w, status: 200}
	tr.next.ServeHTTP(rec, r)
	tr.mu.Lock()
	tr.seen = append(tr.seen, traceRequest{r.Header.Get("Range"), r.Header.Get("If-None-Match"), rec.status})
	tr.mu.Unlock()
}

func (tr *traceRecorder) requests() []traceRequest {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return append([]traceRequest(nil), tr.seen...)
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) { s.status = code; s.ResponseWriter.WriteHeader(code) }

// TestFollowingAsksOnlyForTheNewBytes: against a GitLab that serves byte
// ranges of every log (the emulator's RangesAll), a running job's log is
// followed by asking from the byte held: new lines come as a 206, an
// unchanged log costs a 304 (If-None-Match); "Update now" asks at once.
func TestFollowingAsksOnlyForTheNewBytes(t *testing.T) {
	requireBrowser(t)
	emu := gitlabfake.New(gitlabfake.Options{Frozen: true, Trace: gitlabfake.TraceOptions{Ranges: gitlabfake.RangesAll}})
	rec := &traceRecorder{next: emu}
	api := httptest.NewServer(rec)
	t.Cleanup(api.Close)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	project := emu.Info().Projects[0]
	j := findJob(t, api.URL, project, gitlab.StatusRunning, nil)

	openLog(t, ctx, srv.URL, api.URL, project, j.ID, "")
	before := loadedLines(t, ctx, 0)
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.ID("log-update-now"))))
	assert.Contains(t, text(t, ctx, ".log-follow"), "updated", "the user sees when the log was last updated")

	// Unchanged: "Update now" costs a 304.
	n := len(rec.requests())
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.ID("log-update-now"))))
	require.Eventually(t, func() bool { return len(rec.requests()) > n }, 10*time.Second, 50*time.Millisecond)
	last := rec.requests()[len(rec.requests())-1]
	assert.NotEmpty(t, last.IfNoneMatch)
	assert.Equal(t, http.StatusNotModified, last.Status, "an unchanged log costs no body")

	// Grown: only the new bytes, as a 206.
	emu.AdvanceClock(20 * time.Second) // gitlabfake README: a line per 250 ms
	n = len(rec.requests())
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.ID("log-update-now"))))
	require.Eventually(t, func() bool { return loadedLines(t, ctx, 0) > before }, 30*time.Second, 100*time.Millisecond)
	var grew *traceRequest
	for _, r := range rec.requests()[n:] {
		if r.Status == http.StatusPartialContent {
			grew = &r
		}
	}
	require.NotNil(t, grew, "the new lines came as a 206: %+v", rec.requests()[n:])
	assert.Regexp(t, `^bytes=[1-9][0-9]*-$`, grew.Range, "asked from the byte held")
	first := rec.requests()[0]
	assert.Empty(t, first.Range, "the first request asks for the whole log")
	assert.Equal(t, http.StatusOK, first.Status)
}

// TestAFailedJobOpensOnItsEndFirstWhereRangesAreServed: against a GitLab
// that serves ranges of finished logs, a failed job's log asks for its last
// 512 KB first (a 206), shows them at once at the bottom, then reads the
// whole log and swaps it in, still at the end.
func TestAFailedJobOpensOnItsEndFirstWhereRangesAreServed(t *testing.T) {
	requireBrowser(t)
	emu := gitlabfake.New(gitlabfake.Options{Frozen: true, Trace: gitlabfake.TraceOptions{Ranges: gitlabfake.RangesFinished}})
	rec := &traceRecorder{next: emu}
	api := httptest.NewServer(rec)
	t.Cleanup(api.Close)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	project := emu.Info().Projects[0]
	j := findJob(t, api.URL, project, gitlab.StatusFailed, nil)
	want := traceOf(t, api.URL, project, j.ID)
	// The test's own request: recorded once its handler returns, which
	// can be after the client has read the answer.
	require.Eventually(t, func() bool { return len(rec.requests()) == 1 }, 5*time.Second, 10*time.Millisecond)
	before := 1

	openLog(t, ctx, srv.URL, api.URL, project, j.ID, "")
	total := loadedLines(t, ctx, want.Len())
	require.Eventually(t, func() bool {
		l := shown(t, ctx)
		return l[len(l)-1] == total
	}, 10*time.Second, 100*time.Millisecond, "the failed job's log is shown at its end")
	reqs := rec.requests()[before:]
	require.GreaterOrEqual(t, len(reqs), 2)
	assert.Equal(t, traceRequest{Range: "bytes=-524288", Status: http.StatusPartialContent}, reqs[0], "the end first")
	assert.Equal(t, traceRequest{Status: http.StatusOK}, reqs[1], "then the whole log")
}

// TestAnAnswerThatCannotBeUsedIsSaidAndTheLogFetchedWhole: each way a
// GitLab, or what stands in front of it, can answer a log poll wrongly
// (the emulator's faults and GrowLog, README "The job log") is caught: the
// user reads a one-line note, and the log shown is the emulator's log,
// never a corrupted one (issue 12, bad input).
func TestAnAnswerThatCannotBeUsedIsSaidAndTheLogFetchedWhole(t *testing.T) {
	requireBrowser(t)
	// replacement is another log for the running job: short lines revealed
	// one per 250 ms, so it is shorter than the log held at first.
	replacement := []byte(strings.Repeat("a replaced line\n", 400))
	tests := []struct {
		name   string
		ranges gitlabfake.TraceRanges
		status gitlab.Status
		before gitlabfake.Fault // in force from the first request
		then   func(t *testing.T, emu *gitlabfake.Server, job int64)
		note   string
	}{
		{name: "a range that does not start where it was asked", ranges: gitlabfake.RangesAll, status: gitlab.StatusRunning,
			then: func(t *testing.T, emu *gitlabfake.Server, _ int64) {
				emu.SetFault(gitlabfake.RouteTrace, gitlabfake.Fault{MisplacedRange: 10, Times: 1})
			},
			note: "did not continue the log as held"},
		{name: "a log that shrinks where ranges are served", ranges: gitlabfake.RangesAll, status: gitlab.StatusRunning,
			then: func(t *testing.T, emu *gitlabfake.Server, job int64) {
				require.NoError(t, emu.GrowLog(job, replacement, 100*time.Second))
			},
			note: "shorter than before"},
		{name: "a log replaced between whole-log polls (GitLab's own)", ranges: gitlabfake.RangesNone, status: gitlab.StatusRunning,
			then: func(t *testing.T, emu *gitlabfake.Server, job int64) {
				require.NoError(t, emu.GrowLog(job, replacement, 100*time.Second))
			},
			note: "changed from its start"},
		{name: "a part answered when the whole was asked", ranges: gitlabfake.RangesAll, status: gitlab.StatusSuccess,
			before: gitlabfake.Fault{UnaskedRange: true, Times: 1},
			note:   "answered part of the log when the whole was asked"},
		{name: "an ETag that stays the same while the log grows", ranges: gitlabfake.RangesNone, status: gitlab.StatusRunning,
			before: gitlabfake.Fault{LyingETag: true},
			note:   "ETag stayed the same while the log changed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			emu := gitlabfake.New(gitlabfake.Options{Frozen: true, Trace: gitlabfake.TraceOptions{Ranges: tt.ranges}})
			api := httptest.NewServer(emu)
			t.Cleanup(api.Close)
			srv := serveSite(t, site.ServeOptions{})
			ctx := newTab(t)
			project := emu.Info().Projects[0]
			j := findJob(t, api.URL, project, tt.status, func(j gitlab.Job) bool { return j.Name != "huge-log" })
			if tt.before != (gitlabfake.Fault{}) {
				emu.SetFault(gitlabfake.RouteTrace, tt.before)
			}
			openLog(t, ctx, srv.URL, api.URL, project, j.ID, "")
			loadedLines(t, ctx, 0)
			if tt.then != nil {
				tt.then(t, emu, j.ID)
			}
			emu.AdvanceClock(20 * time.Second) // gitlabfake README: a line per 250 ms
			// Each "Update now" is one more poll: a lying ETag is caught by
			// the poll that asks without it, after a few 304s.
			require.Eventually(t, func() bool {
				if present(t, ctx, "#log-note") && strings.Contains(text(t, ctx, "#log-note"), tt.note) {
					return true
				}
				if present(t, ctx, "#log-update-now") {
					_ = chromedp.Do(ctx, chromedp.Click(chromedp.ID("log-update-now")))
				}
				return false
			}, 60*time.Second, time.Second, "the note says %q", tt.note)

			emu.ClearFaults()
			want := traceOf(t, api.URL, project, j.ID)
			assert.Equal(t, want.Len(), loadedLines(t, ctx, want.Len()), "the log shown is GitLab's log")
			type row struct {
				N    int
				Text string
			}
			rows, err := chromedp.Run(ctx, chromedp.Evaluate[[]row](`[...document.querySelectorAll("#log-rows > div:not([hidden])")].map(d => ({
  N: Number(d.querySelector("a.ln").textContent), Text: d.querySelector(".tx").textContent }))`))
			require.NoError(t, err)
			require.NotEmpty(t, rows)
			for _, r := range rows {
				assert.Equal(t, string(want.Line(r.N-1).Text), r.Text, "line %d as GitLab has it", r.N)
			}
		})
	}
}

// link is a network throttled by DevTools: Mbit/s both ways and ms of latency.
func link(mbits, latency float64) protocol.Conditions {
	const mbit = 1e6 / 8
	return protocol.Conditions{Latency: latency, DownloadThroughput: mbits * mbit, UploadThroughput: mbits * mbit}
}

// openOver connects a tab to the emulator, throttles its network to c, and
// opens path on the site.
func openOver(t *testing.T, c protocol.Conditions, siteURL, apiURL, path string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(siteURL+"/open"),
		connectTo(apiURL, gitlabfake.DefaultToken),
		setNetwork(t, c),
		chromedp.Navigate(siteURL+path),
		waitApp,
	)
}

// present says whether an element matches css now.
func present(t *testing.T, ctx context.Context, css string) bool {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+jsString(css)+`).length`))
	require.NoError(t, err)
	return n > 0
}

// TestMovingAwayCancelsTheDownload: leaving a log screen while its trace
// still downloads (throttled to 20 Mbit/s) cancels the request: the
// browser reports the trace's load as cancelled (issue 12).
func TestMovingAwayCancelsTheDownload(t *testing.T) {
	requireBrowser(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	project, job := findJobNamed(t, api.URL, emu.Info().Projects[:1], "huge-log")
	var mu sync.Mutex
	traces := map[network.RequestID]bool{}
	cancelled := map[network.RequestID]bool{}
	require.NoError(t, chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			if strings.HasSuffix(e.Request.URL, "/trace") {
				traces[e.RequestID] = true
			}
		case *network.EventLoadingFailed:
			if e.Canceled {
				cancelled[e.RequestID] = true
			}
		}
	}))
	require.NoError(t, chromedp.Do(ctx,
		openOver(t, link(20, 30), srv.URL, api.URL, app.Route{Screen: app.ScreenLog, Project: project, ID: job.ID}.Path()),
		firstRows,
		chromedp.WaitVisible(chromedp.ID("log-progress")),
		chromedp.Click(chromedp.CSS(`.topbar a.brand`)),
		chromedp.WaitVisible(chromedp.ID("project-list")),
	))
	require.Eventually(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		for id := range traces {
			if cancelled[id] {
				return true
			}
		}
		return false
	}, 10*time.Second, 50*time.Millisecond, "the trace's download was cancelled")
}

// TestTheSwapKeepsTheLineInView: a failed job's 60 MB log over a 100 Mbit/s
// link where ranges are served: its end shows first (numbers hidden, a
// note), the user scrolls up into it, and when the whole log takes the
// end's place the same line is at the top, now with its true number.
func TestTheSwapKeepsTheLineInView(t *testing.T) {
	requireBrowser(t)
	plain, plainAPI := serveEmulator(t)
	project, huge := findJobNamed(t, plainAPI.URL, plain.Info().Projects[:1], "huge-log")
	c, err := gitlab.New(plainAPI.URL, gitlab.PrivateToken(gitlabfake.DefaultToken), gitlab.WithBackoff(gitlab.NoBackoff))
	require.NoError(t, err)
	raw, err := c.JobLog(t.Context(), gitlab.ProjectPath(project), huge.ID)
	require.NoError(t, err)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "big.log"), append(raw, "ERROR: Job failed: exit code 1\n"...), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "seed.json"), []byte(`{"projects":[{"path_with_namespace":"big/failure","pipelines":[{"ref":"main","jobs":[`+
		`{"name":"big-failure","stage":"test","status":"failed","id":9990001,"log_file":"big.log"}]}]}]}`), 0o644))
	emu, err := gitlabfake.Open(gitlabfake.Options{Frozen: true, SeedFile: filepath.Join(dir, "seed.json"), Trace: gitlabfake.TraceOptions{Ranges: gitlabfake.RangesFinished}})
	require.NoError(t, err)
	api := httptest.NewServer(emu)
	t.Cleanup(api.Close)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)

	require.NoError(t, chromedp.Do(ctx,
		openOver(t, link(100, 30), srv.URL, api.URL, app.Route{Screen: app.ScreenJob, Project: "big/failure", ID: 9990001}.Path()),
		chromedp.WaitVisible(chromedp.CSS(`#log-port.log-partial #log-rows > div:not([hidden]) .tx`)),
	))
	assert.Contains(t, text(t, ctx, "#log-note"), "Showing the end of the log")
	// Up into the end, as a reader of the failure does.
	topText := `(() => {
  const port = document.getElementById('log-port').getBoundingClientRect();
  const rows = Array.from(document.querySelectorAll('#log-rows > div:not([hidden])'))
    .filter(d => d.getBoundingClientRect().bottom > port.top + 1)
    .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
  return rows[0].querySelector('.tx').textContent;
})()`
	// Scrolled, then two frames: the scroll handler has placed the rows.
	require.NoError(t, chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`(() => {
  document.getElementById('log-port').scrollTop -= 2000;
  return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r())));
})()`, chromedp.EvalAwaitPromise)))
	before, err := chromedp.Run(ctx, chromedp.Evaluate[string](topText))
	require.NoError(t, err)
	partial, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector('#log-port.log-partial')`))
	require.NoError(t, err)
	require.True(t, partial, "the whole log came before the scroll: the link was not slow enough")

	require.NoError(t, chromedp.Do(ctx, chromedp.WaitNotPresent(chromedp.CSS(`#log-port.log-partial`))))
	after, err := chromedp.Run(ctx, chromedp.Evaluate[string](topText))
	require.NoError(t, err)
	assert.Equal(t, before, after, "the line at the top stays at the top")
	lines := shown(t, ctx)
	assert.Greater(t, lines[0], 400_000, "now numbered as in the whole log")
}

// TestAFailedJobOpenedFromAListAsksForItsEndAtOnce: a failed job clicked in
// the job list is known to be failed for good (gitlab-api.md §8.3), so its
// log asks for the end without first asking for the job: the only job
// request of the visit is the header's, and the end comes first (issue 12).
func TestAFailedJobOpenedFromAListAsksForItsEndAtOnce(t *testing.T) {
	requireBrowser(t)
	emu := gitlabfake.New(gitlabfake.Options{Frozen: true, Trace: gitlabfake.TraceOptions{Ranges: gitlabfake.RangesFinished}})
	rec := &apiRecorder{next: emu}
	api := httptest.NewServer(rec)
	t.Cleanup(api.Close)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	project := emu.Info().Projects[0]

	openJobs(t, ctx, srv.URL, api.URL, project)
	id, err := chromedp.Run(ctx, chromedp.Evaluate[int64](`Number(document.querySelector('#job-list li.job:has(.st-failed)').dataset.id)`))
	require.NoError(t, err)
	require.Positive(t, id, "the list's first page has a failed job")
	want := traceOf(t, api.URL, project, id)
	before := len(rec.requests())
	link := `#job-list li.job[data-id="` + strconv.FormatInt(id, 10) + `"] .job-name`
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`document.querySelector(`+jsString(link)+`).scrollIntoView({block: "center"})`),
		chromedp.Click(chromedp.CSS(link)),
	))
	total := loadedLines(t, ctx, want.Len())
	require.Eventually(t, func() bool {
		l := shown(t, ctx)
		return l[len(l)-1] == total
	}, 10*time.Second, 100*time.Millisecond, "the failed job's log is shown at its end")

	var jobGets, traces []string
	for _, r := range rec.requests()[before:] {
		switch {
		case strings.HasSuffix(r, "/jobs/"+strconv.FormatInt(id, 10)):
			jobGets = append(jobGets, r)
		case strings.Contains(r, "/trace"):
			traces = append(traces, r)
		}
	}
	assert.Len(t, jobGets, 1, "the header asks for the job once; the log does not wait for it")
	require.NotEmpty(t, traces)
	assert.Contains(t, traces[0], "bytes=-524288", "the end first")
}

// apiRecorder keeps each GET the API was asked, as "path range".
type apiRecorder struct {
	next http.Handler
	mu   sync.Mutex
	seen []string
}

func (a *apiRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		a.mu.Lock()
		a.seen = append(a.seen, strings.TrimSpace(r.URL.Path+" "+r.Header.Get("Range")))
		a.mu.Unlock()
	}
	a.next.ServeHTTP(w, r)
}

func (a *apiRecorder) requests() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.seen...)
}
