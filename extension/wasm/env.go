//go:build js && wasm

package main

import (
	"github.com/jobscope/jobscope/app"
	"github.com/jobscope/jobscope/extension/signin"
	"github.com/jobscope/jobscope/extension/storage"
	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// newEnv is the popup's wiring of the viewer's Env, as app.NewBrowserEnv
// is the PWA's: settings and tokens in the extension's storage
// (extension/storage), "Sign in with GitLab" through the background script
// (extension/signin), requests straight to GitLab with fetch (no offline
// copies, no watching in the page: background.js watches). It must run on
// the main goroutine before ui.RunWhenOnBrowser: it waits for the
// browser's storage.
func newEnv() *app.Env {
	api := storage.API()
	kv := storage.Open(api)
	env := app.NewEnv(kv)
	kv.Keep(env.Settings)
	env.SignIn = signin.New(api, env.Settings, env.Username, ui.Getenv("GOAPP_ROOT_PREFIX"))
	return env
}
