package browsertest

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/app"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/jobscope/jobscope/internal/site"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// connectTo saves a connection to api in the tab's localStorage (the app's
// own settings format), as an earlier visit would have.
func connectTo(apiURL, token string) chromedp.Action[chromedp.Void] {
	settings := `{"instances":[{"base_url":` + jsString(apiURL) + `,"token":` + jsString(token) + `,"remember":true,"user":"jobscope-demo"}],"active":` + jsString(apiURL) + `}`
	return chromedp.Evaluate[chromedp.Void](`localStorage.setItem("jobscope.settings.v1", ` + jsString(settings) + `)`)
}

// openJobs opens a project's job list connected to the emulator and waits
// for its first page.
func openJobs(t *testing.T, ctx context.Context, siteURL, apiURL, project string) {
	t.Helper()
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(siteURL+"/open"), // any page of the origin, to reach its localStorage
		connectTo(apiURL, gitlabfake.DefaultToken),
		chromedp.Navigate(siteURL+app.Route{Screen: app.ScreenJobs, Project: project}.Path()),
		waitApp,
		chromedp.WaitVisible(chromedp.CSS("#job-list li.job:not(.skeleton)")),
	))
}

func TestTheJobListShowsTheProjectsJobsNewestFirst(t *testing.T) {
	requireBrowser(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	project := emu.Info().Projects[0]

	openJobs(t, ctx, srv.URL, api.URL, project)

	ids, err := chromedp.Run(ctx, chromedp.Evaluate[[]int64](
		`[...document.querySelectorAll('#job-list li.job[data-id]')].map(li => Number(li.dataset.id))`))
	require.NoError(t, err)
	require.NotEmpty(t, ids)
	for i := 1; i < len(ids); i++ {
		assert.Greater(t, ids[i-1], ids[i], "newest first (gitlab-api.md §5.1: id descending)")
	}
	first, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#job-list li.job")))
	require.NoError(t, err)
	assert.Contains(t, first, "pipeline #", "rows name their pipeline")
	require.NoError(t, Screenshots(ctx, "jobs", chromedp.WaitVisible(chromedp.CSS("#job-list li.job"))))
}

func TestAScopeChipFiltersTheListOnTheServer(t *testing.T) {
	requireBrowser(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	openJobs(t, ctx, srv.URL, api.URL, emu.Info().Projects[0])

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`.chips button:nth-child(8)`)), // "failed", GitLab's order (§8.1)
		chromedp.WaitVisible(chromedp.CSS(`.chips button[aria-pressed="true"]`)),
		chromedp.WaitNotPresent(chromedp.CSS("#job-list li.skeleton")),
	))
	pressed, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`.chips button[aria-pressed="true"]`)))
	require.NoError(t, err)
	require.Equal(t, "failed", pressed)
	statuses, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('#job-list li.job .status')].map(s => s.textContent)`))
	require.NoError(t, err)
	require.NotEmpty(t, statuses, "the demo project has failed jobs")
	for _, s := range statuses {
		assert.Equal(t, "failed", s)
	}
}

func TestHostileJobTextIsOnlyText(t *testing.T) {
	requireBrowser(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	openJobs(t, ctx, srv.URL, api.URL, emu.Info().Projects[0])

	// Filter on what is loaded until a hostile name is on screen. With every
	// loaded row filtered out, the end of the list is in view, so the list
	// loads page after page by itself (a Load more button that such a page
	// replaces is no target for a click); it stops at a match or at the end.
	require.NoError(t, chromedp.Do(ctx,
		fill("job-filter", "<"),
		chromedp.WaitVisible(chromedp.CSS(`#job-list li.job[data-id], #jobs-end .hint`)),
	))
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#job-list li.job[data-id]').length`))
	require.NoError(t, err)
	require.Positive(t, n, "a job with markup in its name exists in the seed")
	names, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('#job-list li.job .job-name')].map(a => a.textContent)`))
	require.NoError(t, err)
	require.NotEmpty(t, names)
	assert.True(t, strings.Contains(strings.Join(names, "\n"), "<"), "markup shows as characters: %q", names)

	injected, err := chromedp.Run(ctx, chromedp.Evaluate[int](
		`document.querySelectorAll('#job-list img, #job-list script, #job-list iframe, #job-list [onerror], #job-list [onclick]').length`))
	require.NoError(t, err)
	assert.Zero(t, injected, "no element came from job text")
	assert.Empty(t, xssHits(t, ctx), "no script ran and the CSP refused nothing")
	assertNoDialog(t, dialogs)
	require.NoError(t, Screenshots(ctx, "jobs-hostile", chromedp.WaitVisible(chromedp.CSS("#job-list li.job"))))
}

func TestRetryFromTheListPutsTheNewJobOnTop(t *testing.T) {
	requireBrowser(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	openJobs(t, ctx, srv.URL, api.URL, emu.Info().Projects[0])
	top, err := chromedp.Run(ctx, chromedp.Evaluate[int64](`Number(document.querySelector('#job-list li.job[data-id]').dataset.id)`))
	require.NoError(t, err)

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#job-list li.job:has(.st-failed) button.action`)),
		// New jobs go in a list of their own above the loaded ones (issue 16).
		chromedp.Poll[chromedp.Void](`Number(document.querySelector('main li.job[data-id]').dataset.id) > `+strconv.FormatInt(top, 10)),
	))
	status, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main li.job .status`)))
	require.NoError(t, err)
	assert.Contains(t, []string{"pending", "created", "running", "waiting for resource", "preparing"}, status, "the retry is a new job, queued")
}
