package app

import (
	"strings"

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
	settings Settings
	problem  string // settings that could not be read, said once
}

func (p *page) OnMount(ctx ui.Context) {
	ctx.Handle(actionSettingsChanged, func(ctx ui.Context, _ ui.Action) {
		p.loadSettings()
	})
}

func (p *page) OnNav(ctx ui.Context) {
	path := strings.TrimPrefix(ctx.Page().URL().Path, ui.Getenv("GOAPP_ROOT_PREFIX"))
	p.route = ParsePath(path)
	p.loadSettings()
	ctx.Page().SetTitle(p.title())
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
	if ui.IsClient {
		// Marks the live app, as opposed to the pre-rendered static page
		// (browser tests wait for it).
		shell = shell.DataSet("app", "live")
	}
	return shell.Body(
		p.header(),
		ui.If(p.problem != "", func() ui.UI {
			return ui.P().Class("notice notice-error").Attr("role", "alert").Text(p.problem)
		}),
		ui.Main().ID("main").Class("screen").Body(p.body()),
	)
}

func (p *page) header() ui.UI {
	in, connected := p.settings.ActiveInstance()
	nav := func(label string, r Route, current bool) ui.UI {
		a := ui.A().Href(href(r)).Text(label)
		if current {
			a = a.Aria("current", "page")
		}
		return ui.Li().Body(a)
	}
	s := p.route.Screen
	return ui.Header().Class("topbar").Body(
		ui.A().Class("brand").Href(href(Route{Screen: ScreenProjects})).Text("jobscope"),
		ui.Nav().Aria("label", "Main").Body(ui.Ul().Body(
			nav("Projects", Route{Screen: ScreenProjects}, s == ScreenProjects),
			nav("Open a log file", Route{Screen: ScreenOpenFile}, s == ScreenOpenFile),
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
		return &jobsView{env: p.env, Project: r.Project}
	case ScreenPipeline:
		return &pipelineView{env: p.env, Project: r.Project, ID: r.ID}
	case ScreenJob:
		return &jobView{env: p.env, Project: r.Project, ID: r.ID}
	case ScreenLog:
		return &logView{env: p.env, Project: r.Project, ID: r.ID}
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
func connectFirst(in Instance) ui.UI {
	msg := "Connect to a GitLab instance first. "
	if in.BaseURL != "" {
		msg = "Your token for " + in.Host() + " was kept in memory only, so it is gone: enter it again. "
	}
	return ui.P().ID("connect-first").Body(ui.Text(msg), ui.A().Href(href(Route{Screen: ScreenConnect})).Text("Connect"))
}
