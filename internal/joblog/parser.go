package joblog

// The parser: one streaming state machine over raw trace bytes, written
// straight into the Store's line arena. Every byte is looked at once; bytes
// that cannot be decided yet stay in small fixed buffers inside the state (a
// copied remainder: Append never keeps the caller's slice), so a chunk may end
// anywhere and the result equals a one-shot parse (joblog.md §1-§6 and
// jobscope's choices; GitLab's converter is lib/gitlab/ci/ansi2json/*.rb).
//
// States:
//
//	stText    plain text. The fast path copies runs of bytes that are not
//	          ESC, CR, LF or >= 0x80 (checked 8 bytes at a time); other C0
//	          controls (NUL, BS, TAB, BEL) are kept as characters (§3).
//	          Bytes >= 0x80 are decoded as UTF-8: a valid rune is copied, a
//	          rune cut by the chunk end waits in u8, an invalid sequence
//	          becomes one U+FFFD per maximal invalid subpart (§6, Ruby's
//	          scrub). A pending partial rune survives non-SGR escapes and is
//	          scrubbed at an SGR, a line end or a clear, as GitLab scrubs each
//	          styled segment.
//	stCR      one or more CRs seen. LF next: a line break (CR* LF, §1).
//	          ESC next, after exactly one CR, when the current run of text
//	          ends in a section marker body: stCRMark. Anything else: a lone
//	          CR, which clears the line so far (§1) and keeps the style, the
//	          header flag and the timestamp.
//	stCRMark  matching the "\x1b[0K" that completes a section marker (§4).
//	          On a mismatch the CR is lone and the matched bytes are parsed
//	          again as an escape sequence.
//	stEsc     after ESC: '[' CSI, ']' OSC, P X ^ _ string commands, 0x20-0x2F
//	          nF escapes (ESC ( B), any other 0x30-0x7E a two-byte escape
//	          dropped whole (choice 4). Another byte drops the lone ESC and
//	          is parsed again.
//	stCSI     parameter (0x30-0x3F), intermediate (0x20-0x2F) and final
//	          (0x40-0x7E) bytes. `m` without intermediates or a private
//	          marker (< = > ?) is SGR; every other CSI is removed (erase,
//	          cursor moves, ...). Any other byte ends the sequence unapplied
//	          and is parsed again, so an LF keeps its line break (choice 4).
//	stNF      ESC + intermediates, waiting for the final byte.
//	stStr     OSC / DCS / SOS / PM / APC payload, to BEL or ESC \ (choice 4).
//	          OSC 8 opens or closes a hyperlink (http and https only). An LF
//	          or CR ends it unapplied and is parsed again.
//	stStrEsc  ESC inside a string: '\' terminates, anything else aborts the
//	          string and starts a new escape.
//	stHead    collecting the 32-byte runner timestamp prefix (§5) at the
//	          start of the first line (decides whether the log has
//	          timestamps), after every LF (a '+' record joins the previous
//	          line) and after a lone CR. A mismatch replays the bytes as text.
//
// Section markers (§4) are matched backwards from the CR of `\r\e[0K` over
// the current run of text (bytes since the last escape, CR or line start),
// which is exactly the set of places GitLab's regex can match: a marker
// contains no ESC, CR or LF, and its structure fixes where it starts.
//
// Limits (memory stays bounded on hostile input; nothing is lost silently):
// MaxLineBytes of text per line, the rest counted in Line.Truncated; CSI
// parameters beyond maxParams and OSC payloads beyond maxOSC make the sequence
// a no-op (it is still removed whole); markers are found in a truncated line's
// last markerWindow bytes only; at most MaxSections sections are recorded,
// later markers are removed and counted in Stats.DroppedSections.

import (
	"bytes"
	"unicode/utf8"
	"unsafe"
)

const (
	// MaxLineBytes is the most text kept for one line. Longer lines keep their
	// first MaxLineBytes bytes and report the rest in Line.Truncated, which the
	// view shows as "line truncated, N bytes".
	MaxLineBytes = 1 << 20
	// MaxSections is the most sections recorded per log.
	MaxSections = 1 << 21

	maxParams    = 1024
	maxOSC       = 4096
	markerWindow = 512
)

