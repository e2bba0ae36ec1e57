package logrow

import (
	"strconv"
	"unicode/utf8"

	"github.com/jobscope/jobscope/internal/joblog"
)

// Hit is a search match to highlight: Text[Start:End] of the row's line.
type Hit struct {
	Start, End int
	Current    bool // the match "n of N" points at
}

// Row is what one row shows besides its line.
type Row struct {
	Line joblog.Line
	// Stamp is the timestamp as the user chose to see it (see AppendStamp);
	// empty shows none.
	Stamp []byte
	// Hits are the line's matches, in order and not overlapping; ranges
	// outside the text are clipped.
	Hits []Hit
	// Expanded is the header's section state (for Line.Header only).
	Expanded bool
	// Duration is the header's section duration ("01:02"), empty for none.
	Duration string
	// Mark is 1 + the index of a failed test whose line this is (the job
	// screen's tests panel), 0 for none: a button that shows the test.
	Mark int
}

// Builder writes rows. It remembers which 24-bit colours it has emitted so
// the view can add their CSS rules once. The zero Builder is ready; it is not
// safe for concurrent use.
type Builder struct {
	links  []joblog.Link
	seen   map[uint32]bool
	colors []Colour
}

// Colour is a 24-bit colour class the view must define (see the package doc).
type Colour struct {
	Background bool
	RGB        int // 0xRRGGBB
}

// Class is the colour's class name: rgb-f-rrggbb or rgb-b-rrggbb.
func (c Colour) Class() string { return string(appendRGBClass(nil, c.Background, c.RGB)) }

// Rules are the colour's CSS rules, each for CSSStyleSheet.insertRule in
// this order: a text colour as the light scheme draws it, then as the dark
// one does (Scheme.Readable); a background as it is.
func (c Colour) Rules() []string {
	rule := func(prop string, rgb int) string {
		b := append([]byte{'.'}, c.Class()...)
		b = append(b, "{"+prop+":#"...)
		b = appendHex6(b, rgb)
		return string(append(b, '}'))
	}
	if c.Background {
		return []string{rule("background-color", c.RGB)}
	}
	return []string{
		rule("color", Light.Readable(c.RGB)),
		"@media (prefers-color-scheme: dark){" + rule("color", Dark.Readable(c.RGB)) + "}",
	}
}

// NewColours returns the 24-bit colours emitted since the last call, each
// once per Builder.
func (b *Builder) NewColours() []Colour {
	c := b.colors
	b.colors = nil
	return c
}

// Append appends the row's inner HTML to dst (see the package doc for what
// it may contain):
//
//	<a class="ln" href="#L12" tabindex="-1">12</a>
//	<button type="button" class="tm" tabindex="-1" data-t="4" aria-label="Show the failed test"></button>  with a Mark
//	<span class="ts">…</span>                         with a Stamp
//	<button type="button" class="tg" tabindex="-1" aria-expanded="true" data-s="3" aria-label="…"></button>  on a header
//	<span class="tx"><span class="term-fg-red">…</span><a href="https://…" …><span>…</span></a>…</span>
//	<span class="dur">01:02</span>                    on a header with a duration
//	<span class="tr">line truncated, 9 bytes</span>   on a truncated line
func (b *Builder) Append(dst []byte, r Row) []byte {
	l := r.Line
	n := l.Index + 1
	// Out of the tab order: Tab would otherwise stop on every line number
	// in the pool (some 120) before leaving the log. A pointer or a screen
	// reader still follows the link; the keyboard has the view's keys.
	dst = append(dst, `<a class="ln" href="#L`...)
	dst = strconv.AppendInt(dst, int64(n), 10)
	dst = append(dst, `" tabindex="-1">`...)
	dst = strconv.AppendInt(dst, int64(n), 10)
	dst = append(dst, `</a>`...)
	if r.Mark > 0 {
		dst = append(dst, `<button type="button" class="tm" tabindex="-1" data-t="`...)
		dst = strconv.AppendInt(dst, int64(r.Mark-1), 10)
		dst = append(dst, `" aria-label="Show the failed test"></button>`...)
	}
	if len(r.Stamp) > 0 {
		dst = append(dst, `<span class="ts">`...)
		dst = appendEscaped(dst, r.Stamp)
		dst = append(dst, `</span>`...)
	}
	if l.Header && l.Section >= 0 {
		// Out of the tab order too (the pool's DOM order is not the rows'
		// order either); the keyboard has s, S and o.
		dst = append(dst, `<button type="button" class="tg" tabindex="-1" aria-expanded="`...)
		label := "Expand section"
		if r.Expanded {
			dst = append(dst, "true"...)
			label = "Collapse section"
		} else {
			dst = append(dst, "false"...)
		}
		dst = append(dst, `" data-s="`...)
		dst = strconv.AppendInt(dst, int64(l.Section), 10)
		dst = append(dst, `" aria-label="`+label+`"></button>`...)
	}
	dst = append(dst, `<span class="tx">`...)
	dst = b.appendText(dst, l, r.Hits)
	dst = append(dst, `</span>`...)
	if r.Duration != "" {
		dst = append(dst, `<span class="dur">`...)
		dst = appendEscaped(dst, []byte(r.Duration))
		dst = append(dst, `</span>`...)
	}
	if l.Truncated > 0 {
		dst = append(dst, `<span class="tr">line truncated, `...)
		dst = strconv.AppendInt(dst, int64(l.Truncated), 10)
		dst = append(dst, ` bytes</span>`...)
	}
	return dst
}

