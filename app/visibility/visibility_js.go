package visibility

import (
	"context"
	"syscall/js"
)

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
