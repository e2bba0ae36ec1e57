//go:build !js

package account

// BrowserKV returns a MemoryKV outside the browser.
func BrowserKV() KV { return &MemoryKV{} }

// BrowserSessionKV returns a MemoryKV outside the browser.
func BrowserSessionKV() KV { return &MemoryKV{} }
