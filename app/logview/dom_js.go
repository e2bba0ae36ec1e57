package logview

import (
	"context"
	"syscall/js"

	"github.com/jobscope/jobscope/app/savefile"
	"github.com/jobscope/jobscope/app/visibility"
)

// hashLines reads a #L<n> or #L<a>-<b> fragment from the location
// (0-based lines, parseLineHash).
func hashLines() (first, last int, ok bool) {
	return parseLineHash(js.Global().Get("location").Get("hash").String())
}

// hashLine is the first line of hashLines.
func hashLine() (int, bool) {
	first, _, ok := hashLines()
	return first, ok
}

// setHash makes fragment the location's without a history entry or a jump
// (the view scrolls itself).
func setHash(fragment string) {
	loc := js.Global().Get("location")
	url := loc.Get("pathname").String() + loc.Get("search").String() + fragment
	js.Global().Get("history").Call("replaceState", js.Global().Get("history").Get("state"), "", url)
}

// popover shows (show), hides or toggles (toggle) the popover element id.
func popover(id string, show, toggle bool) {
	el := js.Global().Get("document").Call("getElementById", id)
	if !el.Truthy() || el.Get("togglePopover").IsUndefined() {
		return
	}
	switch {
	case toggle:
		el.Call("togglePopover")
	case show && !el.Call("matches", ":popover-open").Bool():
		el.Call("showPopover")
	case !show && el.Call("matches", ":popover-open").Bool():
		el.Call("hidePopover")
	}
}

// canFullScreen reports whether the page may show an element full screen
// (not in an extension popup, nor in a frame that does not allow it).
func canFullScreen() bool {
	return js.Global().Get("document").Get("fullscreenEnabled").Truthy()
}

// fullScreen shows the log view (the .log around the viewport) full
// screen, or leaves full screen.
func fullScreen() {
	doc := js.Global().Get("document")
	if doc.Get("fullscreenElement").Truthy() {
		doc.Call("exitFullscreen")
		return
	}
	if el := doc.Call("querySelector", ".log"); el.Truthy() {
		el.Call("requestFullscreen")
	}
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
