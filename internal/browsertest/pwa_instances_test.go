package browsertest

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/app"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/jobscope/jobscope/internal/site"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEachInstanceKeepsItsOwnOfflineCopies: two GitLab instances with the
// same project path; offline, the one whose list was never fetched shows no
// copy of the other's, and switching back shows its own (issue 5, "Several
// GitLab instances": switching keeps each instance's cache apart).
func TestEachInstanceKeepsItsOwnOfflineCopies(t *testing.T) {
	requireBrowser(t)
	emu, apiA := serveEmulator(t)
	_, apiB := serveEmulator(t) // the same seed: the same project paths and ids
	srv := serveSite(t, site.ServeOptions{})
	project := emu.Info().Projects[0]
	jobsPage := srv.URL + app.Route{Screen: app.ScreenJobs, Project: project}.Path()
	rows := `document.querySelectorAll('#job-list li.job[data-id]').length`
	ctx := newTab(t)

	openJobs(t, ctx, srv.URL, apiA.URL, project)
	require.NoError(t, chromedp.Do(ctx, installWorker, setOffline(t, true),
		connectTo(apiB.URL, gitlabfake.DefaultToken),
		chromedp.Navigate(jobsPage), waitApp,
		chromedp.WaitVisible(chromedp.ID("jobs-problem")),
	))
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](rows))
	require.NoError(t, err)
	assert.Zero(t, n, "instance B gets nothing of instance A's copies")

	require.NoError(t, chromedp.Do(ctx,
		connectTo(apiA.URL, gitlabfake.DefaultToken),
		chromedp.Navigate(jobsPage), waitApp,
		chromedp.WaitVisible(chromedp.ID("offline-notice")),
		chromedp.WaitVisible(chromedp.CSS("#job-list li.job[data-id]")),
	))
	n, err = chromedp.Run(ctx, chromedp.Evaluate[int](rows))
	require.NoError(t, err)
	assert.Positive(t, n, "instance A's own copy is there")
}
