//go:build !js

package logview

import "context"

// Native twins of dom_js.go: no location, clipboard or files here.

func hashLine() (int, bool)                 { return 0, false }
func setHash(int)                           {}
func copyText(string)                       {}
func download(string, []byte)               {}
func focus(string)                          {}
func waitVisible(ctx context.Context) error { return ctx.Err() }
