//go:build !js

package app

// theEngine is Chromium's behaviour outside the browser (the site builder
// renders for it; the page adjusts once live).
func theEngine() engine { return engine{} }

func keepStorage() {}
