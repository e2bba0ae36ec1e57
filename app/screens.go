package app

import (
	"strconv"

	"github.com/jobscope/jobscope/app/logview"
	"github.com/jobscope/jobscope/internal/gitlab"

	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// logView is a job's log (app/logview.Job does the work).
type logView struct {
	ui.Compo
	env     *Env
	Project string
	ID      int64

	client *gitlab.Client // made once, from the active instance
}

func (v *logView) Render() ui.UI {
	if v.client == nil {
		if st, err := v.env.Settings.Load(); err == nil {
			if in, ok := st.ActiveInstance(); ok {
				v.client, _ = v.env.Client(in)
			}
		}
	}
	ref, _ := projectRef(v.Project)
	return ui.Section().Class("card").Body(
		ui.H1().Body(
			ui.A().Href(href(Route{Screen: ScreenJob, Project: v.Project, ID: v.ID})).Text("Job #"+strconv.FormatInt(v.ID, 10)),
			ui.Text(" log"),
		),
		ui.P().Class("project").Text(v.Project),
		&logview.Job{Client: v.client, Project: ref, ID: v.ID},
	)
}

// openFileView opens a raw log saved from GitLab (or any CI) from disk.
type openFileView struct {
	ui.Compo
}

func (v *openFileView) Render() ui.UI {
	return ui.Section().Class("card").Body(
		ui.H1().Text("Open a log file"),
		ui.P().Text("A raw job log saved from GitLab or any CI opens here, on this device only: nothing is uploaded."),
		&logview.File{},
	)
}