const (
	stText = iota
	stCR
	stCRMark
	stEsc
	stCSI
	stNF
	stStr
	stStrEsc
	stHead
)

// What a stHead collection is for.
const (
	headFirst   = iota // first line: does the log carry timestamps?
	headAfterLF        // a new record, or a '+' continuation of this line
	headAfterCR        // a prefix after a lone CR is skipped
)

const (
	tsUnknown = iota
	tsOff
	tsOn
)

const markerEnd = "\x1b[0K"

var replacement = []byte("\uFFFD")

// plain marks the bytes the fast path copies as they are.
var plain = func() (t [256]bool) {
	for c := 0; c < 0x80; c++ {
		t[c] = c != '\x1b' && c != '\r' && c != '\n'
	}
	return
}()

// parser is the state between bytes. It lives inside Store.
type parser struct {
	state uint8
	crs   int
	nlook int

	style     Style
	spanStyle Style // style of the current line's last span
	styleIdx  uint32

	params    []byte
	paramOver bool
	inter     bool
	private   bool

	str     []byte
	strOSC  bool
	strOver bool

	u8  [4]byte
	nu8 int

	head     [32]byte
	nhead    int
	headKind uint8
	headPos  int64
	tsMode   uint8
	crLF     bool // the LF before stHead followed CRs
	lastHead [19]byte
	lastTS   int64 // time of lastHead's second, or tsNone

	// The line being built: text from arena offset lineStart, spans s.spans[spanBase:].
	lineStart uint32
	spanBase  int
	linkBase  int
	lineOff   int64
	lineTS    int64
	dropped   int
	runStart  uint32
	over      []byte // tail of the current run once the line is truncated
	headerRec int32

	linkOn   bool
	linkURL  []byte
	linkFrom uint32

	mk marker
}

// marker is a section marker body found at a CR, waiting for "\e[0K".
type marker struct {
	start    bool
	inArena  bool
	at       uint32 // arena offset of the marker's first byte (if inArena)
	ts       int64
	name     []byte // sanitised
	collapse bool
	hide     bool
}

