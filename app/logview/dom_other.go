//go:build !js

package logview

import "context"

// Native twins of dom_js.go: no location, clipboard or files here.

func hashLines() (first, last int, ok bool) { return 0, 0, false }
func hashLine() (int, bool)                 { return 0, false }
func setHash(string)                        {}
func popover(string, bool, bool)            {}
func canFullScreen() bool                   { return false }
func fullScreen()                           {}
func copyText(string)                       {}
func download(string, []byte)               {}
func focus(string)                          {}
func waitVisible(ctx context.Context) error { return ctx.Err() }
