package browsertest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/jobscope/jobscope/app"
	"github.com/jobscope/jobscope/extension"
	"github.com/jobscope/jobscope/internal/account"
	"github.com/jobscope/jobscope/internal/browsertest/firefox"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// What Firefox cannot be driven to do, and what stands in for it:
//   - the toolbar button: BiDi has no click on browser chrome, so no
//     activeTab. The popup page is opened in a tab with tab=<id> (popup.js),
//     which reads that tab's address through host access instead;
//   - the permission prompt (a doorhanger of browser chrome): the harness
//     sets extensions.webextOptionalPermissionPrompts=false, Firefox's own
//     switch that answers yes without showing it, so a trusted click on
//     "Allow" still goes through permissions.request and is granted.
const ffNoPermissionPrompt = "extensions.webextOptionalPermissionPrompts"

// The Firefox package in firefox-esr, as TestExtension tests the Chromium
// package (issue 17): one Firefox, each subtest from empty storage.
func TestFirefoxExtension(t *testing.T) {
	requireFirefox(t)
	fe := startFirefoxExtension(t, map[string]any{ffNoPermissionPrompt: false})
	emu, api, tokenSent := serveEmulatorWith(t)
	client, err := gitlab.New(api.URL, gitlab.PrivateToken(gitlabfake.DefaultToken))
	require.NoError(t, err)
	project := emu.Info().Projects[0]
	connected := account.Settings{
		Instances: []account.Instance{{BaseURL: api.URL, Token: gitlabfake.DefaultToken, Remember: true, User: "jobscope-demo"}},
		Active:    api.URL,
	}
	jobs, _, err := client.ListPipelineJobs(t.Context(), gitlab.ProjectPath(project), emu.Info().PipelineID, gitlab.ListPipelineJobsOptions{})
	require.NoError(t, err)
	require.NotEmpty(t, jobs)
	job := jobs[0]

	t.Run("a GitLab instance not added is offered, and no is an answer that still connects, memory only", func(t *testing.T) {
		fe.resetStorage(t)
		// The popup's "Allow" opens this full tab (popup.js showOffer).
		tab := fe.page(t, "popup.html?mode=tab&route=%2F&access="+api.URL)
		require.NoError(t, tab.WaitVisible(ffCtx(t), "#ext-access"))
		assert.Contains(t, ffEval[string](t, tab, `document.getElementById("ext-access").innerText`), api.URL, "names the one origin asked for")
		require.NoError(t, tab.Click(ffCtx(t), "#ext-access-no"))
		require.NoError(t, tab.WaitGone(ffCtx(t), "#ext-access"))
		assert.Contains(t, ffEval[string](t, tab, `document.getElementById("ext-status").innerText`), "Not asked")
		assert.False(t, fe.hasHost(t, api.URL), "no access was granted")

		ffFill(t, tab, "base-url", api.URL)
		ffFill(t, tab, "token", gitlabfake.DefaultToken)
		require.NoError(t, tab.Click(ffCtx(t), "#memory-only"))
		require.NoError(t, tab.Click(ffCtx(t), "#check"))
		require.NoError(t, tab.WaitTrue(ffCtx(t), `(document.getElementById("connect-status")?.innerText ?? "").includes("Connected")`, nil))
		require.NoError(t, fe.admin.WaitTrue(ffCtx(t),
			`browser.storage.session.get(null).then(s => (s[`+jsString(extension.SessionKey)+`] ?? "").includes(`+jsString(gitlabfake.DefaultToken)+`))`, nil),
			"the memory-only token is kept for the browser session")
		local := fe.storage(t, "local")
		assert.Contains(t, local["jobscope.settings.v1"], api.URL, "the instance is saved")
		assert.NotContains(t, local["jobscope.settings.v1"], gitlabfake.DefaultToken, "its token is not")
	})

	t.Run("a remembered token is kept in local storage", func(t *testing.T) {
		fe.resetStorage(t)
		tab := fe.page(t, "popup.html?mode=tab&route=%2Fconnect")
		require.NoError(t, tab.WaitVisible(ffCtx(t), "#token"))
		ffFill(t, tab, "base-url", api.URL)
		ffFill(t, tab, "token", gitlabfake.DefaultToken)
		require.NoError(t, tab.Click(ffCtx(t), "#check"))
		require.NoError(t, tab.WaitTrue(ffCtx(t), `(document.getElementById("connect-status")?.innerText ?? "").includes("Connected")`, nil))
		require.NoError(t, fe.admin.WaitTrue(ffCtx(t),
			`browser.storage.local.get(null).then(s => (s["jobscope.settings.v1"] ?? "").includes(`+jsString(gitlabfake.DefaultToken)+`))`, nil),
			"remembered: the token is in local storage")
		assert.NotContains(t, fe.storage(t, "session")[extension.SessionKey], gitlabfake.DefaultToken)
	})

	t.Run("allow asks Firefox for that one origin, in the click", func(t *testing.T) {
		fe.resetStorage(t)
		tab := fe.page(t, "popup.html?mode=tab&route=%2F&access="+api.URL)
		require.NoError(t, tab.WaitVisible(ffCtx(t), "#ext-access-allow"))
		require.NoError(t, tab.Click(ffCtx(t), "#ext-access-allow"))
		require.NoError(t, tab.WaitTrue(ffCtx(t), `document.getElementById("ext-status")?.innerText`, nil))
		assert.Contains(t, ffEval[string](t, tab, `document.getElementById("ext-status").innerText`), "Access to "+api.URL+" allowed.")
		assert.True(t, fe.hasHost(t, api.URL), "access to the origin is granted")
		assert.False(t, fe.hasHost(t, "https://example.com"), "and to nothing else")
	})

	// From here the loopback origin is granted (the subtest above): the popup
	// page reads the address of the GitLab tab it is opened for.
	require.True(t, fe.hasHost(t, api.URL), "the subtests below need host access")

	t.Run("the popup on a GitLab page shows what the page is about", func(t *testing.T) {
		pipeline := emu.Info().PipelineID
		cases := []struct {
			name, page string
			want       app.Route
			shows      string
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
				fe.resetStorage(t)
				fe.setStorage(t, "local", map[string]any{"jobscope.settings.v1": settingsJSON(t, connected)})
				popup := fe.openPopup(t, api.URL+c.page)
				require.NoError(t, popup.WaitVisible(ffCtx(t), c.shows))
				assert.Equal(t, c.want.Path(), ffEval[string](t, popup, `location.pathname`))
				if c.want.Screen == app.ScreenJob {
					assert.Equal(t, job.Name, strings.TrimSpace(ffEval[string](t, popup, `document.querySelector(".job-name").innerText`)))
				}
				ffShot(t, popup, "popup-"+c.name)
			})
		}
	})

	t.Run("the popup registers no service worker of its own", func(t *testing.T) {
		fe.resetStorage(t)
		popup := fe.openPopup(t, api.URL+"/"+project)
		scripts := ffEval[[]string](t, popup, `[...document.scripts].map(s => s.getAttribute('src') || 'inline')`)
		assert.Equal(t, []string{"/popup.js", "/wasm_exec.js", "/app.js"}, scripts, "every script is a file of the package")
		regs := ffEval[[]string](t, popup, `navigator.serviceWorker ? navigator.serviceWorker.getRegistrations().then(rs => rs.map(r => (r.active || r.installing || r.waiting || {}).scriptURL || '?')) : []`)
		assert.Empty(t, regs, "Firefox runs the background as an event page: no worker at all")
	})

	t.Run("a memory-only token lives in session storage, never in local storage", func(t *testing.T) {
		fe.resetStorage(t)
		memoryOnly := connected
		memoryOnly.Instances = []account.Instance{{BaseURL: api.URL, Remember: false}}
		fe.setStorage(t, "local", map[string]any{"jobscope.settings.v1": settingsJSON(t, memoryOnly)})
		fe.setStorage(t, "session", map[string]any{
			extension.SessionKey: `{"` + api.URL + `":{"token":"` + gitlabfake.DefaultToken + `"}}`,
		})
		popup := fe.openPopup(t, api.URL+"/"+project+"/-/jobs/"+itoa(job.ID))
		require.NoError(t, popup.WaitVisible(ffCtx(t), ".job-name"), "the job loads with the token from session storage")
		assert.NotContains(t, fe.storage(t, "local")["jobscope.settings.v1"], gitlabfake.DefaultToken, "local storage has no token")
		assert.NotContains(t, ffEval[string](t, popup, `location.href`), gitlabfake.DefaultToken)
	})

	t.Run("watched jobs that finish raise notifications and the failed count shows on the badge", func(t *testing.T) {
		fe.resetStorage(t)
		fe.setStorage(t, "local", map[string]any{"jobscope.settings.v1": settingsJSON(t, connected)})
		running, _, err := client.ListProjectJobs(t.Context(), gitlab.ProjectPath(project), gitlab.ListProjectJobsOptions{Scope: gitlab.ScopeRunning})
		require.NoError(t, err)
		require.NotEmpty(t, running, "the demo has running jobs")
		failed, _, err := client.ListProjectJobs(t.Context(), gitlab.ProjectPath(project), gitlab.ListProjectJobsOptions{Scope: gitlab.ScopeFailed})
		require.NoError(t, err)
		require.NotEmpty(t, failed)

		popup := fe.openPopup(t, api.URL+"/"+project+"/-/jobs/"+itoa(running[0].ID))
		require.NoError(t, popup.WaitVisible(ffCtx(t), "#ext-watch"))
		require.NoError(t, popup.Click(ffCtx(t), "#ext-watch"))
		// The background (an event page here) polls the new watch and writes
		// its status; wait for that before adding to the list (see
		// TestExtension for why).
		require.NoError(t, fe.admin.WaitTrue(ffCtx(t), `browser.storage.local.get(`+jsString(extension.WatchKey)+`).then(s => {
  const w = s[`+jsString(extension.WatchKey)+`] ?? [];
  return w.length === 1 && w[0].status === "running";
})`, nil), "the job is on the watch list, polled once by the background")
		watch := fe.storage(t, "local")[extension.WatchKey].([]any)
		watch = append(watch, map[string]any{"base": api.URL, "project": project, "id": failed[0].ID, "status": "running"})
		fe.setStorage(t, "local", map[string]any{extension.WatchKey: watch})

		resp, err := http.Post(api.URL+"/-/emulator/clock", "application/json", strings.NewReader(`{"advance":"30m"}`))
		require.NoError(t, err)
		resp.Body.Close()
		final, err := client.GetJob(t.Context(), gitlab.ProjectPath(project), running[0].ID)
		require.NoError(t, err)
		require.True(t, final.Status.Finished(), "the running job finished (%s)", final.Status)

		// Headless Firefox has no desktop to show a notification on: its
		// alerts service may close one as soon as it is raised, and getAll()
		// lists only open ones. So every notification the extension raises
		// is noted by an extension page, shown or closed, and with getAll().
		require.NoError(t, fe.admin.Eval(ffCtx(t), `(() => {
  window.__notes = new Set();
  browser.notifications.onShown.addListener((id) => window.__notes.add(id));
  browser.notifications.onClosed.addListener((id) => window.__notes.add(id));
  return true;
})()`, nil))
		require.NoError(t, popup.Eval(ffCtx(t), `browser.runtime.sendMessage({type: "jobscope.poll"})`, nil))
		wantFailed := 1
		if final.Status == gitlab.StatusFailed {
			wantFailed = 2
		}
		require.NoError(t, popup.WaitTrue(ffCtx(t), `browser.action.getBadgeText({}).then(b => b === `+jsString(strconv.Itoa(wantFailed))+`)`, nil),
			"the badge shows %d failed", wantFailed)
		var notes []string
		require.NoError(t, fe.admin.WaitTrue(ffCtx(t), `browser.notifications.getAll().then(n => {
  const ids = [...new Set([...window.__notes, ...Object.keys(n)])];
  return ids.length >= 2 && ids;
})`, &notes), "a notification for each finished job")
		assert.Contains(t, notes, "jobscope:"+project+":"+itoa(running[0].ID))
		assert.Contains(t, notes, "jobscope:"+project+":"+itoa(failed[0].ID))
		statuses := map[float64]string{}
		for _, w := range fe.storage(t, "local")[extension.WatchKey].([]any) {
			m := w.(map[string]any)
			statuses[m["id"].(float64)], _ = m["status"].(string)
		}
		assert.Equal(t, string(final.Status), statuses[float64(running[0].ID)])
		assert.Equal(t, "failed", statuses[float64(failed[0].ID)])
		// The token rules: Bearer only, from the popup and the background alike.
		assert.Equal(t, map[string]bool{"Authorization": true}, tokenSent.seen())

		again := fe.openPopup(t, api.URL+"/"+project)
		require.NoError(t, again.WaitTrue(ffCtx(t), `(document.getElementById("ext-status")?.innerText ?? "").includes("Finished:")`, nil))
		assert.Contains(t, ffEval[string](t, again, `document.getElementById("ext-status").innerText`), "#"+itoa(failed[0].ID)+" failed")
		require.NoError(t, again.WaitTrue(ffCtx(t), `browser.action.getBadgeText({}).then(b => b === "")`, nil), "the badge clears")
		ffShot(t, again, "popup-finished")
	})
}

