package browsertest

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/jobscope/jobscope/internal/site"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// notificationHook records every system notification and app badge the page
// asks for, whichever way (the constructor, or the service worker's
// showNotification), and still lets them through.
const notificationHook = `
window.__notes = [];
window.__badge = null;
(() => {
  const N = window.Notification;
  if (N) {
    const Hooked = function (title, opts) {
      window.__notes.push({ title: String(title), body: String((opts && opts.body) || "") });
      try { return new N(title, opts); } catch (e) { return {}; }
    };
    Hooked.requestPermission = (...a) => N.requestPermission(...a);
    Object.defineProperty(Hooked, "permission", { get: () => N.permission });
    window.Notification = Hooked;
  }
  if (window.ServiceWorkerRegistration) {
    const show = ServiceWorkerRegistration.prototype.showNotification;
    ServiceWorkerRegistration.prototype.showNotification = function (title, opts) {
      window.__notes.push({ title: String(title), body: String((opts && opts.body) || "") });
      return show.call(this, title, opts);
    };
  }
  navigator.setAppBadge = (n) => { window.__badge = n; return Promise.resolve(); };
  navigator.clearAppBadge = () => { window.__badge = 0; return Promise.resolve(); };
})();`

type note struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

// TestAWatchedRunningJobThatFinishesRaisesANotification: watch a running job,
// move the emulator's clock past its end, and a notification with its status
// appears; the badge counts it if it failed (issue 5, "Watch and notify").
func TestAWatchedRunningJobThatFinishesRaisesANotification(t *testing.T) {
	requireBrowser(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	project := emu.Info().Projects[0]
	job := findJob(t, api.URL, project, gitlab.StatusRunning, nil)
	ctx := newTab(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: notificationHook}); err != nil {
			return err
		}
		_, err := chromedp.CallBrowser(ctx, cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{
			Permission: &cdpbrowser.PermissionDescriptor{Name: "notifications"},
			Setting:    cdpbrowser.PermissionSettingGranted,
			Origin:     srv.URL,
		})
		return err
	})))

	openJob(t, ctx, srv.URL, api.URL, gitlabfake.DefaultToken, project, job.ID)
	require.NoError(t, chromedp.Do(ctx,
		showDetails,
		chromedp.Click(chromedp.ID("job-watch")),
		chromedp.WaitVisible(chromedp.CSS(`#job-watch[aria-pressed="true"]`)),
	))
	notes, err := chromedp.Run(ctx, chromedp.Evaluate[[]note](`window.__notes`))
	require.NoError(t, err)
	require.Empty(t, notes, "nothing is said while the job runs")
	require.NoError(t, Screenshots(ctx, "watch-job", chromedp.WaitVisible(chromedp.ID("job-watch"))))

	resp, err := http.Post(api.URL+"/-/emulator/clock", "application/json", bytes.NewReader([]byte(`{"advance":"30m"}`)))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	c, err := gitlab.New(api.URL, gitlab.PrivateToken(gitlabfake.DefaultToken), gitlab.WithBackoff(gitlab.NoBackoff))
	require.NoError(t, err)
	done, err := c.GetJob(context.Background(), gitlab.ProjectPath(project), job.ID)
	require.NoError(t, err)
	require.True(t, done.Status.Finished(), "the emulator finished the job (%s)", done.Status)

	wait, cancel := context.WithTimeout(ctx, 30*time.Second) // the first poll is 5 s after the watch
	defer cancel()
	_, err = chromedp.Run(wait, chromedp.Poll[bool](`window.__notes.length > 0`))
	require.NoError(t, err, "a notification appears")
	notes, err = chromedp.Run(ctx, chromedp.Evaluate[[]note](`window.__notes`))
	require.NoError(t, err)
	require.Len(t, notes, 1, "one notification per finished item")
	assert.Contains(t, notes[0].Title, "Job #"+strconv.FormatInt(job.ID, 10))
	assert.Contains(t, notes[0].Title, ": "+string(done.Status), "it says the status")
	assert.Equal(t, project, notes[0].Body)
	wantBadge := 0
	if done.Status == gitlab.StatusFailed {
		wantBadge = 1
	}
	badge, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.__badge || 0`))
	require.NoError(t, err)
	assert.Equal(t, wantBadge, badge, "the badge counts the watched jobs that failed")
}
