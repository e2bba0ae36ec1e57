package logview

import (
	"context"
	"strconv"
	"strings"
	"syscall/js"

	"github.com/jobscope/jobscope/app/savefile"
	"github.com/jobscope/jobscope/app/visibility"
)

// hashLine reads a #L<n> permalink from the location (0-based line).
func hashLine() (int, bool) {
	h := js.Global().Get("location").Get("hash").String()
	n, err := strconv.Atoi(strings.TrimPrefix(h, "#L"))
	if !strings.HasPrefix(h, "#L") || err != nil || n < 1 {
		return 0, false
	}
	return n - 1, true
}

// setHash makes #L<n> the location's fragment without a history entry or
// a jump (the view scrolls itself).
func setHash(n int) {
	loc := js.Global().Get("location")
	url := loc.Get("pathname").String() + loc.Get("search").String() + "#L" + strconv.Itoa(n)
	js.Global().Get("history").Call("replaceState", js.Global().Get("history").Get("state"), "", url)
}

// copyText puts s on the clipboard (Clipboard API; needs a secure context).
func copyText(s string) {
	if c := js.Global().Get("navigator").Get("clipboard"); c.Truthy() {
		c.Call("writeText", s)
	}
}

// download saves the raw log as a file.
func download(name string, b []byte) { savefile.Save(name, "text/plain;charset=utf-8", b) }

func focus(id string) {
	if el := js.Global().Get("document").Call("getElementById", id); el.Truthy() {
		el.Call("focus")
	}
}

// waitVisible blocks while the page is hidden.
func waitVisible(ctx context.Context) error { return visibility.Wait(ctx) }

// readFile reads a File (from an input or a drop) and calls done with its
// bytes, or an error message, on the JS event loop.
func readFile(file js.Value, done func(name string, b []byte, problem string)) {
	name := file.Get("name").String()
	var then, fail js.Func
	then = js.FuncOf(func(_ js.Value, args []js.Value) any {
		defer then.Release()
		defer fail.Release()
		arr := js.Global().Get("Uint8Array").New(args[0])
		b := make([]byte, arr.Get("length").Int())
		js.CopyBytesToGo(b, arr)
		go done(name, b, "")
		return nil
	})
	fail = js.FuncOf(func(_ js.Value, args []js.Value) any {
		defer then.Release()
		defer fail.Release()
		go done(name, nil, "The file could not be read.")
		return nil
	})
	file.Call("arrayBuffer").Call("then", then, fail)
}
