package app

import (
	"github.com/jobscope/jobscope/internal/watch"
	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// watchButton is the "Watch" toggle of a job or pipeline: offered while it
// runs (and to stop watching one that finished).
func watchButton(env *Env, id string, w watch.Watched) ui.UI {
	if env.Watches == nil || w.BaseURL == "" {
		return nil
	}
	return &watchToggle{env: env, id: id, W: w}
}

type watchToggle struct {
	ui.Compo
	env *Env
	id  string
	W   watch.Watched

	watching bool
	problem  string
}

func (t *watchToggle) OnMount(ui.Context) { t.watching = t.env.Watches.Has(t.W) }

func (t *watchToggle) OnUpdate(ui.Context) { t.watching = t.env.Watches.Has(t.W) }

func (t *watchToggle) toggle(ctx ui.Context, e ui.Event) {
	watching, err := t.env.Watches.Toggle(t.W)
	t.watching, t.problem = watching, ""
	if err != nil {
		t.problem = "The watch could not be saved: " + err.Error()
	}
	if watching {
		watch.AskPermission() // asked on the first watch only: see there
	}
}

func (t *watchToggle) Render() ui.UI {
	if !t.watching && t.W.Done() {
		return ui.Span().Class("watch-none")
	}
	label := "Watch"
	if t.watching {
		label = "Watching"
	}
	return ui.Span().Class("watch").Body(
		ui.Button().ID(t.id).Type("button").Class("small").Aria("pressed", t.watching).
			Title("Notify me when it finishes, while jobscope is open in any tab").
			Text(label).OnClick(t.toggle),
		ui.If(t.problem != "", func() ui.UI { return ui.Span().Class("notice-error").Attr("role", "alert").Text(t.problem) }),
		ui.If(t.watching && theEngine().NotificationsNeedInstall, func() ui.UI {
			return ui.Span().Class("hint watch-hint").Attr("role", "status").Text(notifyNeedsInstall)
		}),
	)
}

// watchPath is the screen of w, where its notification leads.
func watchPath(w watch.Watched) string {
	s := ScreenJob
	if w.Kind == watch.Pipeline {
		s = ScreenPipeline
	}
	return Route{Screen: s, Project: w.Project, ID: w.ID}.Path()
}

// notifyNeedsInstall says why a watch will not notify on iOS in a tab
// (engine.NotificationsNeedInstall).
const notifyNeedsInstall = "On iPhone and iPad, notifications come only to jobscope on the Home Screen (Share, then \u201cAdd to Home Screen\u201d)."
