//go:build !js

package app

// newPageSignIn outside the browser (tests, the site builder): memory for
// the pending attempt, a mutex for the lock, the loopback callback.
func newPageSignIn(e *Env) *SignIn {
	return NewSignIn(e, &MemoryKV{}, "http://127.0.0.1"+PathOAuthCallback)
}

func goTopLevel(string) {}

func currentAppPath() string { return "" }

func takeCallbackURL() string { return "" }
