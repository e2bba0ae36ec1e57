package joblog

import "strconv"

// Style is a span's look, packed in one integer so a line's spans stay
// small and comparable with ==:
//
//	 63         57 56 55 54 53 52 51           26 25            0
//	+-------------+--+--+--+--+--+---------------+---------------+
//	|   unused    |St|Co|Un|It|Bo|  background   |  foreground   |
//	+-------------+--+--+--+--+--+---------------+---------------+
//	 Bo bold, It italic, Un underline, Co conceal, St strike (crossed out)
//
//	colour (26 bits) = kind<<24 | value
//	  kind 0  default             value 0
//	  kind 1  the 16 basic colours value 0-7 normal, 8-15 bright (90-97, 100-107)
//	  kind 2  xterm 256 palette    value 0-255 (38;5;N)
//	  kind 3  24-bit               value 0xRRGGBB (38;2;R;G;B, choice 2)
//
// The zero Style is the terminal default.
type Style uint64

// Colour is one packed colour of a Style (see the layout above).
type Colour uint32

// Colour kinds.
const (
	ColourDefault = 0
	ColourBasic   = 1
	Colour256     = 2
	ColourRGB     = 3
)

const (
	colourBits = 26
	fgShift    = 0
	bgShift    = colourBits
	colourMask = 1<<colourBits - 1

	styleBold Style = 1 << (52 + iota)
	styleItalic
	styleUnderline
	styleConceal
	styleStrike
)

// Kind is the colour's kind (ColourDefault, ColourBasic, Colour256, ColourRGB).
func (c Colour) Kind() int { return int(c >> 24) }

// Value is the colour's index (basic, 256) or 0xRRGGBB (24-bit).
func (c Colour) Value() int { return int(c & 0xffffff) }

func mkColour(kind, value int) Colour { return Colour(kind<<24 | value) }

var basicNames = [8]string{"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"}

// String names the colour as the dump writes it: "red", "bright-red",
// "256:208", "#ff8800"; "" for the default.
func (c Colour) String() string {
	switch c.Kind() {
	case ColourBasic:
		v := c.Value()
		if v >= 8 {
			return "bright-" + basicNames[v-8]
		}
		return basicNames[v]
	case Colour256:
		return "256:" + strconv.Itoa(c.Value())
	case ColourRGB:
		const hex = "0123456789abcdef"
		v := c.Value()
		b := []byte{'#', 0, 0, 0, 0, 0, 0}
		for i := 6; i >= 1; i-- {
			b[i] = hex[v&15]
			v >>= 4
		}
		return string(b)
	}
	return ""
}

// Fg is the foreground colour as displayed (bold already brightened).
func (s Style) Fg() Colour { return Colour(s >> fgShift & colourMask) }

// Bg is the background colour.
func (s Style) Bg() Colour { return Colour(s >> bgShift & colourMask) }

// Bold, Italic, Underline, Conceal and Strike report the attributes.
func (s Style) Bold() bool      { return s&styleBold != 0 }
func (s Style) Italic() bool    { return s&styleItalic != 0 }
func (s Style) Underline() bool { return s&styleUnderline != 0 }
func (s Style) Conceal() bool   { return s&styleConceal != 0 }
func (s Style) Strike() bool    { return s&styleStrike != 0 }

func (s Style) withFg(c Colour) Style { return s&^(colourMask<<fgShift) | Style(c)<<fgShift }
func (s Style) withBg(c Colour) Style { return s&^(colourMask<<bgShift) | Style(c)<<bgShift }

// brighten applies joblog.md §2 "bold brightens": a basic fg 0-7 under bold
// becomes 8-15. 256-colour, 24-bit and already bright colours are unchanged.
func (s Style) brighten() Style {
	if s.Bold() {
		if fg := s.Fg(); fg.Kind() == ColourBasic && fg.Value() < 8 {
			return s.withFg(mkColour(ColourBasic, fg.Value()+8))
		}
	}
	return s
}

