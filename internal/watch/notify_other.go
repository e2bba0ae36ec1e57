//go:build !js

package watch

// AskPermission does nothing outside a browser: there is nothing to notify.
func AskPermission() {}
