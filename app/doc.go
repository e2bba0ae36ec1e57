// Package app is the jobscope viewer's user interface: go-app components, the
// routes that deep-link to them, and the settings they keep.
//
// Everything here compiles natively too, so routes, settings and view logic
// are tested with plain `go test`; only the *_js.go adapters touch the
// browser. Untrusted text (job names, refs, user names, logs) reaches the DOM
// only through go-app's Text and attribute setters, never through Raw.
//
// go-app's package is imported as ui, since this package is also called app.
package app
