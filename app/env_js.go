package app

import (
	"context"
	"strings"
	"syscall/js"
	"time"

	"github.com/jobscope/jobscope/internal/account"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/offline"
	"github.com/jobscope/jobscope/internal/signin"
	"github.com/jobscope/jobscope/internal/watch"
	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// NewBrowserEnv returns the Env of a page: settings in localStorage and, when
// the demo server serves the page, the demo's emulator already connected.
// It must run on the main goroutine before ui.RunWhenOnBrowser (it may wait
// for one same-origin request).
func NewBrowserEnv() *Env {
	env := NewEnv(account.BrowserKV())
	env.Offline = offline.New(offline.BrowserStore(offline.Budget))
	env.Offline.OnDisk = env.OnDisk
	env.ClientOptions = append(env.ClientOptions, gitlab.WithTransport(env.Offline.Transport(gitlab.FetchTransport{})))
	env.SignIn = signin.InPage(env.Settings, env.Username, ui.Getenv("GOAPP_ROOT_PREFIX"), PathOAuthCallback)
	env.Watches = watch.NewList(account.BrowserKV())
	watch.Start(&watch.Poller{List: env.Watches, Accounts: env.Settings, Client: env.Client,
		Notifier: watch.BrowserNotifier{
			Icon: ui.Getenv("GOAPP_STATIC_RESOURCES_URL") + "/icon-192.png",
			Link: func(w watch.Watched) string { return ui.Getenv("GOAPP_ROOT_PREFIX") + watchPath(w) },
		}})
	if c, ok := loadDemoConfig(); ok {
		env.applyDemo(c)
		if c.Start != "" {
			openDemoStart(c.Start)
		}
	}
	return env
}

func loadDemoConfig() (DemoConfig, bool) {
	doc := js.Global().Get("document")
	if !doc.Call("querySelector", `meta[name="`+DemoMetaName+`"]`).Truthy() {
		return DemoConfig{}, false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := gitlab.FetchTransport{}.Do(ctx, &gitlab.Request{
		Method: "GET",
		URL:    ui.Getenv("GOAPP_ROOT_PREFIX") + DemoConfigPath,
		Header: gitlab.Header{},
	})
	if err != nil || resp.StatusCode != 200 {
		return DemoConfig{}, false
	}
	c, err := ParseDemoConfig(resp.Body)
	if err != nil {
		js.Global().Get("console").Call("warn", err.Error())
		return DemoConfig{}, false
	}
	return c, true
}

// openDemoStart replaces the Connect screen's URL with the demo's start page
// before go-app reads the location, so no extra history entry is made.
func openDemoStart(start string) {
	loc := js.Global().Get("location")
	prefix := ui.Getenv("GOAPP_ROOT_PREFIX")
	path := strings.TrimPrefix(loc.Get("pathname").String(), prefix)
	if ParsePath(path).Screen != ScreenConnect {
		return
	}
	js.Global().Get("history").Call("replaceState", nil, "", prefix+start)
}
