package browsertest

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/jobscope/jobscope/internal/site"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A failing page of the job list is said in words, and what was loaded stays.
func TestAFailingPageKeepsWhatWasLoaded(t *testing.T) {
	requireBrowser(t)
	cases := []struct {
		name  string
		fault gitlabfake.Fault
		want  string
	}{
		{"a server error, after the client's retries", gitlabfake.Fault{Status: 500}, "had an error (500"},
		{"a malformed reply", gitlabfake.Fault{Malformed: true}, "could not read"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			emu, api := serveEmulator(t)
			srv := serveSite(t, site.ServeOptions{})
			ctx := newTab(t)
			openJobs(t, ctx, srv.URL, api.URL, emu.Info().Projects[0])
			// The first page arrives while the end of the list is still in
			// view, so a second one is fetched by itself: count once the
			// list rests with its Load more button, not while it grows.
			require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.ID("load-more"))))
			before, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#job-list li.job[data-id]').length`))
			require.NoError(t, err)
			require.Positive(t, before)

			// Load more is clicked where it is, below the window: scrolled
			// into view, the list's end would load the next page by itself
			// and replace the button under chromedp's click.
			emu.SetFault(gitlabfake.RouteProjectJobs, tc.fault)
			require.NoError(t, chromedp.Do(ctx,
				clickInPlace("load-more"),
				chromedp.WaitVisible(chromedp.ID("jobs-problem")),
			))
			msg, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("jobs-problem")))
			require.NoError(t, err)
			assert.Contains(t, msg, tc.want)
			after, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#job-list li.job[data-id]').length`))
			require.NoError(t, err)
			assert.Equal(t, before, after, "the loaded jobs stay on screen")

			emu.ClearFaults()
			require.NoError(t, chromedp.Do(ctx,
				clickInPlace("load-more"),
				chromedp.WaitNotPresent(chromedp.ID("jobs-problem")),
			))
			more, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#job-list li.job[data-id]').length`))
			require.NoError(t, err)
			assert.Greater(t, more, before, "trying again continues where it stopped")
		})
	}
}

// clickInPlace clicks the element with this id without scrolling to it.
func clickInPlace(id string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`document.getElementById(` + jsString(id) + `).click()`)
}
