package app

import (
	"strconv"
	"syscall/js"
)

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
		// The entry's isIntersecting is from the layout when the entry was
		// queued; rows added since may have pushed el away, so measure now.
		f(near(el))
		return nil
	})
	obs := ctor.New(cb, map[string]any{"rootMargin": strconv.Itoa(nearPx) + "px"})
	obs.Call("observe", el)
	return func() {
		obs.Call("disconnect")
		cb.Release()
	}
}

// nearPx is how close to the viewport, in CSS pixels, counts as in view.
const nearPx = 600

// nearViewport reports whether the element with the given id is within
// nearPx of the viewport in the current layout.
func nearViewport(id string) bool {
	el := js.Global().Get("document").Call("getElementById", id)
	return el.Truthy() && near(el)
}

func near(el js.Value) bool {
	r := el.Call("getBoundingClientRect")
	h := js.Global().Get("innerHeight").Float()
	return r.Get("top").Float() < h+nearPx && r.Get("bottom").Float() > -nearPx
}