// applySGR evaluates the parameter bytes of one `ESC [ params m` the way
// GitLab's job page does (joblog.md §2), with jobscope's choices 2 and 3:
// items split on ';' (trailing empty items dropped, as Ruby's split does),
// each matched as an exact string left to right; unknown items are ignored.
func applySGR(st Style, params []byte) Style {
	// Ruby's String#split drops trailing empty fields: "1;" is ["1"], ";" is [].
	for len(params) > 0 && params[len(params)-1] == ';' {
		params = params[:len(params)-1]
	}
	if len(params) == 0 {
		return 0
	}
	rest := params
	for {
		item, more := nextItem(&rest)
		st = applyItem(st, item, &rest)
		if !more {
			return st
		}
	}
}

// nextItem cuts the next ';'-separated item off *rest; more is false after the last.
func nextItem(rest *[]byte) (item []byte, more bool) {
	r := *rest
	for i, c := range r {
		if c == ';' {
			*rest = r[i+1:]
			return r[:i], true
		}
	}
	*rest = nil
	return r, false
}

func applyItem(st Style, item []byte, rest *[]byte) Style {
	switch len(item) {
	case 1:
		switch item[0] {
		case '0':
			return 0
		case '1':
			return (st | styleBold).brighten()
		case '3':
			return st | styleItalic
		case '4':
			return st | styleUnderline
		case '8':
			return st | styleConceal
		case '9':
			return st | styleStrike
		}
	case 2:
		a, b := item[0], item[1]
		if b < '0' || b > '9' {
			return st
		}
		n := int(b - '0')
		switch a {
		case '2':
			switch n {
			case 1, 2:
				return st &^ styleBold // not un-brightened (joblog.md §2)
			case 3:
				return st &^ styleItalic
			case 4:
				return st &^ styleUnderline
			case 8:
				return st &^ styleConceal
			case 9:
				return st &^ styleStrike
			}
		case '3':
			switch {
			case n <= 7:
				return st.withFg(mkColour(ColourBasic, n)).brighten()
			case n == 9:
				return st.withFg(0)
			case n == 8:
				return st.withFg(extended(st.Fg(), rest))
			}
		case '4':
			switch {
			case n <= 7:
				return st.withBg(mkColour(ColourBasic, n))
			case n == 9:
				return st.withBg(0)
			case n == 8:
				return st.withBg(extended(st.Bg(), rest))
			}
		case '9':
			if n <= 7 {
				return st.withFg(mkColour(ColourBasic, n+8))
			}
		}
	case 3:
		if item[0] == '1' && item[1] == '0' && item[2] >= '0' && item[2] <= '7' {
			// choice 3: bright backgrounds are backgrounds.
			return st.withBg(mkColour(ColourBasic, int(item[2]-'0')+8))
		}
	}
	if len(item) > 3 && (item[0] == '3' || item[0] == '4') {
		if c, ok := colonColour(item); ok {
			if item[0] == '3' {
				return st.withFg(c).brighten()
			}
			return st.withBg(c)
		}
	}
	return st
}

// extended reads what follows a 38 or 48 item. Choice 2: `2;R;G;B` is
// 24-bit. Otherwise GitLab's v1 rule (joblog.md §2): with at least two items
// left and the next being exactly "5", both are consumed and N.to_i in 0-255
// is the 256-colour, anything else clears; with fewer items or another item
// the colour is cleared and the items are read as ordinary codes.
func extended(old Colour, rest *[]byte) Colour {
	r := *rest
	// 24-bit: 2;R;G;B with R, G, B in 0-255.
	look := r
	if it, more := nextItem(&look); more && string(it) == "2" {
		var rgb [3]int
		ok := true
		for k := 0; k < 3 && ok; k++ {
			if !more {
				ok = false
				break
			}
			it, more = nextItem(&look)
			rgb[k], ok = byteValue(it)
		}
		if ok {
			*rest = look
			return mkColour(ColourRGB, rgb[0]<<16|rgb[1]<<8|rgb[2])
		}
	}
	look = r
	five, more := nextItem(&look)
	if !more || string(five) != "5" {
		return 0
	}
	n, _ := nextItem(&look)
	*rest = look
	if v := rubyToI(n); v >= 0 && v <= 255 {
		return mkColour(Colour256, v)
	}
	return 0
}

