package app

import (
	"sync"
	"syscall/js"
)

// theEngine is engineOf this page, asked once: none of it changes while
// the page lives (installing opens a new one).
var theEngine = sync.OnceValue(func() (e engine) {
	defer func() {
		if recover() != nil {
			e = engine{} // a browser that throws on a question is taken for Chromium
		}
	}()
	w := js.Global()
	nav := w.Get("navigator")
	standalone := nav.Get("standalone").Truthy()
	if mm := w.Get("matchMedia"); mm.Truthy() {
		standalone = standalone || w.Call("matchMedia", "(display-mode: standalone)").Get("matches").Bool()
	}
	proto := w.Get("location").Get("protocol").String()
	return engineOf(engineProbe{
		UserAgent:      nav.Get("userAgent").String(),
		MaxTouchPoints: nav.Get("maxTouchPoints").Int(),
		Standalone:     standalone,
		HTTP:           proto == "http:" || proto == "https:",
	})
})

// keepStorage asks the browser to keep the origin's storage
// (navigator.storage.persist) where it may evict it. WebKit grants it to a
// Home Screen web app and may refuse a tab; WebKitGTK has no
// navigator.storage: both are fine, the hint on Connect stays.
func keepStorage() {
	if !theEngine().Evictable {
		return
	}
	st := js.Global().Get("navigator").Get("storage")
	if st.Truthy() && st.Get("persist").Truthy() {
		st.Call("persist")
	}
}
