//go:build js && wasm

// Command wasm is jobscope's browser entry point: it registers the viewer's
// routes and hands the page to go-app. Build it with `make wasm`.
package main

import (
	"github.com/jobscope/jobscope/app"
	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

func main() {
	// go-app runs every event handler and render on this goroutine, so a
	// panic anywhere in the UI ends up here: show an error page, and keep
	// the program alive so the page stays readable.
	defer func() {
		if r := recover(); r != nil {
			app.ShowCrash(r)
			select {}
		}
	}()
	env := app.NewBrowserEnv()
	app.Routes(env)
	ui.RunWhenOnBrowser()
}