// feed runs the state machine over b, whose first byte is at raw offset base.
func (s *Store) feed(b []byte, base int64) {
	p := &s.p
	for i := 0; i < len(b); {
		c := b[i]
		switch p.state {
		case stText:
			if p.nu8 > 0 {
				if c != '\r' && c != '\x1b' && c != '\n' {
					i += s.continueRune(c)
					continue
				}
			} else if j := i + plainRun(b[i:]); j > i {
				s.addText(b[i:j])
				i = j
				continue
			}
			switch c {
			case '\n':
				i++
				s.lineFeed(base+int64(i), false)
			case '\r':
				i++
				p.state, p.crs = stCR, 1
			case '\x1b':
				if n := s.wholeCSI(b[i:]); n > 0 {
					i += n
					continue
				}
				i++
				p.state = stEsc
			default:
				i += s.utf8Text(b[i:])
			}
		case stCR:
			switch {
			case c == '\r':
				i++
				p.crs++
			case c == '\n':
				i++
				p.state = stText
				s.lineFeed(base+int64(i), true)
			case c == '\x1b' && p.crs == 1 && p.nu8 == 0 && s.findMarker():
				i++
				p.state, p.nlook = stCRMark, 1
			default:
				s.loneCR(base + int64(i))
			}
		case stCRMark:
			if c == markerEnd[p.nlook] {
				i++
				p.nlook++
				if p.nlook == len(markerEnd) {
					p.state = stText
					s.marker(base + int64(i))
				}
				continue
			}
			n := p.nlook
			s.loneCR(base + int64(i) - int64(n))
			s.feed([]byte(markerEnd[:n]), base+int64(i)-int64(n))
		case stEsc:
			switch {
			case c == '[':
				p.state = stCSI
				p.params, p.paramOver, p.inter, p.private = p.params[:0], false, false, false
			case c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_':
				p.state = stStr
				p.str, p.strOver, p.strOSC = p.str[:0], false, c == ']'
			case c >= 0x20 && c <= 0x2f:
				p.state = stNF
			case c >= 0x30 && c <= 0x7e:
				s.escDone()
			case c == '\x1b':
			default:
				s.escDone()
				continue // drop the lone ESC, parse c again
			}
			i++
		case stCSI:
			switch {
			case c >= 0x30 && c <= 0x3f && !p.inter:
				if len(p.params) == 0 && c >= '<' {
					p.private = true
				}
				if len(p.params) < maxParams {
					p.params = append(p.params, c)
				} else {
					p.paramOver = true
				}
			case c >= 0x20 && c <= 0x2f:
				p.inter = true
			case c >= 0x40 && c <= 0x7e:
				if c == 'm' && !p.inter && !p.private && !p.paramOver {
					s.sgr()
				}
				s.escDone()
			case c == '\x1b':
				p.state = stEsc
			default:
				s.escDone()
				continue
			}
			i++
		case stNF:
			switch {
			case c >= 0x20 && c <= 0x2f:
			case c >= 0x30 && c <= 0x7e:
				s.escDone()
			case c == '\x1b':
				p.state = stEsc
			default:
				s.escDone()
				continue
			}
			i++
		case stStr:
			switch c {
			case '\a':
				s.strDone()
			case '\x1b':
				p.state = stStrEsc
			case '\n', '\r':
				s.escDone()
				continue
			default:
				// Copy the payload up to the next byte of interest in one go.
				j := i + 1
				for j < len(b) && b[j] != '\a' && b[j] != '\x1b' && b[j] != '\n' && b[j] != '\r' {
					j++
				}
				if p.strOSC {
					if len(p.str)+j-i <= maxOSC {
						p.str = append(p.str, b[i:j]...)
					} else {
						p.strOver = true
					}
				}
				i = j
				continue
			}
			i++
		case stStrEsc:
			if c == '\\' {
				i++
				s.strDone()
				continue
			}
			p.state = stEsc // abort the string; c starts a new escape
		case stHead:
			if p.nhead == 0 && len(b)-i >= len(p.head) && s.wholeHead(b[i:i+len(p.head)]) {
				copy(p.head[:], b[i:])
				p.nhead = len(p.head)
				i += len(p.head)
				s.headAccept()
				continue
			}
			if !s.headByte(c) {
				s.headReject()
				continue
			}
			i++
			if p.nhead == len(p.head) {
				s.headAccept()
			}
		}
	}
}

// wholeCSI handles a CSI sequence that lies whole in b (b[0] is ESC) in
// one go, the common case, and returns its length; 0 leaves it to the
// states (cut by the chunk end, or ended by an invalid byte).
func (s *Store) wholeCSI(b []byte) int {
	if len(b) < 3 || b[1] != '[' {
		return 0
	}
	j := 2
	for j < len(b) && b[j] >= 0x30 && b[j] <= 0x3f {
		j++
	}
	params := b[2:j]
	for j < len(b) && b[j] >= 0x20 && b[j] <= 0x2f {
		j++
	}
	if j == len(b) || b[j] < 0x40 || b[j] > 0x7e {
		return 0
	}
	if b[j] == 'm' && j == 2+len(params) && len(params) <= maxParams && (len(params) == 0 || params[0] < '<') {
		s.flushRune()
		s.p.style = applySGR(s.p.style, params)
	}
	s.escDone()
	return j + 1
}

// plainRun counts the leading bytes of b the fast path may copy as they are.
func plainRun(b []byte) int {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	i := 0
	for {
		for i+8 <= len(b) {
			// One 8-byte load (binary.LittleEndian's byte loads are not
			// merged by the wasm compiler); both targets are little-endian.
			w := *(*uint64)(unsafe.Pointer(&b[i]))
			// Any byte >= 0x80 or < 0x20 (ESC, CR, LF are all < 0x20).
			if ((w-lo*0x20)&^w|w)&hi != 0 {
				break
			}
			i += 8
		}
		end := min(i+8, len(b))
		for ; i < end; i++ {
			if !plain[b[i]] {
				return i
			}
		}
		if i == len(b) {
			return i
		}
	}
}

