package app

import (
	"context"
	"syscall/js"

	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// startWatching runs the tab's part in watching: every tab wakes the poller
// when another tab changes the watch list (the storage event), and the one
// tab holding the Web Lock "jobscope-watch" polls; when it closes, the lock
// and the polling pass to another tab. Browsers without Web Locks poll in
// every tab.
func startWatching(env *Env) {
	wake := make(chan struct{}, 1)
	poke := func() {
		select {
		case wake <- struct{}{}:
		default:
		}
	}
	env.Watches.Changed = poke
	js.Global().Call("addEventListener", "storage", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if k := args[0].Get("key"); k.IsNull() || k.String() == watchKey {
			poke()
		}
		return nil
	}))
	p := &WatchPoller{List: env.Watches, Env: env, Notify: notify, Badge: setBadge, Wake: wake}
	run := func() { go p.Run(context.Background()) }
	locks := js.Global().Get("navigator").Get("locks")
	if !locks.Truthy() {
		run()
		return
	}
	// The lock is held as long as the returned promise is pending: forever.
	locks.Call("request", "jobscope-watch", js.FuncOf(func(js.Value, []js.Value) any {
		run()
		return js.Global().Get("Promise").New(js.FuncOf(func(js.Value, []js.Value) any { return nil }))
	}))
}

// askNotifyPermission asks once, on the first watch (a click), and never
// when the user already answered.
func askNotifyPermission() {
	n := js.Global().Get("Notification")
	if n.Truthy() && n.Get("permission").String() == "default" {
		n.Call("requestPermission")
	}
}

// notify shows a system notification for a watched item that finished:
// through the service worker when one controls the page (Android allows no
// other way), else with the Notification constructor.
func notify(w Watched) {
	n := js.Global().Get("Notification")
	if !n.Truthy() || n.Get("permission").String() != "granted" {
		return
	}
	opts := map[string]any{
		"body": w.Project,
		"tag":  w.key(), // a second notice for the same item replaces the first
		"icon": ui.Getenv("GOAPP_STATIC_RESOURCES_URL") + "/icon-192.png",
		"data": map[string]any{"path": ui.Getenv("GOAPP_ROOT_PREFIX") + w.Path()},
	}
	sw := js.Global().Get("navigator").Get("serviceWorker")
	if sw.Truthy() && sw.Get("controller").Truthy() {
		sw.Get("ready").Call("then", js.FuncOf(func(_ js.Value, args []js.Value) any {
			args[0].Call("showNotification", w.Title(), opts)
			return nil
		}))
		return
	}
	n.New(w.Title(), opts)
}

// setBadge shows n on the installed app's icon, or clears it.
func setBadge(n int) {
	nav := js.Global().Get("navigator")
	if !nav.Get("setAppBadge").Truthy() {
		return
	}
	if n == 0 {
		nav.Call("clearAppBadge")
		return
	}
	nav.Call("setAppBadge", n)
}
