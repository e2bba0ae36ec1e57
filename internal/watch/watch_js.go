package watch

import (
	"context"
	"syscall/js"
)

// Start runs the tab's part in watching: every tab wakes the poller when
// another tab changes the watch list (the storage event), and the one tab
// holding the Web Lock "jobscope-watch" runs p; when it closes, the lock
// and the polling pass to another tab. Browsers without Web Locks poll in
// every tab. Start sets p.Wake and p.List.Changed.
func Start(p *Poller) {
	wake := make(chan struct{}, 1)
	poke := func() {
		select {
		case wake <- struct{}{}:
		default:
		}
	}
	p.Wake = wake
	p.List.Changed = poke
	js.Global().Call("addEventListener", "storage", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if k := args[0].Get("key"); k.IsNull() || k.String() == StorageKey {
			poke()
		}
		return nil
	}))
	run := func() { go p.Run(context.Background()) }
	locks := js.Global().Get("navigator").Get("locks")
	if !locks.Truthy() {
		run()
		return
	}
	// The lock is held as long as the returned promise is pending: forever.
	locks.Call("request", "jobscope-watch", js.FuncOf(func(js.Value, []js.Value) any {
		run()
		return js.Global().Get("Promise").New(js.FuncOf(func(js.Value, []js.Value) any { return nil }))
	}))
}
