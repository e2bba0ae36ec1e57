package browsertest

import (
	"context"
	"strconv"
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

// findJob returns the newest job of project with the given status, asking
// the emulator directly.
func findJob(t *testing.T, apiURL, project string, status gitlab.Status, pred func(gitlab.Job) bool) gitlab.Job {
	t.Helper()
	c, err := gitlab.New(apiURL, gitlab.PrivateToken(gitlabfake.DefaultToken), gitlab.WithBackoff(gitlab.NoBackoff))
	require.NoError(t, err)
	scope, err := gitlab.ScopeSetOf(status)
	require.NoError(t, err)
	for j, err := range c.AllProjectJobs(context.Background(), gitlab.ProjectPath(project), gitlab.ListProjectJobsOptions{Scope: scope, Keyset: true}) {
		require.NoError(t, err)
		if pred == nil || pred(j) {
			return j
		}
	}
	t.Fatalf("no %s job in %s", status, project)
	return gitlab.Job{}
}

// openJob opens a job's page connected with token and waits for its status.
func openJob(t *testing.T, ctx context.Context, siteURL, apiURL, token, project string, id int64) {
	t.Helper()
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(siteURL+"/open"),
		connectTo(apiURL, token),
		chromedp.Navigate(siteURL+app.Route{Screen: app.ScreenJob, Project: project, ID: id}.Path()),
		waitApp,
		chromedp.WaitVisible(chromedp.ID("job-status")),
	))
}

func text(t *testing.T, ctx context.Context, css string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
	require.NoError(t, err)
	return s
}

func TestAFailedJobSaysWhyInWords(t *testing.T) {
	requireBrowser(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	project := emu.Info().Projects[0]
	j := findJob(t, api.URL, project, gitlab.StatusFailed, func(j gitlab.Job) bool { return j.FailureReason == gitlab.FailureScript })

	openJob(t, ctx, srv.URL, api.URL, gitlabfake.DefaultToken, project, j.ID)
	require.NoError(t, chromedp.Do(ctx, showDetails))

	assert.Equal(t, "failed", text(t, ctx, "#job-status"))
	assert.Contains(t, text(t, ctx, ".job-status .failure"), "because the script failed")
	fields := text(t, ctx, "dl.fields")
	for _, want := range []string{"Stage", j.Stage, "Commit", j.Commit.ShortID, "Pipeline", "#" + strconv.FormatInt(j.Pipeline.ID, 10), "Runner", "Queued for", "Duration"} {
		assert.Contains(t, fields, want)
	}
	require.NoError(t, Screenshots(ctx, "job-failed", chromedp.WaitVisible(chromedp.ID("job-status"))))
}

func TestRetryOpensTheNewJob(t *testing.T) {
	requireBrowser(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	project := emu.Info().Projects[0]
	j := findJob(t, api.URL, project, gitlab.StatusFailed, nil)
	openJob(t, ctx, srv.URL, api.URL, gitlabfake.DefaultToken, project, j.ID)

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("job-retry")),
		chromedp.Poll[chromedp.Void](`!location.pathname.endsWith("/jobs/`+strconv.FormatInt(j.ID, 10)+`")`),
		chromedp.WaitVisible(chromedp.ID("job-status")),
	))
	loc, err := chromedp.Run(ctx, chromedp.Location())
	require.NoError(t, err)
	newID, err := strconv.ParseInt(loc[strings.LastIndex(loc, "/")+1:], 10, 64)
	require.NoError(t, err, "the page is a job page: %s", loc)
	assert.Greater(t, newID, j.ID, "the retry is a new, newer job")
	assert.Contains(t, text(t, ctx, "h1"), j.Name)
}

func TestEraseNamesWhatIsLostThenErases(t *testing.T) {
	requireBrowser(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	project := emu.Info().Projects[0]
	j := findJob(t, api.URL, project, gitlab.StatusSuccess, func(j gitlab.Job) bool { return j.ErasedAt == nil && !j.Archived && len(j.Artifacts) > 1 })
	openJob(t, ctx, srv.URL, api.URL, gitlabfake.DefaultToken, project, j.ID)

	require.NoError(t, chromedp.Do(ctx, showDetails, chromedp.Click(chromedp.ID("job-erase")), chromedp.WaitVisible(chromedp.ID("erase-confirm"))))
	assert.Contains(t, text(t, ctx, "#erase-confirm"), "deletes its log and all its artifacts for good")

	require.NoError(t, Screenshots(ctx, "job-erase-confirm", chromedp.WaitVisible(chromedp.ID("erase-confirm"))))

	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.ID("erase-yes")), chromedp.WaitVisible(chromedp.CSS("#job-notice, #job-problem"))))
	require.Empty(t, textIfAny(t, ctx, "#job-problem"), "GitLab accepted the erase")
	assert.Contains(t, text(t, ctx, ".job-status"), "erased")
	present, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.getElementById("job-erase")`))
	require.NoError(t, err)
	assert.False(t, present, "an erased job offers no erase")
}

func TestAReadOnlyTokenGetsGitLabsRefusalInWords(t *testing.T) {
	requireBrowser(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	project := emu.Info().Projects[0]
	j := findJob(t, api.URL, project, gitlab.StatusFailed, nil)
	openJob(t, ctx, srv.URL, api.URL, gitlabfake.ReadAPIToken, project, j.ID)

	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.ID("job-retry")), chromedp.WaitVisible(chromedp.ID("job-problem"))))
	msg := text(t, ctx, "#job-problem")
	assert.Contains(t, msg, "Retry: ")
	assert.Contains(t, msg, "lacks the scope", "gitlab-api.md §2.1: read_api cannot act (403 insufficient_scope)")
	assert.Equal(t, "failed", text(t, ctx, "#job-status"), "what was loaded stays on screen")
}

func TestCancelARunningJob(t *testing.T) {
	requireBrowser(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	project := emu.Info().Projects[0]
	j := findJob(t, api.URL, project, gitlab.StatusRunning, nil)
	openJob(t, ctx, srv.URL, api.URL, gitlabfake.DefaultToken, project, j.ID)

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("job-cancel")),
		chromedp.Poll[chromedp.Void](`["canceling", "canceled"].includes(document.getElementById("job-status").textContent)`),
	))
}

func TestRunAManualJobWithAVariable(t *testing.T) {
	requireBrowser(t)
	emu, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	project := emu.Info().Projects[0]
	j := findJob(t, api.URL, project, gitlab.StatusManual, nil)
	openJob(t, ctx, srv.URL, api.URL, gitlabfake.DefaultToken, project, j.ID)

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("job-play")),
		chromedp.WaitVisible(chromedp.ID("play-form")),
		chromedp.Click(chromedp.CSS("#play-form button.small")),
		chromedp.WaitVisible(chromedp.CSS(`#play-form input[placeholder="KEY"]`)),
		chromedp.Evaluate[chromedp.Void](`(() => {
  const [k, v] = document.querySelectorAll('#play-form input');
  k.value = "DEPLOY_TARGET"; k.dispatchEvent(new Event('change', {bubbles: true}));
  v.value = "staging"; v.dispatchEvent(new Event('change', {bubbles: true}));
})()`),
		chromedp.Click(chromedp.ID("play-run")),
		chromedp.Poll[chromedp.Void](`document.getElementById("job-status").textContent !== "manual"`),
	))
	assert.NotEqual(t, "manual", text(t, ctx, "#job-status"))
}

func textIfAny(t *testing.T, ctx context.Context, css string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector(`+jsString(css)+`) || {}).textContent || ""`))
	require.NoError(t, err)
	return s
}
