package browsertest

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/jobscope/jobscope/internal/site"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// projectsLoaded waits for the project list to arrive. Until then the list
// above the paste form grows (skeleton rows, then projects), and a click at
// where its button was lands on nothing.
var projectsLoaded = chromedp.WaitVisible(chromedp.CSS("#project-list li.project-row:not(.skeleton) a"))

func TestProjectsListsYourProjectsAndOpensTheirJobs(t *testing.T) {
	requireBrowser(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/open"),
		connectTo(api.URL, gitlabfake.DefaultToken),
		chromedp.Navigate(srv.URL+"/projects"), waitApp, projectsLoaded,
	))
	paths, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('#project-list .project')].map(s => s.textContent)`))
	require.NoError(t, err)
	assert.ElementsMatch(t, emu.Info().Projects, paths, "every project the demo user is a member of")
	require.NoError(t, Screenshots(ctx, "projects", chromedp.WaitVisible(chromedp.CSS("#project-list a"))))

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#project-list li a")),
		chromedp.WaitVisible(chromedp.CSS("#job-list li.job:not(.skeleton)")),
	))
	loc, err := chromedp.Run(ctx, chromedp.Location())
	require.NoError(t, err)
	assert.Regexp(t, `/projects/.+/-/jobs$`, loc)
}

func TestAPastedGitLabAddressOpensTheSameThing(t *testing.T) {
	requireBrowser(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	project := emu.Info().Projects[0]

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/open"),
		connectTo(api.URL, gitlabfake.DefaultToken),
		chromedp.Navigate(srv.URL+"/projects"), waitApp, projectsLoaded,
		fill("gitlab-url", api.URL+"/"+project+"/-/pipelines/123"),
		chromedp.Click(chromedp.CSS(`form.paste button[type=submit]`)),
		chromedp.Poll[chromedp.Void](`location.pathname.endsWith("/pipelines/123")`),
	))
	loc, err := chromedp.Run(ctx, chromedp.Location())
	require.NoError(t, err)
	assert.Equal(t, srv.URL+"/projects/"+project+"/-/pipelines/123", loc, "gitlab-api.md §12 shapes map onto the app's routes")

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/projects"), waitApp, projectsLoaded,
		fill("gitlab-url", "https://gitlab.unknown.example/g/p/-/jobs/1"),
		chromedp.Click(chromedp.CSS(`form.paste button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`form.paste .notice-error`)),
	))
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`form.paste .notice-error`)))
	require.NoError(t, err)
	assert.Contains(t, text, "not connected to gitlab.unknown.example")
}
