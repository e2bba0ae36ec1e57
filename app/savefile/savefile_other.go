//go:build !js

package savefile

// Save does nothing outside the browser.
func Save(name, mime string, b []byte) {}
