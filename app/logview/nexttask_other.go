//go:build !js

package logview

import ui "github.com/maxence-charriere/go-app/v10/pkg/app"

// nextTask natively: the next turn of the UI goroutine (see nexttask_js.go).
func nextTask(ctx ui.Context, f func(ui.Context)) { ctx.Dispatch(f) }