// appendText writes the line's text as segments of constant style, link
// and hit state: one span per segment, links wrapping their segments.
func (b *Builder) appendText(dst []byte, l joblog.Line, hits []Hit) []byte {
	b.links = l.Links(b.links[:0])
	links := b.links
	text := l.Text
	spanStart, k := 0, 0
	spanText, style := []byte(nil), joblog.Style(0)
	if l.NumSpans() > 0 {
		spanText, style = l.Span(0)
	}
	inLink := false
	for p := 0; p < len(text); {
		// The span holding p.
		for spanStart+len(spanText) <= p && k+1 < l.NumSpans() {
			spanStart += len(spanText)
			k++
			spanText, style = l.Span(k)
		}
		end := len(text)
		if spanStart+len(spanText) > p {
			end = spanStart + len(spanText)
		}
		// Links: drop the ones behind p, then the boundary ahead.
		for len(links) > 0 && min(links[0].End, len(text)) <= p {
			if inLink {
				dst = append(dst, `</a>`...)
				inLink = false
			}
			links = links[1:]
		}
		if len(links) > 0 {
			lk := links[0]
			if lk.Start <= p {
				if !inLink && safeURL(lk.URL) {
					dst = append(dst, `<a href="`...)
					dst = appendEscaped(dst, lk.URL)
					dst = append(dst, `" rel="nofollow noopener noreferrer" target="_blank">`...)
					inLink = true
				}
				end = min(end, lk.End)
			} else {
				end = min(end, lk.Start)
			}
		}
		// Hits likewise.
		for len(hits) > 0 && (hits[0].End <= p || hits[0].End <= hits[0].Start) {
			hits = hits[1:]
		}
		hit, cur := false, false
		if len(hits) > 0 {
			h := hits[0]
			if h.Start <= p {
				hit, cur = true, h.Current
				end = min(end, h.End)
			} else {
				end = min(end, h.Start)
			}
		}
		end = min(max(end, p+1), len(text))
		// A segment ends on a rune boundary (a hit may not): a control split
		// over two spans would escape appendShown.
		for end < len(text) && !utf8.RuneStart(text[end]) {
			end++
		}
		dst = b.appendSpan(dst, text[p:end], style, hit, cur)
		p = end
	}
	if inLink {
		dst = append(dst, `</a>`...)
	}
	return dst
}

func (b *Builder) appendSpan(dst, text []byte, s joblog.Style, hit, cur bool) []byte {
	if s == 0 && !hit {
		dst = append(dst, `<span>`...)
	} else {
		dst = append(dst, `<span class="`...)
		mark := len(dst)
		dst = s.AppendClasses(dst)
		dst = b.appendRGB(dst, mark, s.Fg(), false)
		dst = b.appendRGB(dst, mark, s.Bg(), true)
		if hit {
			if len(dst) > mark {
				dst = append(dst, ' ')
			}
			dst = append(dst, "hit"...)
			if cur {
				dst = append(dst, " cur"...)
			}
		}
		dst = append(dst, `">`...)
	}
	dst = appendShown(dst, text)
	return append(dst, `</span>`...)
}

