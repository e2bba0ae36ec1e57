// Package app is the jobscope viewer's user interface: go-app components,
// the routes that deep-link to them, the Env they share, and the PWA's
// wiring of it (NewBrowserEnv; the extension popup's is extension/wasm).
//
// What the screens keep and do lives below, in plain Go with a browser
// adapter and an in-memory twin each: the instances and their store
// (internal/account), copies of GitLab's replies (internal/offline), the
// watched jobs (internal/watch), "Sign in with GitLab" (internal/signin),
// the polling loop (internal/poll) and the words (internal/words).
//
// Everything here compiles natively too, so routes and view logic are
// tested with plain `go test`; only the *_js.go adapters touch the browser.
// Untrusted text (job names, refs, user names, logs) reaches the DOM only
// through go-app's Text and attribute setters, never through Raw.
//
// go-app's package is imported as ui, since this package is also called app.
package app
