//go:build !js

package logview

import ui "github.com/maxence-charriere/go-app/v10/pkg/app"

// Natively there are no files to pick or drop.
func (f *File) pick(ui.Context, ui.Event)           {}
func (f *File) listenDrop(ui.Context) (stop func()) { return func() {} }
func (f *File) pickBase(ui.Context, ui.Event)       {}
