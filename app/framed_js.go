package app

import (
	"sync"
	"syscall/js"
)

// isFramed is window.top !== window.self, asked once: a page does not move
// between frames. Comparing a cross-origin top is allowed; anything that
// throws counts as framed.
var isFramed = sync.OnceValue(func() (framed bool) {
	defer func() {
		if recover() != nil {
			framed = true
		}
	}()
	w := js.Global()
	return !w.Get("top").Equal(w.Get("self"))
})
