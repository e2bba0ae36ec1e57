//go:build js && wasm

// Command wasm is the extension popup's entry point: the viewer's routes and
// components (package app) over the extension's storage, opened on the
// screen the active tab names. popup.js (package extension) runs first and
// leaves window.jobscopeExtension: the mode (popup or full tab), the route a
// full tab opens, and a promise of the tab's address.
//
// go-app routes on the page's path, and the popup's file is popup.html,
// which is no route: the chosen route's path replaces the address (no
// navigation, no history entry) before go-app starts, as the demo does for
// its start page. Asset paths in the page are absolute within the package
// (/web/app.wasm), so they hold whatever the address becomes.
package main

import (
	"context"
	"syscall/js"
	"time"

	"github.com/jobscope/jobscope/app"
	"github.com/jobscope/jobscope/extension/tabcontext"
	"github.com/jobscope/jobscope/internal/account"
	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

func main() {
	// As in the PWA (wasm/main.go): a panic in any handler or render ends
	// up here; show the error page and keep the program alive so the popup
	// stays readable.
	defer func() {
		if r := recover(); r != nil {
			app.ShowCrash(r)
			select {}
		}
	}()
	env := newEnv()
	js.Global().Get("history").Call("replaceState", nil, "", ui.Getenv("GOAPP_ROOT_PREFIX")+start(env).Path())
	app.Routes(env)
	ui.RunWhenOnBrowser()
}

// start is the first screen: the route a full tab was opened with, or the
// one the tab's address names.
func start(env *app.Env) app.Route {
	ext := js.Global().Get("jobscopeExtension")
	if !ext.Truthy() {
		return app.Route{Screen: app.ScreenProjects}
	}
	if r := app.ParsePath(ext.Get("route").String()); ext.Get("mode").String() == "tab" && r.Screen != app.ScreenNotFound {
		return r
	}
	tabURL := await(ext.Get("tab"))
	st, _ := env.Settings.Load() // unreadable settings: the page says so
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	r, activate := tabcontext.Resolve(ctx, env, st, tabURL)
	env.ConnectTo = tabcontext.Unsaved(st, tabURL) // a GitLab not added yet: Connect offers it
	if activate != "" && activate != st.Active {
		_ = env.Settings.Update(func(st *account.Settings) bool { st.Active = activate; return true })
	}
	return r
}

// await waits for a promise of a string ("" when it fails).
func await(p js.Value) string {
	ch := make(chan string, 1)
	then := js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) > 0 && args[0].Type() == js.TypeString {
			ch <- args[0].String()
		} else {
			ch <- ""
		}
		return nil
	})
	catch := js.FuncOf(func(js.Value, []js.Value) any { ch <- ""; return nil })
	defer then.Release()
	defer catch.Release()
	js.Global().Get("Promise").Call("resolve", p).Call("then", then, catch)
	return <-ch
}