// page opens an extension page in a new tab at the popup's size and waits
// for the viewer.
func (fe *ffExtension) page(t *testing.T, path string) *firefox.Page {
	t.Helper()
	p := ffTab(t, fe.Browser)
	t.Cleanup(func() { _ = p.Close(ffCtx(t)) })
	require.NoError(t, p.Viewport(ffCtx(t), 780, 580))
	require.NoError(t, p.Goto(ffCtx(t), fe.url(path)))
	ffWaitApp(t, p)
	require.Equal(t, []int{780, 580}, ffEval[[]int](t, p, `[innerWidth, innerHeight]`), "the popup's size (popup.css)")
	return p
}

// openPopup opens pageURL in a tab, then the popup page for that tab
// (popup.html?tab=<id>) in another, at the popup's size (popup.css).
func (fe *ffExtension) openPopup(t *testing.T, pageURL string) *firefox.Page {
	t.Helper()
	before := ffEval[[]int](t, fe.admin, `browser.tabs.query({}).then(ts => ts.map(t => t.id))`)
	gl := ffTab(t, fe.Browser)
	t.Cleanup(func() { _ = gl.Close(ffCtx(t)) })
	require.NoError(t, gl.Goto(ffCtx(t), pageURL))
	var id int
	for _, tid := range ffEval[[]int](t, fe.admin, `browser.tabs.query({}).then(ts => ts.map(t => t.id))`) {
		if !slices.Contains(before, tid) {
			id = tid
		}
	}
	require.NotZero(t, id, "the GitLab tab's id")
	require.Equal(t, pageURL, ffEval[string](t, fe.admin, `browser.tabs.get(`+strconv.Itoa(id)+`).then(t => t.url ?? "")`), "the tab is the GitLab page")
	return fe.page(t, "popup.html?tab="+strconv.Itoa(id))
}

// hasHost reports whether the extension has host access to origin's host
// (Firefox's match patterns take no port: popup.js hostPattern).
func (fe *ffExtension) hasHost(t *testing.T, origin string) bool {
	t.Helper()
	u, err := url.Parse(origin)
	require.NoError(t, err)
	return ffEval[bool](t, fe.admin, `browser.permissions.contains({origins: [`+jsString(u.Scheme+"://"+u.Hostname()+"/*")+`]})`)
}

// ffFill sets a field's value as typing would, with input and change events.
func ffFill(t *testing.T, p *firefox.Page, id, value string) {
	t.Helper()
	v, _ := json.Marshal(value)
	require.NoError(t, p.Eval(ffCtx(t), `(() => {
  const el = document.getElementById(`+jsString(id)+`);
  el.value = `+string(v)+`;
  el.dispatchEvent(new Event('input', {bubbles: true}));
  el.dispatchEvent(new Event('change', {bubbles: true}));
  return true;
})()`, nil), "fill #%s", id)
}