// utf8Text copies the valid UTF-8 at the start of b (b[0] >= 0x80), or
// scrubs one invalid subpart, or keeps a rune cut by the chunk end in u8.
// It returns the bytes consumed.
func (s *Store) utf8Text(b []byte) int {
	j := 0
	for j < len(b) && b[j] >= 0x80 {
		r, n := utf8.DecodeRune(b[j:])
		if r == utf8.RuneError && n == 1 {
			break
		}
		j += n
	}
	if j > 0 {
		s.addText(b[:j])
		return j
	}
	// A valid prefix cut by the end of the chunk, or by an escape sequence
	// or CR (GitLab scrubs styled segments, which only SGR and line ends
	// cut), waits in u8 for its continuation bytes.
	k := badLen(b)
	if b[0] >= 0xc2 && b[0] <= 0xf4 && (k == len(b) || b[k] == '\x1b' || b[k] == '\r') {
		s.p.nu8 = copy(s.p.u8[:], b[:k])
		return k
	}
	s.addText(replacement)
	return k
}

// continueRune feeds one more byte to a pending partial rune and returns
// the bytes consumed (0 when c does not continue it: the partial rune is
// scrubbed and c is parsed again).
func (s *Store) continueRune(c byte) int {
	p := &s.p
	lo, hi := nextRange(p.u8[0], p.nu8)
	if c < lo || c > hi {
		s.flushRune()
		return 0
	}
	p.u8[p.nu8] = c
	p.nu8++
	if p.nu8 == runeLen(p.u8[0]) {
		n := p.nu8
		p.nu8 = 0
		s.addText(p.u8[:n])
	}
	return 1
}

// flushRune scrubs a pending partial rune into one U+FFFD.
func (s *Store) flushRune() {
	if s.p.nu8 > 0 {
		s.p.nu8 = 0
		s.addText(replacement)
	}
}

// runeLen is the length of the UTF-8 sequence a valid lead byte starts.
func runeLen(lead byte) int {
	switch {
	case lead >= 0xf0:
		return 4
	case lead >= 0xe0:
		return 3
	}
	return 2
}

// nextRange is the range of the byte at position pos of a sequence led by
// lead (Unicode's well-formed table; outside it the subpart is invalid).
func nextRange(lead byte, pos int) (lo, hi byte) {
	if pos == 1 {
		switch lead {
		case 0xe0:
			return 0xa0, 0xbf
		case 0xed:
			return 0x80, 0x9f
		case 0xf0:
			return 0x90, 0xbf
		case 0xf4:
			return 0x80, 0x8f
		}
	}
	return 0x80, 0xbf
}

// badLen is the length of the maximal invalid subpart at the start of b:
// a valid lead byte and the continuation bytes that still fit, or one byte.
func badLen(b []byte) int {
	c := b[0]
	if c < 0xc2 || c > 0xf4 {
		return 1
	}
	need := runeLen(c)
	n := 1
	for n < need && n < len(b) {
		lo, hi := nextRange(c, n)
		if b[n] < lo || b[n] > hi {
			break
		}
		n++
	}
	return n
}

