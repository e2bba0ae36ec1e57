package logview

import (
	"syscall/js"

	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// nextTask runs f on the UI goroutine in a task of the browser's own, after
// the page has had the event loop (paint, input). ctx.After(1 ms) does not
// promise that: when the step it follows takes longer than the wait, the
// timer is due before the wasm goes idle, so the runtime runs on without
// returning to the browser (measured: one task of 6.8 s for a 60 MB file,
// BenchmarkCompareInTheBrowser). A setTimeout callback only fires once the
// wasm has returned to JS.
func nextTask(ctx ui.Context, f func(ui.Context)) {
	var cb js.Func
	cb = js.FuncOf(func(js.Value, []js.Value) any {
		cb.Release()
		ctx.Dispatch(f)
		return nil
	})
	js.Global().Call("setTimeout", cb, 0)
}
