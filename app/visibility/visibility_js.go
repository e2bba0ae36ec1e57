package visibility

import (
	"context"
	"syscall/js"
)

// Hidden reports whether the page is hidden now.
func Hidden() bool {
	return js.Global().Get("document").Get("visibilityState").String() == "hidden"
}

// Wait blocks while the page is hidden (document.visibilityState) and
// returns when it is visible again, or with ctx's error when ctx ends.
func Wait(ctx context.Context) error {
	doc := js.Global().Get("document")
	if doc.Get("visibilityState").String() != "hidden" {
		return ctx.Err()
	}
	ch := make(chan struct{}, 1)
	f := js.FuncOf(func(js.Value, []js.Value) any {
		if doc.Get("visibilityState").String() != "hidden" {
			select {
			case ch <- struct{}{}:
			default:
			}
		}
		return nil
	})
	defer f.Release()
	doc.Call("addEventListener", "visibilitychange", f)
	defer doc.Call("removeEventListener", "visibilitychange", f)
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Shown sends on wake, without blocking, each time the page becomes
// visible again, until ctx ends: a poller's Wake (poll.Loop), so a tab
// looked at again asks at once.
func Shown(ctx context.Context, wake chan<- struct{}) {
	doc := js.Global().Get("document")
	f := js.FuncOf(func(js.Value, []js.Value) any {
		if doc.Get("visibilityState").String() != "hidden" {
			select {
			case wake <- struct{}{}:
			default:
			}
		}
		return nil
	})
	doc.Call("addEventListener", "visibilitychange", f)
	go func() {
		<-ctx.Done()
		doc.Call("removeEventListener", "visibilitychange", f)
		f.Release()
	}()
}