// colonColour parses the colon forms of choice 2: 38:5:N, 38:2:R:G:B,
// 38:2::R:G:B and 38:2:CS:R:G:B (same for 48). Anything else is not a colour.
func colonColour(item []byte) (Colour, bool) {
	if len(item) < 4 || item[1] != '8' || item[2] != ':' {
		return 0, false
	}
	var f [7][]byte
	n := 0
	start := 3
	for i := 3; i <= len(item); i++ {
		if i == len(item) || item[i] == ':' {
			if n == len(f) {
				return 0, false
			}
			f[n] = item[start:i]
			n++
			start = i + 1
		}
	}
	switch {
	case n == 2 && string(f[0]) == "5":
		if v, ok := byteValue(f[1]); ok {
			return mkColour(Colour256, v), true
		}
	case (n == 4 || n == 5) && string(f[0]) == "2":
		c := f[n-3 : n]
		if n == 5 && !allDigits(f[1]) {
			return 0, false
		}
		r, ok1 := byteValue(c[0])
		g, ok2 := byteValue(c[1])
		b, ok3 := byteValue(c[2])
		if ok1 && ok2 && ok3 {
			return mkColour(ColourRGB, r<<16|g<<8|b), true
		}
	}
	return 0, false
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// byteValue parses a non-empty decimal in 0-255.
func byteValue(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 3 || !allDigits(b) {
		return 0, false
	}
	v := 0
	for _, c := range b {
		v = v*10 + int(c-'0')
	}
	return v, v <= 255
}

// rubyToI is Ruby's String#to_i on a parameter item: optional sign, then
// digits up to the first non-digit; no digits is 0. Saturates far above 255.
func rubyToI(b []byte) int {
	neg := false
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		neg = b[0] == '-'
		b = b[1:]
	}
	v := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			break
		}
		if v < 1<<20 {
			v = v*10 + int(c-'0')
		}
	}
	if neg {
		return -v
	}
	return v
}

// AppendClasses appends the style's CSS classes, GitLab's names in GitLab's
// order (joblog.md §2: fg, bg, bold, italic, underline, conceal, cross),
// space-separated: term-fg-red, term-fg-l-red (bright), xterm-fg-208,
// term-bg-…, term-bold, term-italic, term-underline, term-conceal,
// term-cross. The names come from a fixed table, never from log bytes, so
// the row builder may put them in a class attribute as they are. 24-bit
// colours have no class: read them with Fg/Bg (ColourRGB).
func (s Style) AppendClasses(dst []byte) []byte {
	start := len(dst)
	sep := func() {
		if len(dst) > start {
			dst = append(dst, ' ')
		}
	}
	for _, side := range [2]struct {
		c    Colour
		term string
		x    string
	}{{s.Fg(), "term-fg-", "xterm-fg-"}, {s.Bg(), "term-bg-", "xterm-bg-"}} {
		switch side.c.Kind() {
		case ColourBasic:
			sep()
			dst = append(dst, side.term...)
			v := side.c.Value()
			if v >= 8 {
				dst = append(dst, "l-"...)
			}
			dst = append(dst, basicNames[v&7]...)
		case Colour256:
			sep()
			dst = append(dst, side.x...)
			dst = strconv.AppendInt(dst, int64(side.c.Value()), 10)
		}
	}
	for _, a := range [...]struct {
		bit  Style
		name string
	}{{styleBold, "term-bold"}, {styleItalic, "term-italic"}, {styleUnderline, "term-underline"}, {styleConceal, "term-conceal"}, {styleStrike, "term-cross"}} {
		if s&a.bit != 0 {
			sep()
			dst = append(dst, a.name...)
		}
	}
	return dst
}
