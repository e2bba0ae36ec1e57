package app

import (
	"strings"
	"time"

	"github.com/jobscope/jobscope/internal/account"
	"github.com/jobscope/jobscope/internal/words"
	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// actionSettingsChanged tells the page that a screen saved new settings, so
// the header shows the new active instance.
const actionSettingsChanged = "jobscope.settings-changed"

// page is the root component of every route: the layout shell (header with
// the active instance, navigation) around the screen the route names.
type page struct {
	ui.Compo
	env    *Env
	screen Screen // the screen its route was registered for

	route    Route
	settings account.Settings
	problem  string // settings that could not be read, said once
	// signIn is what became of a sign-in that ended while no page was
	// open (the extension's), said once.
	signIn       string
	signInFailed bool
	// ended is the instance whose sign-in ended on GitLab (revoked, or
	// its refresh token unused too long): offered "Sign in again", which
	// leaves for GitLab only when clicked, so nothing typed is lost.
	ended account.Instance

	online     bool      // the browser says so
	stale      time.Time // when the oldest copy on screen was fetched
	refreshing bool      // the screen is unmounted for one frame to reload
	stopNet    func()
	live       bool // the route's screen is on the page as its OnMount left it
}

func (p *page) OnMount(ctx ui.Context) {
	p.signIn, p.signInFailed = p.env.SignIn.TakeOutcome()
	p.ended, _ = p.env.SignIn.Ended()
	p.env.SignIn.OnEnded(func() {
		ctx.Dispatch(func(ui.Context) { p.ended, _ = p.env.SignIn.Ended() })
	})
	ctx.Handle(actionSettingsChanged, func(ctx ui.Context, _ ui.Action) {
		p.loadSettings()
	})
	p.online, p.stopNet = onNetwork(func(online bool) {
		ctx.Dispatch(func(ctx ui.Context) { p.networkChanged(ctx, online) })
	})
	if p.env.Offline != nil {
		p.env.Offline.Changed = func() {
			ctx.Dispatch(func(ctx ui.Context) { p.stale, _ = p.env.Offline.Stale() })
		}
	}
}

func (p *page) OnDismount() {
	if p.stopNet != nil {
		p.stopNet()
	}
}

// networkChanged follows the browser going offline and back: back online,
// the screen is mounted afresh, so what is on it is fetched again.
func (p *page) networkChanged(ctx ui.Context, online bool) {
	p.online = online
	if !online {
		return
	}
	p.env.Offline.Reset()
	p.stale, p.refreshing = time.Time{}, true
	ctx.After(10*time.Millisecond, func(ctx ui.Context) { p.refreshing = false })
}

func (p *page) OnNav(ctx ui.Context) {
	path := strings.TrimPrefix(ctx.Page().URL().Path, ui.Getenv("GOAPP_ROOT_PREFIX"))
	p.route = ParsePath(path)
	p.env.Offline.Reset()
	p.stale = time.Time{}
	p.loadSettings()
	ctx.Page().SetTitle(p.title())
	if !p.live {
		// The screen mounts in the next frame, which queues its OnMount;
		// dispatching from a defer of that frame runs after it, so the live
		// marker comes with the screen's first state, not the empty page
		// rendered before the route was known.
		ctx.Defer(func(ctx ui.Context) {
			ctx.Dispatch(func(ui.Context) { p.live = true })
		})
	}
}

func (p *page) loadSettings() {
	st, err := p.env.Settings.Load()
	p.settings = st
	if err != nil {
		p.problem = err.Error()
	}
}

func (p *page) title() string {
	switch p.route.Screen {
	case ScreenConnect:
		return "Connect · jobscope"
	case ScreenProjects:
		return "Projects · jobscope"
	case ScreenOpenFile:
		return "Open a log file · jobscope"
	case ScreenJobs:
		return "Jobs · " + p.route.Project + " · jobscope"
	case ScreenPipeline:
		return "Pipeline · " + p.route.Project + " · jobscope"
	case ScreenJob, ScreenLog:
		return "Job · " + p.route.Project + " · jobscope"
	}
	return "Not found · jobscope"
}

func (p *page) Render() ui.UI {
	shell := ui.Div().Class("shell")
	fill := false
	if s := p.route.Screen; s == ScreenJob || s == ScreenLog || s == ScreenOpenFile {
		// A log screen fills the window; its lines scroll, not the page.
		shell, fill = shell.Class("shell-fill"), true
	}
	if ui.IsClient && p.live {
		// Marks the live app, as opposed to the pre-rendered static page
		// (browser tests wait for it).
		shell = shell.DataSet("app", "live")
	}
	return shell.Body(
		p.header(),
		ui.If(p.problem != "", func() ui.UI {
			return ui.P().Class("notice notice-error").Attr("role", "alert").Text(p.problem)
		}),
		ui.If(p.signIn != "", func() ui.UI {
			n := ui.P().ID("signin-outcome").Class("notice")
			if p.signInFailed {
				return n.Class("notice-error").Attr("role", "alert").Text(p.signIn)
			}
			return n.Attr("role", "status").Text(p.signIn)
		}),
		// Always there, so that the notice coming does not shift the screen
		// to another index: go-app would mount it afresh, losing what was typed.
		ui.Div().ID("signin-ended-slot").Body(ui.If(p.ended.BaseURL != "", p.signInAgain)),
		p.offlineNotice(),
		ui.Main().ID("main").Class("screen").Body(
			ui.If(!p.refreshing, p.body),
			ui.If(p.route.Screen == ScreenConnect && p.env.Offline != nil, func() ui.UI {
				return &offlineDataView{env: p.env}
			}),
		),
		// Last, so that they stick to the window's bottom without covering the
		// page's end. Not over a log: its lines have the window (issue 13),
		// and the notices wait for the next list screen. Not before the
		// route is known either: the empty first frame would take an offer
		// the browser made before the wasm started, mark it made, and drop
		// it when a log screen follows.
		ui.If(!fill && p.live, func() ui.UI { return &appNotices{env: p.env} }),
	)
}

// signInAgain says that the sign-in ended and offers a new one; what is on
// screen stays until the user clicks.
func (p *page) signInAgain() ui.UI {
	return ui.P().ID("signin-ended").Class("notice notice-error").Attr("role", "alert").Body(
		ui.Text("Your sign-in to "+p.ended.Host()+" has ended on GitLab (revoked, or unused for too long). What is on this screen stays until you sign in again. "),
		ui.Button().ID("sign-in-again").Type("button").Class("small").Text("Sign in again").
			OnClick(func(ctx ui.Context, e ui.Event) {
				if err := p.env.SignIn.Again(); err != nil {
					p.problem = words.SignInProblem(err)
					return
				}
				p.ended = account.Instance{}
			}),
	)
}

func (p *page) header() ui.UI {
	in, connected := p.settings.ActiveInstance()
	nav := func(r Route, current bool, label ...ui.UI) ui.UI {
		a := ui.A().Href(href(r)).Body(label...)
		if current {
			a = a.Aria("current", "page")
		}
		return ui.Li().Body(a)
	}
	s := p.route.Screen
	return ui.Header().Class("topbar").Body(
		ui.A().Class("brand").Href(href(Route{Screen: ScreenProjects})).Text("jobscope"),
		ui.Nav().Aria("label", "Main").Body(ui.Ul().Body(
			nav(Route{Screen: ScreenProjects}, s == ScreenProjects, ui.Text("Projects")),
			// "Open file" on a phone, where the header must fit one row.
			nav(Route{Screen: ScreenOpenFile}, s == ScreenOpenFile,
				ui.Text("Open"), ui.Span().Class("wide-only").Text(" a log"), ui.Text(" file")),
		)),
		ui.A().Class("instance").ID("instance").Href(href(Route{Screen: ScreenConnect})).
			Title("GitLab instance: change or add one").
			Body(ui.If(connected, func() ui.UI {
				return ui.Span().Body(
					ui.Span().Class("instance-host").Text(in.Host()),
					ui.If(in.User != "", func() ui.UI {
						return ui.Span().Class("instance-user").Text(" @" + in.User)
					}),
				)
			}).Else(func() ui.UI {
				return ui.Span().Class("instance-none").Text("Not connected")
			})),
	)
}

func (p *page) body() ui.UI {
	r := p.route
	switch r.Screen {
	case ScreenConnect:
		return &connectView{env: p.env}
	case ScreenProjects:
		return &projectsView{env: p.env}
	case ScreenJobs:
		return &jobsView{env: p.env, Project: r.Project, Offline: p.offline()}
	case ScreenPipeline:
		return &pipelineView{env: p.env, Project: r.Project, ID: r.ID}
	case ScreenJob, ScreenLog: // one screen, log first; old /log links keep working
		return &jobView{env: p.env, Project: r.Project, ID: r.ID, Offline: p.offline()}
	case ScreenOpenFile:
		return &openFileView{}
	}
	return ui.Section().Class("card").Body(
		ui.H1().Text("Nothing here"),
		ui.P().Text("This address is not a jobscope page."),
		ui.A().Href(href(Route{Screen: ScreenProjects})).Text("Go to your projects"),
	)
}

// connectFirst is what a screen shows when it cannot call GitLab: no active
// instance, or one whose memory-only token went with the last page.
func connectFirst(in account.Instance) ui.UI {
	msg := "Connect to a GitLab instance first. "
	switch {
	case in.ClientID != "":
		msg = "You are signed out of " + in.Host() + " (you signed out, or jobscope forgot a sign-in you did not keep): sign in with GitLab again. "
	case in.BaseURL != "":
		msg = "Your token for " + in.Host() + " was kept in memory only, so it is gone: enter it again. "
	}
	return ui.P().ID("connect-first").Body(ui.Text(msg), ui.A().Href(href(Route{Screen: ScreenConnect})).Text("Connect"))
}

// offline reports whether actions must wait for the network: the browser is
// offline, or copies are on screen because GitLab could not be reached.
func (p *page) offline() bool { return (ui.IsClient && !p.online) || !p.stale.IsZero() }

// offlineNotice says that the network is gone, how old what is shown is, and
// why actions are off.
func (p *page) offlineNotice() ui.UI {
	if !p.offline() {
		return nil
	}
	msg := "You are offline. "
	if p.online {
		msg = "GitLab cannot be reached. "
	}
	if !p.stale.IsZero() {
		msg += "Showing a copy fetched " + words.Ago(p.stale, time.Now()) + ". "
	}
	msg += "Actions are off until the network is back."
	return ui.P().ID("offline-notice").Class("notice notice-offline").Attr("role", "status").Text(msg)
}
