package browsertest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/app"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/jobscope/jobscope/internal/site"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A sign-in asks for read_api only; the first action (here Retry) says why
// it needs api, sends the user through GitLab's consent once more, comes back
// to the same job, and then the action goes through (issue 7,
// gitlab-oauth.md §1 scopes, gitlab-api.md §2.1: read_api gets 403 on POST).
func TestTheFirstActionAsksForTheAPIScopeAndThenActs(t *testing.T) {
	requireBrowser(t)
	r := signedInOnAFailedJob(t)
	ctx, j, jobPath := r.ctx, r.job, r.jobPath

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("job-retry")),
		chromedp.WaitVisible(chromedp.ID("allow-actions")),
	))
	require.NoError(t, Screenshots(ctx, "oauth-upgrade", chromedp.WaitVisible(chromedp.ID("allow-actions"))))
	why, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".scope-upgrade, #allow-actions")))
	require.NoError(t, err)
	assert.NotEmpty(t, why)
	problem := textIfAny(t, ctx, "#job-problem")
	assert.Empty(t, problem, "no token advice for a sign-in: it offers the upgrade instead")

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("allow-actions")),
		acrossNavigation(chromedp.WaitVisible(chromedp.ID("authorize"))), // GitLab's consent page, asking for api
	))
	consent := textIfAny(t, ctx, "body")
	assert.Contains(t, consent, "api", "the consent page names the scope asked for")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("authorize")),
		acrossNavigation(chromedp.Poll[chromedp.Void](`location.pathname.endsWith(`+strconv.Quote(jobPath)+`)`)),
		acrossNavigation(waitApp),
		acrossNavigation(chromedp.WaitVisible(chromedp.ID("job-retry"))),
		chromedp.Click(chromedp.ID("job-retry")),
		chromedp.Poll[chromedp.Void](`!location.pathname.endsWith("/jobs/`+strconv.FormatInt(j.ID, 10)+`")`),
		chromedp.WaitVisible(chromedp.ID("job-status")),
	))
	assert.Contains(t, text(t, ctx, "h1"), j.Name, "the retry opened the new job")
}

// acrossNavigation runs wait again while the page it started on is being
// replaced: a click that leads to a top-level navigation (here after the
// app's own async work) can pull the document out from under a query, and
// chromedp then reports the lost context instead of waiting on.
func acrossNavigation(wait chromedp.Action[chromedp.Void]) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		for {
			err := chromedp.Do(ctx, wait)
			if err == nil || ctx.Err() != nil || !isNavigationError(err) {
				return err
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}

func isNavigationError(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "Cannot find context with specified id") ||
		strings.Contains(msg, "Inspected target navigated or closed") ||
		strings.Contains(msg, "Execution context was destroyed")
}

// A sign-in that ended on GitLab (its refresh token revoked, here by the
// user on GitLab's Applications page) is not a dead end, and not a trap
// either: the next request's refresh gets invalid_grant (here the watch
// poller's, which no click started), and the page says so with "Sign in
// again" instead of leaving for GitLab, so a half-typed "run with
// variables" form stays. The click signs in again and comes back to the
// same screen (issue 15; gitlab-oauth.md §2: revoking either token kills
// the pair).
func TestARevokedSignInSignsInAgainOnTheSameScreen(t *testing.T) {
	requireBrowser(t)
	r := signedInOnAFailedJob(t)
	emu, api, tap, ctx := r.emu, r.api, r.tap, r.ctx
	project := emu.Info().Projects[0]
	manual := findJob(t, api.URL, project, gitlab.StatusManual, nil)
	jobPath := app.Route{Screen: app.ScreenJob, Project: project, ID: manual.ID}.Path()
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(r.siteURL+jobPath), waitApp, // a manual job, still signed in
		chromedp.WaitVisible(chromedp.ID("job-play")),
	))
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("job-play")),
		chromedp.WaitVisible(chromedp.ID("play-form")),
		chromedp.Click(chromedp.CSS("#play-form button.small")),
		chromedp.WaitVisible(chromedp.CSS(`#play-form input[placeholder="KEY"]`)),
		chromedp.Evaluate[chromedp.Void](`(() => {
  const k = document.querySelector('#play-form input');
  k.value = "HALF_TYPED"; k.dispatchEvent(new Event('change', {bubbles: true}));
})()`),
		showDetails,
		chromedp.Click(chromedp.ID("job-watch")), // the watch poller will ask about it
		chromedp.WaitVisible(chromedp.CSS(`#job-watch[aria-pressed="true"]`)),
	))
	before, refresh := tap.secrets()
	revoke(t, api.URL, refresh[len(refresh)-1])
	emu.AdvanceClock(2*time.Hour + time.Minute) // the access token is dead too

	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.ID("sign-in-again"))))
	typed, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#play-form input').value`))
	require.NoError(t, err)
	assert.Equal(t, "HALF_TYPED", typed, "the form is still there, as typed")
	path, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
	require.NoError(t, err)
	assert.True(t, strings.HasSuffix(path, jobPath), "still on the job: %s", path)
	require.NoError(t, Screenshots(ctx, "oauth-sign-in-again", chromedp.WaitVisible(chromedp.ID("sign-in-again"))))

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("sign-in-again")),
		acrossNavigation(chromedp.WaitVisible(chromedp.ID("authorize"))), // GitLab's consent page again
		chromedp.Click(chromedp.ID("authorize")),
		acrossNavigation(chromedp.Poll[chromedp.Void](`location.pathname.endsWith(`+strconv.Quote(jobPath)+`)`)),
		acrossNavigation(waitApp),
		acrossNavigation(chromedp.WaitVisible(chromedp.ID("job-status"))),
	))
	access, _ := tap.secrets()
	assert.Len(t, access, len(before)+1, "one new pair, from the new consent: no refresh with the dead token succeeded")
	assert.Empty(t, textIfAny(t, ctx, "#signin-ended"), "signed in again, nothing more to offer")
}

// signedInJob is a tab signed in with GitLab ("stay signed in", so page
// loads keep the sign-in) on a failed job's page.
type signedInJob struct {
	emu     *gitlabfake.Server
	api     *httptest.Server
	tap     *tokenTap
	ctx     context.Context
	job     gitlab.Job
	jobPath string
	siteURL string
}

func signedInOnAFailedJob(t *testing.T) signedInJob {
	t.Helper()
	emu, api, tap := serveOAuthEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	project := emu.Info().Projects[0]
	j := findJob(t, api.URL, project, gitlab.StatusFailed, nil)
	jobPath := app.Route{Screen: app.ScreenJob, Project: project, ID: j.ID}.Path()
	require.NoError(t, chromedp.Do(ctx,
		startSignIn(srv.URL, api.URL, true),
		chromedp.Click(chromedp.ID("authorize")),
		projectsLoaded,
		chromedp.Navigate(srv.URL+jobPath), waitApp,
		chromedp.WaitVisible(chromedp.ID("job-status")),
	))
	return signedInJob{emu: emu, api: api, tap: tap, ctx: ctx, job: j, jobPath: jobPath, siteURL: srv.URL}
}

// revoke revokes token on GitLab as its owner would (oauth §2).
func revoke(t *testing.T, apiURL, token string) {
	t.Helper()
	resp, err := http.PostForm(apiURL+"/oauth/revoke", url.Values{"client_id": {gitlabfake.DemoClientID}, "token": {token}})
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
}