func (b *Builder) appendRGB(dst []byte, mark int, c joblog.Colour, bg bool) []byte {
	if c.Kind() != joblog.ColourRGB {
		return dst
	}
	if len(dst) > mark {
		dst = append(dst, ' ')
	}
	rgb := c.Value() & 0xffffff
	key := uint32(rgb)
	if bg {
		key |= 1 << 24
	}
	if !b.seen[key] {
		if b.seen == nil {
			b.seen = map[uint32]bool{}
		}
		b.seen[key] = true
		b.colors = append(b.colors, Colour{Background: bg, RGB: rgb})
	}
	return appendRGBClass(dst, bg, rgb)
}

func appendRGBClass(dst []byte, bg bool, rgb int) []byte {
	if bg {
		dst = append(dst, "rgb-b-"...)
	} else {
		dst = append(dst, "rgb-f-"...)
	}
	return appendHex6(dst, rgb)
}

func appendHex6(dst []byte, v int) []byte {
	const digits = "0123456789abcdef"
	for shift := 20; shift >= 0; shift -= 4 {
		dst = append(dst, digits[(v>>shift)&0xf])
	}
	return dst
}

// safeURL reports whether u is an http or https URL (ASCII case-insensitive
// scheme), the only links a log may make (issue 4: "never a link other than
// http(s)"). joblog finds text URLs that way already; OSC 8 targets are
// arbitrary, so the check is repeated here, at the boundary.
func safeURL(u []byte) bool {
	lower := func(i int) byte { return u[i] | 0x20 }
	if len(u) > 7 && lower(0) == 'h' && lower(1) == 't' && lower(2) == 't' && lower(3) == 'p' {
		if u[4] == ':' {
			return u[5] == '/' && u[6] == '/'
		}
		return lower(4) == 's' && u[5] == ':' && len(u) > 8 && u[6] == '/' && u[7] == '/'
	}
	return false
}

// appendShown appends log text as appendEscaped does, with each bidi and
// direction control written as its name ("[U+202E]"), as
// words.ShowControls writes them in names: a log line cannot reorder what
// the screen shows. The controls are U+061C (D8 9C), U+200E-U+200F
// (E2 80 8E-8F), U+202A-U+202E (E2 80 AA-AE) and U+2066-U+2069
// (E2 81 A6-A9).
func appendShown(dst, s []byte) []byte {
	last := 0
	for i := 0; i < len(s); i++ {
		if s[i] != 0xD8 && s[i] != 0xE2 {
			continue
		}
		r, ok := directionControl(s[i:])
		if !ok {
			continue
		}
		dst = appendEscaped(dst, s[last:i])
		dst = append(dst, "[U+"...)
		dst = appendHex4(dst, r)
		dst = append(dst, ']')
		last = i + 3
		if s[i] == 0xD8 {
			last = i + 2
		}
		i = last - 1
	}
	return appendEscaped(dst, s[last:])
}

// directionControl reports whether s starts with a bidi or direction
// control, and which.
func directionControl(s []byte) (rune, bool) {
	switch {
	case len(s) >= 2 && s[0] == 0xD8 && s[1] == 0x9C:
		return 0x061C, true
	case len(s) < 3 || s[0] != 0xE2:
		return 0, false
	case s[1] == 0x80 && (s[2] == 0x8E || s[2] == 0x8F || s[2] >= 0xAA && s[2] <= 0xAE),
		s[1] == 0x81 && s[2] >= 0xA6 && s[2] <= 0xA9:
		return rune(s[0]&0x0F)<<12 | rune(s[1]&0x3F)<<6 | rune(s[2]&0x3F), true
	}
	return 0, false
}

func appendHex4(dst []byte, r rune) []byte {
	const digits = "0123456789ABCDEF"
	return append(dst, digits[r>>12&0xF], digits[r>>8&0xF], digits[r>>4&0xF], digits[r&0xF])
}

// appendEscaped appends s with &, <, >, " and ' escaped, as
// html.EscapeString does, without allocating.
func appendEscaped(dst, s []byte) []byte {
	last := 0
	for i, c := range s {
		var esc string
		switch c {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = "&#34;"
		case '\'':
			esc = "&#39;"
		default:
			continue
		}
		dst = append(dst, s[last:i]...)
		dst = append(dst, esc...)
		last = i + 1
	}
	return append(dst, s[last:]...)
}
