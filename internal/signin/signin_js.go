package signin

import (
	"context"
	"strings"
	"syscall/js"

	"github.com/jobscope/jobscope/internal/account"
)

// InPage returns the sign-in of a browser tab: the attempt waits in
// sessionStorage (this tab only, never a URL), refreshes take a Web Lock
// shared by the origin's tabs, GitLab's consent page opens top-level, and
// the path on screen is the address bar's. prefix is the site's path prefix
// (go-app's GOAPP_ROOT_PREFIX); callbackPath the app path GitLab sends the
// browser back to.
func InPage(accounts *account.Store, user UserFunc, prefix, callbackPath string) *SignIn {
	loc := js.Global().Get("location")
	s := New(accounts, user, account.BrowserSessionKV(), loc.Get("origin").String()+prefix+callbackPath)
	if js.Global().Get("navigator").Get("locks").Truthy() {
		s.lock = webLock{}
	}
	s.Here = func() string { return PathOnScreen(prefix) }
	s.Leave = func(url string) { loc.Call("assign", url) } // leaves the app for GitLab's consent page
	return s
}

// PathOnScreen is the address bar's path without the site's prefix.
func PathOnScreen(prefix string) string {
	p := js.Global().Get("location").Get("pathname").String()
	return strings.TrimPrefix(p, prefix)
}

// TakeCallbackURL returns the page's URL and replaces it in the address bar
// and history with the bare callback path, so the code and state do not stay
// there (nor in a bookmark or a later Referer).
func TakeCallbackURL() string {
	loc := js.Global().Get("location")
	href := loc.Get("href").String()
	js.Global().Get("history").Call("replaceState", nil, "", loc.Get("pathname").String())
	return href
}

// webLock is navigator.locks: one holder per name across the origin's tabs.
// Do must not run on the browser's event-loop goroutine (it waits).
type webLock struct{}

func (webLock) Do(ctx context.Context, name string, fn func()) error {
	done := make(chan struct{})
	var executor, granted js.Func
	executor = js.FuncOf(func(_ js.Value, args []js.Value) any {
		resolve := args[0]
		go func() {
			defer close(done)
			defer resolve.Invoke()
			fn()
		}()
		return nil
	})
	granted = js.FuncOf(func(js.Value, []js.Value) any {
		return js.Global().Get("Promise").New(executor) // held until fn returns
	})
	js.Global().Get("navigator").Get("locks").Call("request", name, granted)
	<-done
	executor.Release()
	granted.Release()
	return ctx.Err()
}