// addText appends text to the line being built, in the current style.
func (s *Store) addText(t []byte) {
	p := &s.p
	have := int(s.textEnd() - p.lineStart)
	if have+len(t) > MaxLineBytes {
		keep := max(MaxLineBytes-have, 0)
		// Keep whole runes: back off to a rune start.
		for keep > 0 && keep < len(t) && !utf8.RuneStart(t[keep]) {
			keep--
		}
		p.dropped += len(t) - keep
		p.over = append(p.over, t[keep:]...)
		if len(p.over) > 2*markerWindow {
			p.over = append(p.over[:0], p.over[len(p.over)-markerWindow:]...)
		}
		t = t[:keep]
		if len(t) == 0 {
			return
		}
	}
	if need := len(s.text) + len(t); need > cap(s.text) || need > blockSize {
		if need > blockSize {
			if uint64(s.textBase)+2*blockSize > 1<<32 {
				// Arena offsets are uint32: past 4 GiB of text (U+FFFD can
				// triple hostile input), text is counted, not kept.
				p.dropped += len(t)
				return
			}
			s.newBlock()
		} else {
			// The first block grows by doubling up to blockSize.
			nb := make([]byte, len(s.text), min(max(2*cap(s.text), need, 4096), blockSize))
			copy(nb, s.text)
			s.text = nb
		}
	}
	if len(s.spans) == p.spanBase || p.style != p.spanStyle {
		s.spans = append(s.spans, span{start: s.textEnd(), style: s.styleIndex(p.style)})
		p.spanStyle = p.style
	}
	s.text = append(s.text, t...)
}

// newBlock moves the line being built to a fresh arena block, so that a
// line never straddles two blocks and the arena grows without copying.
func (s *Store) newBlock() {
	p := &s.p
	from := p.lineStart - s.textBase
	s.blocks = append(s.blocks, s.text[:from])
	var nb []byte
	if n := len(s.spare); n > 0 {
		nb, s.spare = s.spare[n-1], s.spare[:n-1]
	} else {
		nb = make([]byte, 0, blockSize)
	}
	nb = append(nb, s.text[from:]...)
	base := s.textBase + blockSize
	delta := base - p.lineStart
	s.textBase, s.text = base, nb
	p.lineStart += delta
	p.runStart += delta
	p.linkFrom += delta
	for k := p.spanBase; k < len(s.spans); k++ {
		s.spans[k].start += delta
	}
	for k := p.linkBase; k < len(s.links); k++ {
		s.links[k].start += delta
		s.links[k].end += delta
	}
}

// escDone ends an escape sequence: back to text, and a new run of text
// starts (a marker cannot straddle an escape).
func (s *Store) escDone() {
	p := &s.p
	p.state = stText
	p.runStart = s.textEnd()
	p.over = p.over[:0]
}

// sgr applies the collected SGR parameters. The styled segment ends, so a
// partial rune is scrubbed first (joblog.md §6).
func (s *Store) sgr() {
	s.flushRune()
	s.p.style = applySGR(s.p.style, s.p.params)
}

// strDone ends an OSC (or other string command) and applies OSC 8.
func (s *Store) strDone() {
	p := &s.p
	if p.strOSC && !p.strOver && len(p.str) >= 2 && p.str[0] == '8' && p.str[1] == ';' {
		// OSC 8 ; params ; URI
		rest := p.str[2:]
		if k := bytes.IndexByte(rest, ';'); k >= 0 {
			s.closeLink()
			if uri := rest[k+1:]; isWebURL(uri) {
				p.linkOn = true
				p.linkURL = append(p.linkURL[:0], uri...)
				p.linkFrom = s.textEnd()
			}
		}
	}
	s.escDone()
}

// lineFeed handles an LF (after CRs when crs); next is the raw offset after it.
func (s *Store) lineFeed(next int64, crs bool) {
	s.flushRune()
	p := &s.p
	if p.tsMode == tsOn {
		p.state, p.headKind, p.nhead, p.headPos = stHead, headAfterLF, 0, next
		p.crLF = crs
		return
	}
	s.commitLine()
	s.newLine(next, tsNone)
}

// loneCR clears the line so far (joblog.md §1); at is the raw offset after the CRs.
func (s *Store) loneCR(at int64) {
	p := &s.p
	p.nu8 = 0
	s.truncateLine(p.lineStart)
	p.dropped = 0
	p.state = stText
	if p.tsMode == tsOn {
		p.state, p.headKind, p.nhead, p.headPos = stHead, headAfterCR, 0, at
	}
}

