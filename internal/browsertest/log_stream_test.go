package browsertest

import (
	"net/http"
	"net/http/httptest"
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
	const mbit = 1e6 / 8
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/open"),
		connectTo(api.URL, gitlabfake.DefaultToken),
		setNetwork(t, protocol.Conditions{Latency: 30, DownloadThroughput: 100 * mbit, UploadThroughput: 100 * mbit}),
		chromedp.Navigate(srv.URL+app.Route{Screen: app.ScreenLog, Project: project, ID: job.ID}.Path()),
		waitApp, firstRows,
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
// closes half way (the emulator's Cut fault, once): the lines that arrived
// stay on screen, and the next request brings the rest: the whole log shows.
func TestACutDownloadKeepsWhatArrivedAndLoadsTheRest(t *testing.T) {
	requireBrowser(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	project, job := findJobNamed(t, api.URL, emu.Info().Projects[:1], "huge-log")
	want := traceOf(t, api.URL, project, job.ID)
	emu.SetFault(gitlabfake.RouteTrace, gitlabfake.Fault{Cut: true, Times: 1})
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/open"),
		connectTo(api.URL, gitlabfake.DefaultToken),
		chromedp.Navigate(srv.URL+app.Route{Screen: app.ScreenLog, Project: project, ID: job.ID}.Path()),
		waitApp, firstRows,
	))
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
