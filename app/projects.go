package app

import (
	"context"
	"time"

	"github.com/jobscope/jobscope/internal/account"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/words"
	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// projectsView lists the projects the user is a member of, most recently
// active first, with a search, and opens a pasted GitLab address.
type projectsView struct {
	ui.Compo
	env *Env

	lifetime context.Context // see jobsView
	stop     context.CancelFunc
	self     ui.Context // see jobsView

	in        account.Instance
	connected bool
	search    string
	projects  []gitlab.Project
	loading   bool
	gen       int
	now       time.Time
	problem   string

	paste        string
	pasteProblem string
}

func (v *projectsView) OnMount(ctx ui.Context) {
	v.self = ctx
	v.lifetime, v.stop = context.WithCancel(context.Background())
	st, _ := v.env.Settings.Load()
	v.in, v.connected = st.Usable()
	v.load(ctx)
}

func (v *projectsView) OnDismount() { v.stop() }

func (v *projectsView) load(ctx ui.Context) {
	ctx = v.self
	if !v.connected {
		return
	}
	client, err := v.env.Client(v.in)
	if err != nil {
		v.problem = words.Problem(err, v.in.Host())
		return
	}
	v.gen++
	v.loading = true
	gen, lifetime := v.gen, v.lifetime
	opts := gitlab.ListProjectsOptions{
		Membership: true, Simple: true, Search: v.search,
		OrderBy: gitlab.ProjectOrderLastActivityAt, Sort: gitlab.SortDesc,
		ListOptions: gitlab.ListOptions{PerPage: 50},
	}
	ctx.Async(func() {
		projects, _, err := client.ListProjects(lifetime, opts)
		ctx.Dispatch(func(ctx ui.Context) {
			if gen != v.gen || lifetime.Err() != nil {
				return
			}
			v.loading, v.now = false, time.Now()
			if err != nil {
				v.problem = words.Problem(err, v.in.Host())
				return
			}
			v.problem, v.projects = "", projects
		})
	})
}

func (v *projectsView) open(ctx ui.Context, e ui.Event) {
	e.PreventDefault()
	base, r, err := ParseGitLabURL(v.paste)
	if err != nil {
		v.pasteProblem = "That is not the address of a GitLab project, pipeline or job (like https://gitlab.com/group/project/-/jobs/123)."
		return
	}
	// The address names its instance: use the saved one it belongs to.
	st, _ := v.env.Settings.Load()
	if active, ok := st.ActiveInstance(); !ok || active.BaseURL != base {
		found := false
		for _, in := range st.Instances {
			found = found || in.BaseURL == base
		}
		if !found {
			v.pasteProblem = "You are not connected to " + (account.Instance{BaseURL: base}).Host() + " yet: connect to it first, then paste the address again."
			return
		}
		if err := v.env.Settings.Update(func(st *account.Settings) bool { st.Active = base; return true }); err != nil {
			v.pasteProblem = err.Error()
			return
		}
		ctx.NewAction(actionSettingsChanged)
	}
	v.pasteProblem = ""
	ctx.Navigate(href(r))
}

func (v *projectsView) Render() ui.UI {
	return ui.Section().Class("projects").Body(
		ui.Div().Class("screen-head").Body(
			ui.H1().Text("Projects"),
			ui.If(v.connected, func() ui.UI {
				return ui.Form().Class("row").OnSubmit(func(ctx ui.Context, e ui.Event) {
					e.PreventDefault()
					v.load(ctx)
				}).Body(
					ui.Label().For("project-search").Class("visually-hidden").Text("Search your projects"),
					ui.Input().ID("project-search").Type("search").Placeholder("Search your projects").
						Value(v.search).OnChange(v.ValueTo(&v.search)),
					ui.Button().Type("submit").Text("Search"),
				)
			}),
		),
		ui.If(!v.connected, func() ui.UI {
			return ui.Div().Class("card").Body(connectFirst(v.in))
		}),
		ui.If(v.problem != "", func() ui.UI {
			return ui.P().Class("notice notice-error").Attr("role", "alert").Text(v.problem)
		}),
		ui.If(v.connected, func() ui.UI {
			return ui.Ul().ID("project-list").Class("job-list").Body(
				ui.Range(v.projects).Slice(func(i int) ui.UI {
					p := v.projects[i]
					return ui.Li().Class("project-row").Body(
						ui.A().Class("job-name").Href(href(Route{Screen: ScreenJobs, Project: p.PathWithNamespace})).
							Text(words.ShowControls(p.NameWithNamespace)),
						ui.Div().Class("job-meta").Body(
							ui.Span().Class("project").Text(words.ShowControls(p.PathWithNamespace)),
							ui.If(p.LastActivityAt != nil, func() ui.UI {
								return ui.Span().Text("active " + words.Ago(*p.LastActivityAt, v.now))
							}),
						),
						ui.If(p.Description != nil && *p.Description != "", func() ui.UI {
							return ui.P().Class("hint").Text(words.ShowControls(*p.Description))
						}),
					)
				}),
				ui.If(v.loading, func() ui.UI {
					return ui.Range(make([]struct{}, 4)).Slice(func(int) ui.UI {
						return ui.Li().Class("project-row skeleton").Aria("hidden", "true").Body(ui.Span().Class("bar"))
					})
				}),
				ui.If(!v.loading && len(v.projects) == 0 && v.problem == "", func() ui.UI {
					return ui.Li().Class("project-row hint").Text("No projects found.")
				}),
			)
		}),
		ui.Form().Class("paste card").OnSubmit(v.open).Body(
			ui.Label().For("gitlab-url").Text("Open a GitLab address"),
			ui.Div().Class("row").Body(
				ui.Input().ID("gitlab-url").Type("url").Placeholder("https://gitlab.com/group/project/-/jobs/123").
					Value(v.paste).OnChange(v.ValueTo(&v.paste)),
				ui.Button().Type("submit").Text("Open"),
			),
			ui.If(v.pasteProblem != "", func() ui.UI {
				return ui.P().Class("notice notice-error").Attr("role", "alert").Text(v.pasteProblem)
			}),
		),
	)
}
