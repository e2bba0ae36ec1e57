//go:build !js

package visibility

import "context"

// Hidden is false outside the browser.
func Hidden() bool { return false }

// Wait returns at once outside the browser: there is no page to hide.
func Wait(ctx context.Context) error { return ctx.Err() }

// Shown does nothing outside the browser: the page is never hidden.
func Shown(ctx context.Context, wake chan<- struct{}) {}
