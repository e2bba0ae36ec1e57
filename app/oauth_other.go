//go:build !js

package app

func goTopLevel(string) {}

func currentAppPath() string { return "" }

func takeCallbackURL() string { return "" }
