package app

import (
	"github.com/jobscope/jobscope/app/logview"

	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

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
