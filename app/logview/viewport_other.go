//go:build !js

package logview

import ui "github.com/maxence-charriere/go-app/v10/pkg/app"

// viewport is the browser's row pool (viewport_js.go); natively it draws
// nothing, so the view's logic builds and is tested without a browser.
type viewport struct{ v *viewer }

func newViewport(v *viewer) *viewport      { return &viewport{v: v} }
func (p *viewport) attach(ui.Context)      {}
func (p *viewport) release()               {}
func (p *viewport) redraw(bool)            {}
func (p *viewport) grown(bool)             {}
func (p *viewport) topLine() int           { return 0 }
func (p *viewport) scrollToRow(int)        {}
func (p *viewport) scrollToEnd()           {}
func (p *viewport) topFrac() float64       { return 0 }
func (p *viewport) scrollRowToTop(float64) {}
func (p *viewport) atBottom() bool         { return true }
