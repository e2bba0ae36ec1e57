package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/app"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/jobscope/jobscope/internal/site"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWhatWasOpenedIsShownOfflineMarkedStale: a job list and a log opened
// online are shown again offline after a reload, each marked as a copy with
// its age, with actions off; back online, the screen is fetched afresh
// (issue 5, "Offline").
func TestWhatWasOpenedIsShownOfflineMarkedStale(t *testing.T) {
	requireBrowser(t)
	const prefix = "/tools/jobscope/"
	emu, api := serveEmulator(t)
	srv := servePrefixed(t, buildPrefixedSite(t, prefix, site.Options{}), prefix)
	root := srv.URL + strings.TrimSuffix(prefix, "/")
	project := emu.Info().Projects[0]
	// A log of ordinary size: huge-log's 500,000 lines are over the budget.
	job := findJob(t, api.URL, project, gitlab.StatusSuccess, func(j gitlab.Job) bool { return j.Name != "huge-log" })
	jobsPage := root + app.Route{Screen: app.ScreenJobs, Project: project}.Path()
	logPage := root + app.Route{Screen: app.ScreenLog, Project: project, ID: job.ID}.Path()
	rows := chromedp.WaitVisible(chromedp.CSS("#job-list li.job:not(.skeleton)"))
	ctx := newTab(t)

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(root+"/open"), waitApp, installWorker,
		connectTo(api.URL, gitlabfake.DefaultToken),
		chromedp.Navigate(jobsPage), waitApp, rows,
	))
	online, err := chromedp.Run(ctx, chromedp.Evaluate[[]int64](`[...document.querySelectorAll('#job-list li.job[data-id]')].map(li => Number(li.dataset.id))`))
	require.NoError(t, err)
	require.NotEmpty(t, online)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(logPage), waitApp, firstRows))
	onlineLog, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#log-rows`)))
	require.NoError(t, err)
	notices, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#offline-notice").length`))
	require.NoError(t, err)
	require.Zero(t, notices, "online, nothing is marked stale")

	require.NoError(t, chromedp.Do(ctx, setOffline(t, true)))

	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(jobsPage), waitApp, rows, chromedp.WaitVisible(chromedp.ID("offline-notice"))))
	offline, err := chromedp.Run(ctx, chromedp.Evaluate[[]int64](`[...document.querySelectorAll('#job-list li.job[data-id]')].map(li => Number(li.dataset.id))`))
	require.NoError(t, err)
	assert.Equal(t, online, offline, "the cached job list is shown")
	notice := text(t, ctx, "#offline-notice")
	assert.Contains(t, notice, "offline")
	assert.Contains(t, notice, "fetched just now", "the copy says its age")
	enabled, err := chromedp.Run(ctx, chromedp.Evaluate[int](`[...document.querySelectorAll('#job-list button.action')].filter(b => !b.disabled).length`))
	require.NoError(t, err)
	assert.Zero(t, enabled, "actions are off while offline")
	require.NoError(t, Screenshots(ctx, "offline-jobs", chromedp.WaitVisible(chromedp.ID("offline-notice"))))

	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(logPage), waitApp, firstRows, chromedp.WaitVisible(chromedp.ID("offline-notice"))))
	offlineLog, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#log-rows`)))
	require.NoError(t, err)
	require.Greater(t, len(onlineLog), 1000)
	require.Greater(t, len(offlineLog), 1000)
	// The rows near the top; how many more are rendered depends on timing.
	assert.Equal(t, onlineLog[:1000], offlineLog[:1000], "the cached log is shown")
	assert.Contains(t, text(t, ctx, "#offline-notice"), "fetched")

	// Back online: the screen is fetched afresh and the mark goes.
	require.NoError(t, chromedp.Do(ctx, setOffline(t, false), chromedp.WaitNotPresent(chromedp.ID("offline-notice")), firstRows))
}

// holdStore opens the app's offline database in a page and keeps a
// readwrite transaction on both its stores alive, as a page of the origin
// frozen in WebKit's back/forward cache did: every other write waits.
const holdStore = `new Promise((resolve, reject) => {
  const open = indexedDB.open("jobscope-offline", 1);
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const tx = open.result.transaction(["copies", "meta"], "readwrite");
    const meta = tx.objectStore("meta");
    window.__spins = 0;
    const spin = () => { window.__spins++; meta.get("held").onsuccess = spin; };
    spin();
    resolve(true);
  };
})`

// writeWaits reports whether a write to the offline store is still waiting
// after a second: the store is held.
const writeWaits = `new Promise((resolve) => {
  const open = indexedDB.open("jobscope-offline", 1);
  open.onsuccess = () => {
    const tx = open.result.transaction("meta", "readwrite");
    tx.objectStore("meta").put({size: 0, used: 0}, "probe");
    let done = false;
    tx.oncomplete = tx.onerror = tx.onabort = () => { done = true; };
    setTimeout(() => resolve(!done), 1000);
  };
  open.onerror = () => resolve(false);
})`

// TestABusyOfflineStoreHoldsNoReply: while another page of the origin
// holds the offline store, a job's page still shows its header and its log:
// replies do not wait on their copies (internal/offline). Before, every
// reply waited on its copy's write, and the page stayed "Loading" for good,
// as WebKit's suite saw after a failed job's page was left.
func TestABusyOfflineStoreHoldsNoReply(t *testing.T) {
	requireBrowser(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	project := emu.Info().Projects[0]
	job := findJob(t, api.URL, project, gitlab.StatusSuccess, func(j gitlab.Job) bool { return j.Name != "huge-log" })
	ctx := newTab(t)
	// The job list makes the app create its store and keep copies.
	openJobs(t, ctx, srv.URL, api.URL, project)

	holder := newTab(t)
	require.NoError(t, chromedp.Do(holder, chromedp.Navigate(srv.URL+"/open"), waitApp))
	held, err := chromedp.Run(holder, chromedp.Evaluate[bool](holdStore, chromedp.EvalAwaitPromise))
	require.NoError(t, err)
	require.True(t, held)
	waits, err := chromedp.Run(ctx, chromedp.Evaluate[bool](writeWaits, chromedp.EvalAwaitPromise))
	require.NoError(t, err)
	require.True(t, waits, "the store is held: a write waits")

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+app.Route{Screen: app.ScreenJob, Project: project, ID: job.ID}.Path()), waitApp,
		firstRows,
		chromedp.WaitVisible(chromedp.CSS(`main h1 .job-name, main h1`)),
	))
	live := text(t, ctx, "#log-live")
	assert.Contains(t, live, "line", "the log is in: %q", live)
	assert.NotContains(t, live, "Loading")
	still, err := chromedp.Run(ctx, chromedp.Evaluate[bool](writeWaits, chromedp.EvalAwaitPromise))
	require.NoError(t, err)
	assert.True(t, still, "the store was held throughout")
}