// truncateLine cuts the line being built back to arena offset to.
func (s *Store) truncateLine(to uint32) {
	p := &s.p
	s.text = s.text[:to-s.textBase]
	for len(s.spans) > p.spanBase && s.spans[len(s.spans)-1].start >= to {
		s.spans = s.spans[:len(s.spans)-1]
	}
	if len(s.spans) > p.spanBase {
		p.spanStyle = s.styles[s.spans[len(s.spans)-1].style]
	}
	for len(s.links) > p.linkBase && s.links[len(s.links)-1].end > to {
		s.links = s.links[:len(s.links)-1]
	}
	if p.linkFrom > to {
		p.linkFrom = to
	}
	p.runStart = to
	p.over = p.over[:0]
}

// headByte checks byte k of a possible timestamp prefix (joblog.md §5).
// The first line must hold a full runner header to switch timestamps on.
// After an LF GitLab joins the next line when its byte 31 is '+', whatever
// the rest (gitlab: lib/gitlab/ci/ansi2json/converter.rb handle_line), so
// all 32 bytes are collected; elsewhere it checks only bytes 4, 7, 10, 13
// and 26. An LF never belongs to a prefix.
func (s *Store) headByte(c byte) bool {
	p := &s.p
	k := p.nhead
	if c == '\n' {
		return false
	}
	switch p.headKind {
	case headFirst:
		if !strictHeadByte(k, c) {
			return false
		}
	case headAfterCR:
		if want := looseHead[k]; want != 0 && c != want {
			return false
		}
	}
	p.head[k] = c
	p.nhead++
	return true
}

// wholeHead is headByte's verdict on 32 bytes at once (the common case).
func (s *Store) wholeHead(b []byte) bool {
	if bytes.IndexByte(b, '\n') >= 0 {
		return false
	}
	switch s.p.headKind {
	case headFirst:
		for k, c := range b {
			if !strictHeadByte(k, c) {
				return false
			}
		}
	case headAfterCR:
		return looseMatch(b)
	}
	return true
}

func looseMatch(b []byte) bool {
	return b[4] == '-' && b[7] == '-' && b[10] == 'T' && b[13] == ':' && b[26] == 'Z'
}

var looseHead = [32]byte{4: '-', 7: '-', 10: 'T', 13: ':', 26: 'Z'}

// strictHeadByte checks byte k against YYYY-MM-DDTHH:MM:SS.ffffffZ xxS[ +].
func strictHeadByte(k int, c byte) bool {
	const layout = "dddd-dd-ddTdd:dd:dd.ddddddZ hhs+"
	switch want := layout[k]; want {
	case 'd':
		return c >= '0' && c <= '9'
	case 'h':
		return c >= '0' && c <= '9' || c >= 'a' && c <= 'f'
	case 's':
		return c == 'O' || c == 'E'
	case '+':
		return c == ' ' || c == '+'
	default:
		return c == want
	}
}

// headAccept handles a complete 32-byte prefix.
func (s *Store) headAccept() {
	p := &s.p
	ts := s.timestamp(p.head[:27])
	p.state = stText
	switch p.headKind {
	case headFirst:
		p.tsMode = tsOn
		s.tss = append(s.spareTS[:0], make([]int64, len(s.ends))...)
		p.lineTS = ts
	case headAfterLF:
		if p.head[31] == '+' {
			// The LF is dropped: this record continues the line, and CRs
			// before the LF are lone CRs again (a flushed progress bar).
			if p.crLF {
				p.nu8 = 0
				s.truncateLine(p.lineStart)
				p.dropped = 0
			}
			return
		}
		if !looseMatch(p.head[:]) {
			s.headReject()
			return
		}
		s.commitLine()
		s.newLine(p.headPos, ts)
	case headAfterCR:
		// GitLab shows a line's last added timestamp; a prefix after a CR
		// is added after the record's own (and after joined records').
		p.lineTS = ts
	}
}

