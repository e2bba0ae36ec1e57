//go:build !js

package app

// Outside a browser there is no tab to poll from and nothing to notify.
func startWatching(env *Env) {}
func askNotifyPermission()   {}
func notify(Watched)         {}
func setBadge(int)           {}
