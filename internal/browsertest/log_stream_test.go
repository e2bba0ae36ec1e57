package browsertest

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/app"
	"github.com/jobscope/jobscope/internal/browsertest/protocol"
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
