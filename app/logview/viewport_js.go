package logview

import (
	"math"
	"strconv"
	"syscall/js"

	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

const (
	lineH    = 20 // px, as web/log.css sets .log-rows > div
	overscan = 40 // rows above and below the viewport (probe: ≥ lines per frame)
	// maxSpacerPx stays under Chromium's ~33.5M px element height cap;
	// taller logs scale the scroll position to rows.
	maxSpacerPx = 30_000_000
)

// slot is one pooled row element and what it shows.
type slot struct {
	el    js.Value
	style js.Value
	row   int
	epoch int
	shown bool
}

// viewport owns the row pool of #log-rows (see the package doc). Its
// methods run on the UI goroutine or in the scroll handler; both read the
// store only.
type viewport struct {
	v                  *viewer
	ctx                ui.Context
	port, space, rows  js.Value
	rowsStyle          js.Value
	pool               []slot
	epoch              int
	buf                []byte
	spacer             int
	onScroll, onClick  js.Func
	onKey, onResize    js.Func
	resizes            js.Value // the ResizeObserver of the port
	atEnd              bool     // the port is at its end, and nobody scrolled up since
	lastTop            float64  // scrollTop at the last update
	sheet              js.Value
	attached, released bool
	topF               float64
}

func newViewport(v *viewer) *viewport { return &viewport{v: v} }

// attach finds the shell's elements and starts listening.
func (p *viewport) attach(ctx ui.Context) {
	if p.attached {
		return
	}
	doc := js.Global().Get("document")
	p.port = doc.Call("getElementById", "log-port")
	p.space = doc.Call("getElementById", "log-space")
	p.rows = doc.Call("getElementById", "log-rows")
	if !p.port.Truthy() || !p.space.Truthy() || !p.rows.Truthy() {
		return
	}
	p.ctx, p.attached = ctx, true
	p.rowsStyle = p.rows.Get("style")
	p.onScroll = js.FuncOf(func(js.Value, []js.Value) any {
		p.update()
		return nil
	})
	p.port.Call("addEventListener", "scroll", p.onScroll, map[string]any{"passive": true})
	js.Global().Call("addEventListener", "resize", p.onScroll, map[string]any{"passive": true})
	p.onClick = js.FuncOf(p.click)
	p.rows.Call("addEventListener", "click", p.onClick)
	p.onKey = js.FuncOf(p.key)
	doc.Call("addEventListener", "keydown", p.onKey)
	// The port changes size without a window resize (the job's header
	// comes in, a notice, the details panel): a port at its end stays at
	// its end, the others are redrawn for their new height.
	p.onResize = js.FuncOf(func(js.Value, []js.Value) any {
		if p.atEnd {
			p.scrollToEnd()
		} else {
			p.update()
		}
		return nil
	})
	if ro := js.Global().Get("ResizeObserver"); ro.Truthy() {
		p.resizes = ro.New(p.onResize)
		p.resizes.Call("observe", p.port)
	}
	// 24-bit colours: rules added through CSSOM to a constructed sheet, which
	// style-src 'self' does not govern (internal/logrow's package doc).
	if ctor := js.Global().Get("CSSStyleSheet"); ctor.Truthy() {
		p.sheet = ctor.New()
		adopted := doc.Get("adoptedStyleSheets")
		if adopted.Truthy() {
			doc.Set("adoptedStyleSheets", js.Global().Get("Array").Call("from", adopted).Call("concat", js.ValueOf([]any{p.sheet})))
		}
	}
	ensureStylesheet(doc)
}

// ensureStylesheet links web/log.css when the page does not already.
func ensureStylesheet(doc js.Value) {
	if doc.Call("querySelector", `link[href$="/web/log.css"]`).Truthy() {
		return
	}
	link := doc.Call("createElement", "link")
	link.Set("rel", "stylesheet")
	link.Set("href", ui.Getenv("GOAPP_ROOT_PREFIX")+"/web/log.css")
	doc.Get("head").Call("appendChild", link)
}

func (p *viewport) release() {
	if !p.attached || p.released {
		return
	}
	p.released = true
	p.port.Call("removeEventListener", "scroll", p.onScroll)
	js.Global().Call("removeEventListener", "resize", p.onScroll)
	p.rows.Call("removeEventListener", "click", p.onClick)
	js.Global().Get("document").Call("removeEventListener", "keydown", p.onKey)
	if p.resizes.Truthy() {
		p.resizes.Call("disconnect")
	}
	dropSheet(js.Global().Get("document"), p.sheet)
	p.onResize.Release()
	p.onScroll.Release()
	p.onClick.Release()
	p.onKey.Release()
}

// dropSheet removes the view's constructed sheet from the document's
// adopted ones: each view adds its own, and a page that opens many logs
// would otherwise keep every one of them and their rules.
func dropSheet(doc, sheet js.Value) {
	adopted := doc.Get("adoptedStyleSheets")
	if !sheet.Truthy() || !adopted.Truthy() {
		return
	}
	keep := []any{}
	for i := range adopted.Length() {
		if s := adopted.Index(i); !s.Equal(sheet) {
			keep = append(keep, s)
		}
	}
	doc.Set("adoptedStyleSheets", js.ValueOf(keep))
}

// click handles section toggles and line-number clicks for every row.
func (p *viewport) click(_ js.Value, args []js.Value) any {
	e := args[0]
	t := e.Get("target")
	if !t.Truthy() || t.Get("closest").IsUndefined() {
		return nil
	}
	if b := t.Call("closest", "button.tg"); b.Truthy() {
		s, err := strconv.Atoi(b.Get("dataset").Get("s").String())
		if err == nil {
			p.ctx.Dispatch(func(ctx ui.Context) {
				p.v.toggle(ctx, s)
				if btn := p.rows.Call("querySelector", `button.tg[data-s="`+strconv.Itoa(s)+`"]`); btn.Truthy() {
					btn.Call("focus")
				}
			})
		}
		return nil
	}
	if b := t.Call("closest", "button.tm"); b.Truthy() {
		if k, err := strconv.Atoi(b.Get("dataset").Get("t").String()); err == nil {
			p.ctx.Dispatch(func(ctx ui.Context) { p.v.marks.clicked(ctx, k) })
		}
		return nil
	}
	if a := t.Call("closest", "a.ln"); a.Truthy() {
		// Not go-app's too: its window click handler would navigate to the
		// link's #L<n> (a history entry, and a range cut to its last line).
		e.Call("stopPropagation")
		e.Call("preventDefault")
		n, err := strconv.Atoi(a.Get("textContent").String())
		shift := e.Get("shiftKey").Bool()
		if err == nil {
			p.ctx.Dispatch(func(ctx ui.Context) { p.v.selectLine(n-1, shift) })
		}
	}
	return nil
}

// key runs the log view's keys (commandFor) for the whole page, so they
// work wherever the focus is, except in a text field.
func (p *viewport) key(_ js.Value, args []js.Value) any {
	e := args[0]
	if e.Get("defaultPrevented").Bool() || e.Get("isComposing").Bool() {
		return nil
	}
	c := commandFor(e.Get("key").String(), e.Get("ctrlKey").Bool(), e.Get("metaKey").Bool(), e.Get("altKey").Bool(), inField(e.Get("target")))
	if c == cmdNone {
		return nil
	}
	e.Call("preventDefault") // "/" is Firefox's quick find
	p.ctx.Dispatch(func(ctx ui.Context) { p.v.do(ctx, c) })
	return nil
}

// inField reports whether el takes typed text: a text input, a text area,
// a select (letters pick options) or an editable element.
func inField(el js.Value) bool {
	if !el.Truthy() || el.Get("tagName").IsUndefined() {
		return false
	}
	switch el.Get("tagName").String() {
	case "TEXTAREA", "SELECT":
		return true
	case "INPUT":
		switch el.Get("type").String() {
		case "checkbox", "radio", "button", "submit", "reset", "range", "color", "file", "image":
			return false
		}
		return true
	}
	return el.Get("isContentEditable").Truthy()
}

// redraw rewrites every row (force) or only the ones that moved.
func (p *viewport) redraw(force bool) {
	if force {
		p.epoch++
	}
	p.update()
}

// grown redraws after the store grew, staying at the end if the user was
// there and the log is followed.
func (p *viewport) grown(follow bool) {
	if !p.attached {
		return
	}
	bottom := follow && p.atBottom()
	if bottom {
		// Straight to the end: a redraw first would write the rows for
		// the old position, only to write them again for the end.
		p.epoch++
		p.scrollToEnd()
		return
	}
	p.redraw(true)
}

// atBottom reports whether the port is at its end, or was and nobody
// scrolled up since: a port that shrank (the job's header came in above it)
// has not been scrolled away from its end.
func (p *viewport) atBottom() bool {
	return p.atEnd || p.port.Get("scrollTop").Float()+p.port.Get("clientHeight").Float() >= p.port.Get("scrollHeight").Float()-lineH
}

// update places the pool for the current scroll position.
func (p *viewport) update() {
	if !p.attached || p.released || p.v.fold == nil {
		return
	}
	rows := p.v.rows()
	total := rows * lineH
	resized := p.sizeSpace()
	spacer := p.spacer
	h := p.port.Get("clientHeight").Float()
	st := p.port.Get("scrollTop").Float()
	visible := int(math.Ceil(h / lineH))
	if need := visible + 2*overscan; need > len(p.pool) {
		p.grow(need)
	}
	topF := st / lineH
	if total > maxSpacerPx {
		topF = st / max(1, float64(spacer)-h) * float64(max(0, rows-visible))
	}
	p.topF = topF
	// At the end it stays, unless scrolled up or the rows changed: a port
	// that shrank under it (a scroll event may come before the resize
	// observer's) is put back at its end by onResize.
	end := rows > 0 && st+h >= float64(spacer)-lineH
	if resized || st < p.lastTop {
		p.atEnd = end
	} else {
		p.atEnd = p.atEnd || end
	}
	p.lastTop = st
	first := max(0, int(topF)-overscan)
	top := st - (topF-float64(first))*lineH
	p.rowsStyle.Set("transform", "translateY("+strconv.FormatFloat(top, 'f', 1, 64)+"px)")
	n := len(p.pool)
	for r := first; r < first+n; r++ {
		s := &p.pool[r%n]
		if r >= rows {
			if s.shown {
				s.el.Set("hidden", true)
				s.shown, s.row = false, -1
			}
			continue
		}
		if s.row == r && s.epoch == p.epoch {
			continue
		}
		var sel bool
		p.buf, sel = p.v.appendRow(p.buf[:0], r)
		s.el.Set("innerHTML", string(p.buf))
		s.style.Set("order", r)
		s.el.Set("className", p.v.rowClass(r, sel))
		if !s.shown {
			s.el.Set("hidden", false)
			s.shown = true
		}
		s.row, s.epoch = r, p.epoch
	}
	if p.sheet.Truthy() {
		for _, c := range p.v.builder.NewColours() {
			for _, r := range c.Rules() {
				p.sheet.Call("insertRule", r, p.sheet.Get("cssRules").Length())
			}
		}
	}
}

// sizeSpace makes the spacer as tall as the rows (up to maxSpacerPx), and
// reports whether it changed.
func (p *viewport) sizeSpace() bool {
	spacer := min(p.v.rows()*lineH, maxSpacerPx)
	if spacer == p.spacer {
		return false
	}
	p.space.Get("style").Set("height", strconv.Itoa(spacer)+"px")
	p.spacer = spacer
	return true
}

// grow adds row elements up to n; existing slots are re-dealt.
func (p *viewport) grow(n int) {
	doc := js.Global().Get("document")
	for len(p.pool) < n {
		el := doc.Call("createElement", "div")
		el.Set("hidden", true)
		p.rows.Call("appendChild", el)
		p.pool = append(p.pool, slot{el: el, style: el.Get("style"), row: -1})
	}
	for i := range p.pool {
		p.pool[i].row = -1
	}
}

// topLine is the line at the top of the viewport.
func (p *viewport) topLine() int {
	if p.v.fold == nil || p.v.rows() == 0 {
		return 0
	}
	return p.v.fold.Line(min(int(p.topF), p.v.rows()-1))
}

// topFrac is how much of the top row is scrolled past, in rows (0 to 1).
func (p *viewport) topFrac() float64 { return p.topF - math.Floor(p.topF) }

// scrollRowToTop puts row r (with a fraction of a row scrolled past) at the
// top of the viewport: the inverse of update's scroll-to-row mapping.
func (p *viewport) scrollRowToTop(r float64) {
	if !p.attached {
		return
	}
	h := p.port.Get("clientHeight").Float()
	rows := p.v.rows()
	st := r * lineH
	if total := rows * lineH; total > maxSpacerPx {
		visible := math.Ceil(h / lineH)
		st = r / max(1, float64(rows)-visible) * (float64(p.spacer) - h)
	}
	p.port.Set("scrollTop", max(0, st))
	p.update()
}

// scrollToRow puts row r in the middle of the viewport.
func (p *viewport) scrollToRow(r int) {
	if !p.attached {
		return
	}
	h := p.port.Get("clientHeight").Float()
	rows := p.v.rows()
	st := float64(r)*lineH - h/2 + lineH/2
	if total := rows * lineH; total > maxSpacerPx {
		visible := math.Ceil(h / lineH)
		st = (float64(r) - visible/2) / max(1, float64(rows)-visible) * (float64(p.spacer) - h)
	}
	p.port.Set("scrollTop", max(0, st))
	p.update()
}

func (p *viewport) scrollToEnd() {
	if !p.attached {
		return
	}
	// The spacer is sized here, not by a redraw first: a scroll past it
	// stops at the end, and the rows are written once, for the end.
	p.sizeSpace()
	p.port.Set("scrollTop", p.spacer)
	p.update()
}
