package browsertest

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/internal/site"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTheJobListLoadsMoreAsItsEndComesIntoView: scrolling to the list's end
// loads the next page, with no click (the observer of the end was once set
// up before the end was in the document, and nothing loaded).
func TestTheJobListLoadsMoreAsItsEndComesIntoView(t *testing.T) {
	requireBrowser(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	openJobs(t, ctx, srv.URL, api.URL, emu.Info().Projects[0])
	const rows = `document.querySelectorAll('#job-list li.job[data-id]').length`
	first, err := chromedp.Run(ctx, chromedp.Evaluate[int](rows))
	require.NoError(t, err)
	require.NoError(t, chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById('jobs-end').scrollIntoView({block: 'end'})`)))
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](rows+` > `+itoa(int64(first))))
	require.NoError(t, err, "the next page loads")
	ids, err := chromedp.Run(ctx, chromedp.Evaluate[[]int64](`[...document.querySelectorAll('#job-list li.job[data-id]')].map(li => Number(li.dataset.id))`))
	require.NoError(t, err)
	for i := 1; i < len(ids); i++ {
		assert.Greater(t, ids[i-1], ids[i], "newest first across pages (gitlab-api.md §5.1)")
	}
}
