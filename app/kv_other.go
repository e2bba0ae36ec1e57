//go:build !js

package app

// BrowserKV returns a MemoryKV outside the browser.
func BrowserKV() KV { return &MemoryKV{} }
