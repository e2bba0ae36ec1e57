package browsertest

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/app"
	"github.com/jobscope/jobscope/extension"
	"github.com/jobscope/jobscope/internal/account"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The extension's browser tests share one chromium with the Chromium package
// loaded (issue 6, "Done means"); each subtest starts from empty storage.
func TestExtension(t *testing.T) {
	requireBrowser(t)
	eb := startExtensionBrowser(t)
	emu, api, tokenSent := serveEmulatorWith(t)
	client, err := gitlab.New(api.URL, gitlab.PrivateToken(gitlabfake.DefaultToken))
	require.NoError(t, err)
	project := emu.Info().Projects[0] // nested: demo/platform/api
	connected := account.Settings{
		Instances: []account.Instance{{BaseURL: api.URL, Token: gitlabfake.DefaultToken, Remember: true, User: "jobscope-demo"}},
		Active:    api.URL,
	}
	ctx := context.Background()
	jobs, _, err := client.ListPipelineJobs(ctx, gitlab.ProjectPath(project), emu.Info().PipelineID, gitlab.ListPipelineJobsOptions{})
	require.NoError(t, err)
	require.NotEmpty(t, jobs)
	job := jobs[0]

	t.Run("the popup on a GitLab page shows what the page is about", func(t *testing.T) {
		pipeline := emu.Info().PipelineID
		cases := []struct {
			name, page string
			want       app.Route
			shows      string // CSS selector that appears once the screen has its data
		}{
			{"job", "/" + project + "/-/jobs/" + itoa(job.ID),
				app.Route{Screen: app.ScreenJob, Project: project, ID: job.ID}, ".job-name"},
			{"pipeline", "/" + project + "/-/pipelines/" + itoa(pipeline),
				app.Route{Screen: app.ScreenPipeline, Project: project, ID: pipeline}, "h1"},
			{"merge-request", "/" + project + "/-/merge_requests/7",
				app.Route{Screen: app.ScreenPipeline, Project: project, ID: 995002}, "h1"},
			{"project", "/" + project,
				app.Route{Screen: app.ScreenJobs, Project: project}, "#job-list li.job:not(.skeleton)"},
			{"elsewhere", "/-/emulator/info",
				app.Route{Screen: app.ScreenProjects}, "h1"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				eb.resetStorage(t)
				eb.setStorage(t, "local", map[string]any{"jobscope.settings.v1": settingsJSON(t, connected)})
				popup := eb.openPopup(t, api.URL+c.page)
				require.NoError(t, chromedp.Do(popup, chromedp.WaitVisible(chromedp.CSS(c.shows))))
				path, err := chromedp.Run(popup, chromedp.Evaluate[string](`location.pathname`))
				require.NoError(t, err)
				assert.Equal(t, c.want.Path(), path)
				if c.want.Screen == app.ScreenJob {
					name, err := chromedp.Run(popup, chromedp.Text(chromedp.CSS(".job-name")))
					require.NoError(t, err)
					assert.Equal(t, job.Name, strings.TrimSpace(name))
				}
				size, err := chromedp.Run(popup, chromedp.Evaluate[[]int](`[innerWidth, innerHeight]`))
				require.NoError(t, err)
				assert.LessOrEqual(t, size[0], 800, "popup width")
				assert.LessOrEqual(t, size[1], 600, "popup height")
				popupShot(t, popup, c.name)
			})
		}
	})

	t.Run("open in a tab shows the same screen in a full tab", func(t *testing.T) {
		eb.resetStorage(t)
		eb.setStorage(t, "local", map[string]any{"jobscope.settings.v1": settingsJSON(t, connected)})
		popup := eb.openPopup(t, api.URL+"/"+project+"/-/jobs/"+itoa(job.ID))
		require.NoError(t, chromedp.Do(popup, chromedp.WaitVisible(chromedp.CSS(".job-name"))))
		before := eb.extensionPages()
		clickClosingPopup(t, popup, "#ext-open-tab")
		var tabID target.ID
		require.Eventually(t, func() bool {
			for id, u := range eb.extensionPages() {
				if _, old := before[id]; !old && strings.Contains(u, "mode=tab") {
					tabID = id
					return true
				}
			}
			return false
		}, 10*time.Second, 100*time.Millisecond, "a full tab opens; targets:\n%s", eb.targets())
		full, cancel := chromedp.NewContext(eb.ctx, chromedp.WithTargetID(tabID))
		defer cancel()
		fctx, cancelF := context.WithTimeout(full, 60*time.Second)
		defer cancelF()
		require.NoError(t, chromedp.Do(fctx, waitApp, chromedp.WaitVisible(chromedp.CSS(".job-name"))))
		path, err := chromedp.Run(fctx, chromedp.Evaluate[string](`location.pathname`))
		require.NoError(t, err)
		assert.Equal(t, app.Route{Screen: app.ScreenJob, Project: project, ID: job.ID}.Path(), path)
		mode, err := chromedp.Run(fctx, chromedp.Evaluate[string](`document.documentElement.dataset.extension`))
		require.NoError(t, err)
		assert.Equal(t, "tab", mode, "full-tab layout, not the popup's size")
	})

	t.Run("the popup registers no service worker of its own", func(t *testing.T) {
		eb.resetStorage(t)
		popup := eb.openPopup(t, api.URL+"/"+project)
		scripts, err := chromedp.Run(popup, chromedp.Evaluate[[]string](`[...document.scripts].map(s => s.getAttribute('src') || 'inline')`))
		require.NoError(t, err)
		assert.Equal(t, []string{"/popup.js", "/wasm_exec.js", "/app.js"}, scripts, "every script is a file of the package")
		regs, err := chromedp.Run(popup, chromedp.Evaluate[[]string](
			`navigator.serviceWorker.getRegistrations().then(rs => rs.map(r => (r.active || r.installing || r.waiting || {}).scriptURL || '?'))`,
			chromedp.EvalAwaitPromise))
		require.NoError(t, err)
		for _, r := range regs {
			assert.True(t, strings.HasSuffix(r, "/background.js"), "only the manifest's background worker: %s", r)
		}
	})

	t.Run("a GitLab page of an instance not added offers access to that origin, and no is an answer", func(t *testing.T) {
		eb.resetStorage(t)
		popup := eb.openPopup(t, api.URL+"/"+project+"/-/jobs/"+itoa(job.ID))
		require.NoError(t, chromedp.Do(popup, chromedp.WaitVisible(chromedp.CSS("#ext-access"))))
		text, err := chromedp.Run(popup, chromedp.Text(chromedp.CSS("#ext-access")))
		require.NoError(t, err)
		assert.Contains(t, text, api.URL, "names the one origin asked for")
		path, err := chromedp.Run(popup, chromedp.Evaluate[string](`location.pathname`))
		require.NoError(t, err)
		assert.Equal(t, app.PathConnect, path, "the viewer offers to connect")
		offered, err := chromedp.Run(popup, chromedp.Evaluate[[]string](`[document.getElementById("signin-base-url").value, document.getElementById("base-url").value]`))
		require.NoError(t, err)
		assert.Equal(t, []string{api.URL, api.URL}, offered, "to that page's GitLab")
		popupShot(t, popup, "access-offer")

		require.NoError(t, chromedp.Do(popup,
			chromedp.Click(chromedp.CSS("#ext-access-no")),
			chromedp.WaitNotPresent(chromedp.CSS("#ext-access")),
		))
		status, err := chromedp.Run(popup, chromedp.Text(chromedp.CSS("#ext-status")))
		require.NoError(t, err)
		assert.Contains(t, status, "Not asked")
		granted, err := chromedp.Run(popup, chromedp.Evaluate[bool](
			`chrome.permissions.contains({origins: [`+jsString(api.URL+"/*")+`]})`, chromedp.EvalAwaitPromise))
		require.NoError(t, err)
		assert.False(t, granted, "no access was granted")

		// No still connects: GitLab's API answers any origin (gitlab-api.md
		// §10). Memory only: the token goes to session storage, never to
		// local storage.
		require.NoError(t, chromedp.Do(popup,
			fill("base-url", api.URL),
			fill("token", gitlabfake.DefaultToken),
			chromedp.Click(chromedp.CSS("#memory-only")),
			chromedp.Click(chromedp.CSS("#check")),
		))
		var connectStatus string
		require.Eventually(t, func() bool {
			connectStatus, _ = chromedp.Run(popup, chromedp.Evaluate[string](`document.getElementById("connect-status").innerText`))
			return strings.Contains(connectStatus, "Connected")
		}, 15*time.Second, 200*time.Millisecond, "connected: %q", connectStatus)
		require.Eventually(t, func() bool {
			s, _ := eb.storage(t, "session")[extension.SessionKey].(string)
			return strings.Contains(s, gitlabfake.DefaultToken)
		}, 15*time.Second, 200*time.Millisecond, "the memory-only token is kept for the browser session")
		local := eb.storage(t, "local")
		assert.Contains(t, local["jobscope.settings.v1"], api.URL, "the instance is saved")
		assert.NotContains(t, local["jobscope.settings.v1"], gitlabfake.DefaultToken, "its token is not")
		popupShot(t, popup, "connected-memory-only")
	})

	t.Run("allowing access opens a full tab, where the browser is asked", func(t *testing.T) {
		eb.resetStorage(t)
		popup := eb.openPopup(t, api.URL+"/"+project+"/-/pipelines/"+itoa(emu.Info().PipelineID))
		before := eb.extensionPages()
		clickClosingPopup(t, popup, "#ext-access-allow")
		var tabID string
		require.Eventually(t, func() bool {
			for id, u := range eb.extensionPages() {
				if _, old := before[id]; !old && strings.Contains(u, "access=") {
					tabID = string(id)
					return true
				}
			}
			return false
		}, 10*time.Second, 100*time.Millisecond, "a full tab opens; targets:\n%s", eb.targets())
		full, cancel := chromedp.NewContext(eb.ctx, chromedp.WithTargetID(target.ID(tabID)))
		defer cancel()
		fctx, cancelF := context.WithTimeout(full, 60*time.Second)
		defer cancelF()
		require.NoError(t, chromedp.Do(fctx, waitApp, chromedp.WaitVisible(chromedp.CSS("#ext-access"))))
		text, err := chromedp.Run(fctx, chromedp.Text(chromedp.CSS("#ext-access")))
		require.NoError(t, err)
		assert.Contains(t, text, api.URL)
		// A script's click carries no user gesture, so Chromium refuses to
		// prompt: the refusal is said. (A real click opens a prompt that
		// headless chromium cannot answer.)
		require.NoError(t, chromedp.Do(fctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("ext-access-allow").click()`)))
		var status string
		require.Eventually(t, func() bool {
			status, _ = chromedp.Run(fctx, chromedp.Text(chromedp.CSS("#ext-status")))
			return status != ""
		}, 10*time.Second, 100*time.Millisecond)
		assert.Contains(t, status, "did not ask")
	})

	t.Run("a memory-only token lives in session storage, never in local storage", func(t *testing.T) {
		eb.resetStorage(t)
		memoryOnly := connected
		memoryOnly.Instances = []account.Instance{{BaseURL: api.URL, Remember: false}}
		eb.setStorage(t, "local", map[string]any{"jobscope.settings.v1": settingsJSON(t, memoryOnly)})
		eb.setStorage(t, "session", map[string]any{
			extension.SessionKey: `{"` + api.URL + `":{"token":"` + gitlabfake.DefaultToken + `"}}`,
		})
		popup := eb.openPopup(t, api.URL+"/"+project+"/-/jobs/"+itoa(job.ID))
		require.NoError(t, chromedp.Do(popup, chromedp.WaitVisible(chromedp.CSS(".job-name"))),
			"the job loads with the token from session storage")
		local := eb.storage(t, "local")
		assert.NotContains(t, local["jobscope.settings.v1"], gitlabfake.DefaultToken, "local storage has no token")
		href, err := chromedp.Run(popup, chromedp.Evaluate[string](`location.href`))
		require.NoError(t, err)
		assert.NotContains(t, href, gitlabfake.DefaultToken)
	})

	t.Run("watched jobs that finish raise notifications and the failed count shows on the badge", func(t *testing.T) {
		eb.resetStorage(t)
		eb.setStorage(t, "local", map[string]any{"jobscope.settings.v1": settingsJSON(t, connected)})
		running, _, err := client.ListProjectJobs(ctx, gitlab.ProjectPath(project), gitlab.ListProjectJobsOptions{Scope: gitlab.ScopeRunning})
		require.NoError(t, err)
		require.NotEmpty(t, running, "the demo has running jobs")
		failed, _, err := client.ListProjectJobs(ctx, gitlab.ProjectPath(project), gitlab.ListProjectJobsOptions{Scope: gitlab.ScopeFailed})
		require.NoError(t, err)
		require.NotEmpty(t, failed)

		// Watch the running job from the popup, as a user does.
		popup := eb.openPopup(t, api.URL+"/"+project+"/-/jobs/"+itoa(running[0].ID))
		require.NoError(t, chromedp.Do(popup,
			chromedp.WaitVisible(chromedp.CSS("#ext-watch")),
			chromedp.Click(chromedp.CSS("#ext-watch")),
		))
		// The popup asks the background to poll the new watch, which rewrites
		// the list with the job's status. Wait for that write before adding
		// to the list below, or the poll's read-merge-write can put back the
		// list it read and drop the added job.
		require.Eventually(t, func() bool {
			w, _ := eb.storage(t, "local")[extension.WatchKey].([]any)
			if len(w) != 1 {
				return false
			}
			m, _ := w[0].(map[string]any)
			return m["status"] == string(gitlab.StatusRunning)
		}, 15*time.Second, 100*time.Millisecond, "the job is on the watch list, polled once by the background")
		popupShot(t, popup, "watching")
		// And a job that already failed, watched earlier.
		watch := eb.storage(t, "local")[extension.WatchKey].([]any)
		watch = append(watch, map[string]any{"base": api.URL, "project": project, "id": failed[0].ID, "status": "running"})
		eb.setStorage(t, "local", map[string]any{extension.WatchKey: watch})

		// The running job finishes: the emulator's clock moves on.
		resp, err := http.Post(api.URL+"/-/emulator/clock", "application/json", strings.NewReader(`{"advance":"30m"}`))
		require.NoError(t, err)
		resp.Body.Close()
		final, err := client.GetJob(ctx, gitlab.ProjectPath(project), running[0].ID)
		require.NoError(t, err)
		require.True(t, final.Status.Finished(), "the running job finished (%s)", final.Status)

		// The alarm fires every 30 s; ask the background to poll now, as the
		// popup does after adding a watch.
		_, err = chromedp.Run(popup, chromedp.Evaluate[bool](`chrome.runtime.sendMessage({type: "jobscope.poll"})`, chromedp.EvalAwaitPromise))
		require.NoError(t, err)
		wantFailed := 1
		if final.Status == gitlab.StatusFailed {
			wantFailed = 2
		}
		var badge string
		require.Eventually(t, func() bool {
			badge, _ = chromedp.Run(popup, chromedp.Evaluate[string](`chrome.action.getBadgeText({})`, chromedp.EvalAwaitPromise))
			return badge == strconv.Itoa(wantFailed)
		}, 15*time.Second, 200*time.Millisecond, "badge shows %d failed, got %q", wantFailed, badge)
		var notes map[string]bool
		require.Eventually(t, func() bool {
			notes, _ = chromedp.Run(popup, chromedp.Evaluate[map[string]bool](`chrome.notifications.getAll()`, chromedp.EvalAwaitPromise))
			return notes["jobscope:"+project+":"+itoa(running[0].ID)] && notes["jobscope:"+project+":"+itoa(failed[0].ID)]
		}, 10*time.Second, 100*time.Millisecond, "a notification for each finished job: %v", notes)
		statuses := map[float64]string{}
		for _, w := range eb.storage(t, "local")[extension.WatchKey].([]any) {
			m := w.(map[string]any)
			statuses[m["id"].(float64)], _ = m["status"].(string)
		}
		assert.Equal(t, string(final.Status), statuses[float64(running[0].ID)])
		assert.Equal(t, "failed", statuses[float64(failed[0].ID)])
		// Popup and background alike send the token as Bearer, the header
		// fetch drops when a redirect leaves GitLab's origin (gitlab-api.md
		// §2.1, §10), never in PRIVATE-TOKEN, which fetch would forward.
		assert.Equal(t, map[string]bool{"Authorization": true}, tokenSent.seen())

		// Opening the popup again is seeing them: they are said once and
		// leave the list, and the badge clears.
		again := eb.openPopup(t, api.URL+"/"+project)
		var said string
		require.Eventually(t, func() bool {
			said, _ = chromedp.Run(again, chromedp.Text(chromedp.CSS("#ext-status")))
			return strings.Contains(said, "Finished:")
		}, 10*time.Second, 100*time.Millisecond)
		assert.Contains(t, said, "#"+itoa(failed[0].ID)+" failed")
		require.Eventually(t, func() bool {
			badge, _ = chromedp.Run(again, chromedp.Evaluate[string](`chrome.action.getBadgeText({})`, chromedp.EvalAwaitPromise))
			return badge == ""
		}, 10*time.Second, 100*time.Millisecond, "the badge clears, got %q", badge)
		popupShot(t, again, "finished")
	})
}

// clickClosingPopup clicks a popup button that opens a tab and then closes
// the popup (popup.js). The popup can go before the browser answers the
// click's mouse release: a popup gone under the click is the click's work,
// which the caller checks by finding the new tab.
func clickClosingPopup(t *testing.T, popup context.Context, css string) {
	t.Helper()
	if err := chromedp.Do(popup, chromedp.Click(chromedp.CSS(css))); !errors.Is(err, chromedp.ErrTargetDetached) {
		require.NoError(t, err, "click %s", css)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
