//go:build !js

package signin

// PathOnScreen is "" outside a browser: there is no address bar.
func PathOnScreen(prefix string) string { return "" }

// TakeCallbackURL is "" outside a browser: there is no address bar.
func TakeCallbackURL() string { return "" }
