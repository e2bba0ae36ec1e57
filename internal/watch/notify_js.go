package watch

import "syscall/js"

// AskPermission asks once, on the first watch (a click), and never when
// the user already answered.
func AskPermission() {
	n := js.Global().Get("Notification")
	if n.Truthy() && n.Get("permission").String() == "default" {
		n.Call("requestPermission")
	}
}

// BrowserNotifier is the system's notifications and the installed app's
// badge.
type BrowserNotifier struct {
	// Icon is the notification's icon URL.
	Icon string
	// Link is the page a notification leads to, as a URL path of the site.
	Link func(Watched) string
}

// Notify shows a system notification for a watched item that finished:
// through the service worker when one controls the page (Android allows no
// other way), else with the Notification constructor.
func (b BrowserNotifier) Notify(w Watched) {
	n := js.Global().Get("Notification")
	if !n.Truthy() || n.Get("permission").String() != "granted" {
		return
	}
	opts := map[string]any{
		"body": w.Project,
		"tag":  w.Key(), // a second notice for the same item replaces the first
		"icon": b.Icon,
		"data": map[string]any{"path": b.Link(w)},
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

// Badge shows n on the installed app's icon, or clears it.
func (BrowserNotifier) Badge(n int) {
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
