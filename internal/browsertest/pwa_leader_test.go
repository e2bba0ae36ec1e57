package browsertest

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/internal/site"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// locks reads the Web Locks of the origin: how many tabs hold and wait for
// the watch poller's lock.
const locks = `navigator.locks.query().then(s => ({
  held: s.held.filter(l => l.name === "jobscope-watch").length,
  pending: s.pending.filter(l => l.name === "jobscope-watch").length,
}))`

type lockState struct {
	Held    int `json:"held"`
	Pending int `json:"pending"`
}

// TestOneTabPollsForAllTheOthers: with the app open in two tabs, one holds
// the poller's lock and the other waits for it; closing the first hands the
// polling over (issue 5: polling shared across tabs, one poller).
func TestOneTabPollsForAllTheOthers(t *testing.T) {
	requireBrowser(t)
	srv := serveSite(t, site.ServeOptions{})
	first := newTab(t)
	require.NoError(t, chromedp.Do(first, chromedp.Navigate(srv.URL+"/open"), waitApp))
	second := newTab(t)
	require.NoError(t, chromedp.Do(second, chromedp.Navigate(srv.URL+"/open"), waitApp))

	st, err := chromedp.Run(second, chromedp.Evaluate[lockState](locks, chromedp.EvalAwaitPromise))
	require.NoError(t, err)
	assert.Equal(t, lockState{Held: 1, Pending: 1}, st, "one poller, one tab in line")

	require.NoError(t, chromedp.Cancel(first))
	_, err = chromedp.Run(second, chromedp.Poll[bool](`navigator.locks.query().then(s => s.held.some(l => l.name === "jobscope-watch") && !s.pending.some(l => l.name === "jobscope-watch"))`))
	require.NoError(t, err, "the remaining tab takes the polling over")
}