// timestamp parses a prefix's time, reusing the previous record's second:
// consecutive records mostly share it.
func (s *Store) timestamp(b []byte) int64 {
	p := &s.p
	if p.lastTS != tsNone && string(b[:19]) == string(p.lastHead[:19]) && b[19] == '.' && b[26] == 'Z' && allDigits(b[20:26]) {
		micro := int64(0)
		for _, c := range b[20:26] {
			micro = micro*10 + int64(c-'0')
		}
		return p.lastTS + micro
	}
	ts := parseTimestamp(b)
	p.lastTS = tsNone
	if ts != tsNone {
		copy(p.lastHead[:], b)
		p.lastTS = ts - ts%1e6
		if ts < 0 && ts%1e6 != 0 {
			p.lastTS = tsNone // before 1970: not worth the care
		}
	}
	return ts
}

// headReject replays collected bytes that are not a timestamp prefix.
func (s *Store) headReject() {
	p := &s.p
	var buf [32]byte
	n := copy(buf[:], p.head[:p.nhead])
	p.state = stText
	switch p.headKind {
	case headFirst:
		p.tsMode = tsOff
	case headAfterLF:
		s.commitLine()
		s.newLine(p.headPos, tsNone)
	}
	s.feed(buf[:n], p.headPos)
}

