//go:build !js

package app

// onVisible never fires outside the browser; the list's "Load more" button
// does the same job.
func onVisible(id string, f func(visible bool)) (stop func()) { return func() {} }

// nearViewport is false outside the browser: nothing is in view.
func nearViewport(id string) bool { return false }
