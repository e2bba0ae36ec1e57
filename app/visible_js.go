package app

import "syscall/js"

// onVisible calls f with true when the element with the given id comes
// within 600px of the viewport and with false when it leaves, using an
// IntersectionObserver. f runs on the browser's event loop: it must not
// block (dispatch to the UI goroutine instead). stop disconnects.
func onVisible(id string, f func(visible bool)) (stop func()) {
	el := js.Global().Get("document").Call("getElementById", id)
	ctor := js.Global().Get("IntersectionObserver")
	if !el.Truthy() || !ctor.Truthy() {
		return func() {}
	}
	cb := js.FuncOf(func(_ js.Value, args []js.Value) any {
		entries := args[0]
		if n := entries.Length(); n > 0 {
			f(entries.Index(n - 1).Get("isIntersecting").Bool())
		}
		return nil
	})
	obs := ctor.New(cb, map[string]any{"rootMargin": "600px"})
	obs.Call("observe", el)
	return func() {
		obs.Call("disconnect")
		cb.Release()
	}
}