// findMarker looks for a section marker body at the end of the current run
// (joblog.md §4): section_(start|end):<digits>:<name>[k=v, k=v], name in
// [A-Za-z0-9_.-]+, k and v in \w+. It records the result in p.mk.
func (s *Store) findMarker() bool {
	p := &s.p
	run, inArena := p.over, false
	if p.dropped == 0 {
		run, inArena = s.text[p.runStart-s.textBase:], true
	}
	i := len(run)
	collapse, hide := false, false
	if i > 0 && run[i-1] == ']' {
		lb := bytes.LastIndexByte(run[:i], '[')
		if lb < 0 {
			return false
		}
		var ok bool
		if collapse, hide, ok = parseOptions(run[lb+1 : i-1]); !ok {
			return false
		}
		i = lb
	}
	j := i
	for j > 0 && isNameByte(run[j-1]) {
		j--
	}
	if j == i || j == 0 || run[j-1] != ':' {
		return false
	}
	name := run[j:i]
	k := j - 1
	d := k
	for d > 0 && run[d-1] >= '0' && run[d-1] <= '9' {
		d--
	}
	if d == k || d == 0 || run[d-1] != ':' {
		return false
	}
	digits := run[d:k]
	head := run[:d-1]
	var start bool
	switch {
	case bytes.HasSuffix(head, []byte("section_start")):
		start, head = true, head[:len(head)-len("section_start")]
	case bytes.HasSuffix(head, []byte("section_end")):
		head = head[:len(head)-len("section_end")]
	default:
		return false
	}
	p.mk = marker{
		start: start, inArena: inArena, at: p.runStart + uint32(len(head)),
		ts: parseDigits(digits), name: sanitize(p.mk.name[:0], name),
		collapse: collapse, hide: hide,
	}
	return true
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-'
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// parseOptions reads `k=v(, ?k=v)*` (k, v in \w+). Only collapsed=true and
// hide_duration=true, exactly, have an effect; a key keeps a leading space
// after ", " and so matches nothing (joblog.md §4).
func parseOptions(b []byte) (collapse, hide, ok bool) {
	for first := true; ; first = false {
		if !first {
			if len(b) == 0 || b[0] != ',' {
				return false, false, false
			}
			b = b[1:]
		}
		spaced := false
		if !first && len(b) > 0 && b[0] == ' ' {
			spaced, b = true, b[1:]
		}
		k := 0
		for k < len(b) && isWordByte(b[k]) {
			k++
		}
		if k == 0 || k == len(b) || b[k] != '=' {
			return false, false, false
		}
		key := b[:k]
		b = b[k+1:]
		v := 0
		for v < len(b) && isWordByte(b[v]) {
			v++
		}
		if v == 0 {
			return false, false, false
		}
		if !spaced && string(b[:v]) == "true" {
			switch string(key) {
			case "collapsed":
				collapse = true
			case "hide_duration":
				hide = true
			}
		}
		b = b[v:]
		if len(b) == 0 {
			return collapse, hide, true
		}
	}
}

// sanitize appends GitLab's form of a section name: lower case, every byte
// outside a-z0-9 becomes '-' (joblog.md §4).
func sanitize(dst, name []byte) []byte {
	for _, c := range name {
		switch {
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		default:
			c = '-'
		}
		dst = append(dst, c)
	}
	return dst
}

// parseDigits reads a marker's unix time, saturating far beyond any real
// time (Ruby keeps big integers; both ends saturated give a 0 duration).
func parseDigits(b []byte) int64 {
	var v int64
	for _, c := range b {
		if v > 1e17 {
			return 1e18
		}
		v = v*10 + int64(c-'0')
	}
	return v
}

// marker acts on a complete section marker; next is the raw offset after it.
func (s *Store) marker(next int64) {
	p := &s.p
	mk := &p.mk
	if mk.inArena {
		s.truncateLine(mk.at)
	}
	p.runStart = s.textEnd()
	p.over = p.over[:0]
	if mk.start {
		s.commitLine()
		s.newLine(next, p.lineTS)
		s.openSection(mk)
		return
	}
	s.closeSection(mk, next)
}

// closeLink ends the current OSC 8 link segment.
func (s *Store) closeLink() {
	p := &s.p
	if p.linkOn && s.textEnd() > p.linkFrom {
		s.links = append(s.links, linkRec{start: p.linkFrom, end: s.textEnd(), url: s.internURL(p.linkURL)})
	}
	p.linkOn = false
}

// commitLine ends the line being built; a line without text is not shown
// and takes no number (joblog.md §1), and takes its header flag with it (§4).
func (s *Store) commitLine() {
	p := &s.p
	if p.linkOn {
		s.closeLink()
		p.linkOn = true
	}
	hdr := p.headerRec
	p.headerRec = -1
	if s.textEnd() == p.lineStart {
		return
	}
	if len(s.spans) == p.spanBase+1 && s.spans[p.spanBase].style == 0 {
		s.spans = s.spans[:p.spanBase] // plain line: no spans stored
	}
	n := len(s.ends)
	sec := s.innermost()
	if hdr >= 0 {
		sec = hdr
		s.secs[hdr].header = int32(n)
	}
	if len(s.runs) == 0 || s.runs[len(s.runs)-1].sec != sec {
		s.runs = append(s.runs, secRun{line: uint32(n), sec: sec})
	}
	s.ends = append(s.ends, s.textEnd())
	s.spanEnds = append(s.spanEnds, uint32(len(s.spans)))
	s.offs = append(s.offs, uint32(p.lineOff))
	if p.tsMode == tsOn {
		s.tss = append(s.tss, p.lineTS)
	}
	if p.dropped > 0 {
		s.truncs = append(s.truncs, trunc{line: uint32(n), dropped: p.dropped})
	}
}

// newLine starts a line at raw offset off with timestamp ts.
func (s *Store) newLine(off int64, ts int64) {
	p := &s.p
	p.lineStart = s.textEnd()
	p.spanBase = len(s.spans)
	p.linkBase = len(s.links)
	p.lineOff = off
	p.lineTS = ts
	p.dropped = 0
	p.runStart = p.lineStart
	p.over = p.over[:0]
	p.linkFrom = p.lineStart
}

// finish resolves everything still pending as the end of the log: a partial
// timestamp prefix is text, a trailing CR clears its line (§1), an
// unterminated escape is dropped (§3), a partial rune is scrubbed (§6), and
// the last line is committed.
func (s *Store) finish() {
	p := &s.p
	for p.state != stText {
		switch p.state {
		case stHead:
			s.headReject()
		case stCR, stCRMark:
			s.loneCR(0)
		default:
			s.escDone()
		}
	}
	s.flushRune()
	s.commitLine()
	s.closeLink()
	s.newLine(s.n, tsNone)
}
