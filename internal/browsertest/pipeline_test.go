package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/app"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/jobscope/jobscope/internal/site"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The emulator's showcase pipeline has a retried job and a trigger job
// (gitlabfake.Info.PipelineID).
func TestAPipelineShowsStagesRetriedJobsAndItsDownstream(t *testing.T) {
	requireBrowser(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	info := emu.Info()
	page := srv.URL + app.Route{Screen: app.ScreenPipeline, Project: info.Projects[0], ID: info.PipelineID}.Path()

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/open"),
		connectTo(api.URL, gitlabfake.DefaultToken),
		chromedp.Navigate(page), waitApp,
		chromedp.WaitVisible(chromedp.CSS("#stages .stage")),
	))
	stages, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#stages .stage')].map(s => s.dataset.stage)`))
	require.NoError(t, err)
	assert.GreaterOrEqual(t, len(stages), 2, "jobs are grouped by stage: %v", stages)

	hidden, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#stages .stage-job.retried').length`))
	require.NoError(t, err)
	assert.Zero(t, hidden, "retried attempts are hidden at first")
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.ID("show-retried")), chromedp.WaitVisible(chromedp.CSS("#stages .stage-job.retried"))))
	require.NoError(t, Screenshots(ctx, "pipeline", chromedp.WaitVisible(chromedp.CSS("#stages .stage"))))

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#stages a.bridge")),
		chromedp.Poll[chromedp.Void](`!location.href.endsWith(`+jsString(strings.TrimPrefix(page, srv.URL))+`)`),
		chromedp.WaitVisible(chromedp.CSS("#pipeline-status")),
	))
	title, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main h1")))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(title, "Pipeline #"), "the trigger job leads to the downstream pipeline: %q", title)

	require.NoError(t, chromedp.Do(ctx, chromedp.NavigateBack(), chromedp.WaitVisible(chromedp.CSS("#stages .stage"))))
	loc, err := chromedp.Run(ctx, chromedp.Location())
	require.NoError(t, err)
	assert.Equal(t, page, loc, "and back")
}
