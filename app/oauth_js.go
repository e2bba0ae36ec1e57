package app

import (
	"context"
	"strings"
	"syscall/js"

	"github.com/jobscope/jobscope/internal/account"
	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// newPageSignIn adapts the browser: the attempt waits in sessionStorage
// (this tab only, never a URL) and refreshes take a Web Lock shared by the
// origin's tabs.
func newPageSignIn(e *Env) *SignIn {
	loc := js.Global().Get("location")
	s := NewSignIn(e, account.BrowserSessionKV(), loc.Get("origin").String()+ui.Getenv("GOAPP_ROOT_PREFIX")+PathOAuthCallback)
	if js.Global().Get("navigator").Get("locks").Truthy() {
		s.lock = webLock{}
	}
	return s
}

// currentAppPath is the path on screen without the site's prefix.
func currentAppPath() string {
	p := js.Global().Get("location").Get("pathname").String()
	return strings.TrimPrefix(p, ui.Getenv("GOAPP_ROOT_PREFIX"))
}

// goTopLevel leaves the app for GitLab's consent page.
func goTopLevel(url string) { js.Global().Get("location").Call("assign", url) }

// takeCallbackURL returns the page's URL and replaces it in the address bar
// and history with the bare callback path, so the code and state do not stay
// there (nor in a bookmark or a later Referer).
func takeCallbackURL() string {
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
