package logview

import ui "github.com/maxence-charriere/go-app/v10/pkg/app"

// compareFiles compares the opened file with the passing run's log picked
// beside it once both are whole: with no GitLab, for logs of any CI.
func (f *File) compareFiles(ctx ui.Context) {
	if !f.loaded || f.base == nil {
		return
	}
	f.v.compareWith(ctx, f.baseName, "", f.base)
}
