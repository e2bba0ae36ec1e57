//go:build !js

package visibility

import "context"

// Wait returns at once outside the browser: there is no page to hide.
func Wait(ctx context.Context) error { return ctx.Err() }
