//go:build !js

package app

// onNetwork has no browser to ask outside one: always online.
func onNetwork(f func(online bool)) (online bool, stop func()) { return true, func() {} }
