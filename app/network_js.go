package app

import "syscall/js"

// onNetwork reports whether the browser thinks it is online and calls f on
// every "online" and "offline" event. f runs on the browser's event loop: it
// must not block. stop removes the listeners.
func onNetwork(f func(online bool)) (online bool, stop func()) {
	win := js.Global()
	on := js.FuncOf(func(js.Value, []js.Value) any { f(true); return nil })
	off := js.FuncOf(func(js.Value, []js.Value) any { f(false); return nil })
	win.Call("addEventListener", "online", on)
	win.Call("addEventListener", "offline", off)
	return win.Get("navigator").Get("onLine").Bool(), func() {
		win.Call("removeEventListener", "online", on)
		win.Call("removeEventListener", "offline", off)
		on.Release()
		off.Release()
	}
}
