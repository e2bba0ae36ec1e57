package logrow

import (
	"fmt"
	"math"
	"strings"
)

// Log colours must be readable (WCAG 2.2 SC 1.4.3, AA: 4.5:1) on the log's
// background in both colour schemes. The 16 basic colours have a palette
// per scheme, picked by hand in web/log.css. The xterm palette (38;5;N) and
// 24-bit colours (38;2;R;G;B) are fixed colours chosen for some terminal's
// background: #ffaf00 is 1.8:1 on a light page, #000087 1.2:1 on a dark
// one. So each is drawn as Readable makes it for the scheme: the same
// colour where it already reads, else mixed towards black (light scheme)
// or white (dark scheme) just far enough, which keeps its hue. Backgrounds
// (48;…) are drawn as the log asks.

// Scheme is a colour scheme's log background, as web/log.css sets --log-bg
// (internal/site's contrast test checks they agree).
type Scheme struct {
	Name       string
	Background int // 0xRRGGBB
}

// The log view's schemes.
var (
	Light = Scheme{"light", 0xfbfbfc}
	Dark  = Scheme{"dark", 0x111015}
)

// minContrast is a little over AA's 4.5: Lighthouse (axe) wants more than
// 4.5, and the mix moves in steps.
const minContrast = 4.6

// Readable returns rgb as the scheme draws it as text: rgb itself when its
// contrast on the scheme's background is at least minContrast, else the
// least mix of rgb with black (on a light background) or white (on a dark
// one) that reaches it.
func (s Scheme) Readable(rgb int) int {
	bg := Luminance(s.Background)
	towards := 0.0
	if bg < 0.18 { // darker than mid grey: lighten
		towards = 255
	}
	for step := 0; step <= 100; step++ {
		t := float64(step) / 100
		mix := func(shift int) int {
			c := float64(rgb >> shift & 0xff)
			return int(math.Round(c + (towards-c)*t))
		}
		c := mix(16)<<16 | mix(8)<<8 | mix(0)
		if contrast(Luminance(c), bg) >= minContrast {
			return c
		}
	}
	return int(towards)<<16 | int(towards)<<8 | int(towards) // black or white: 19:1 or more
}

// Luminance is WCAG 2.x relative luminance of 0xRRGGBB.
func Luminance(rgb int) float64 {
	lin := func(c int) float64 {
		x := float64(c&0xff) / 255
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(rgb>>16) + 0.7152*lin(rgb>>8) + 0.0722*lin(rgb)
}

// Contrast is WCAG 2.x contrast ratio of two 0xRRGGBB colours (1 to 21).
func Contrast(a, b int) float64 { return contrast(Luminance(a), Luminance(b)) }

func contrast(x, y float64) float64 { return (max(x, y) + 0.05) / (min(x, y) + 0.05) }

// Xterm is colour n (0-255) of xterm's 256-colour palette: 16 system
// colours, a 6x6x6 cube, then 24 greys.
func Xterm(n int) int {
	switch {
	case n < 16:
		return xtermSystem[n]
	case n < 232:
		n -= 16
		level := func(v int) int {
			if v == 0 {
				return 0
			}
			return 55 + 40*v
		}
		return level(n/36)<<16 | level(n/6%6)<<8 | level(n%6)
	default:
		g := 8 + 10*(n-232)
		return g<<16 | g<<8 | g
	}
}

var xtermSystem = [16]int{
	0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
	0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
}

// XtermCSS is the block of web/log.css that colours xterm-fg-0 … 255: each
// Xterm colour made Readable for the light scheme, then for the dark one.
// TestTheStylesheetHasTheReadablePalette keeps the file in step.
func XtermCSS() string {
	var b strings.Builder
	for _, s := range []Scheme{Light, Dark} {
		indent := ""
		if s == Dark {
			b.WriteString("@media (prefers-color-scheme: dark) {\n")
			indent = "  "
		}
		for n := range 256 {
			fmt.Fprintf(&b, "%s.xterm-fg-%d { color: #%06x; }\n", indent, n, s.Readable(Xterm(n)))
		}
		if s == Dark {
			b.WriteString("}\n")
		}
	}
	return b.String()
}
