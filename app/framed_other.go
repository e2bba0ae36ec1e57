//go:build !js

package app

// isFramed is false outside the browser: there is no page to frame it.
func isFramed() bool { return false }
