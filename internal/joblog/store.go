package joblog

import (
	"math"
	"slices"
	"sort"
	"unsafe"
)

// Store is a parsed job log: the lines as displayed, with their styles,
// sections, timestamps and links. It is built by Append (or Update) and read
// by index, cheaply enough for a scroll handler: Line returns a small value
// that aliases the store's memory and allocates nothing.
//
// Layout: all text in one arena of 4 MiB blocks (a line never straddles
// two, so growth never copies the log); per line three packed uint32s (text
// end, span end, raw offset) plus an int64 timestamp when the log has them;
// spans as (arena offset, style index) pairs, none for a plain line; styles
// interned in a table; sections as runs of lines. No per-line Go strings.
// Measured on 16 MB generated logs: 1.32 bytes of store per log byte, 1.11
// with runner timestamps (their 32-byte prefixes are not kept as text).
//
// The zero Store is empty and ready. A Store is not safe for concurrent use:
// the log view appends and reads on one goroutine.
type Store struct {
	text       []byte   // the current arena block; arena offsets are textBase+index
	textBase   uint32   // arena offset of text[0]
	blocks     [][]byte // earlier blocks; block k holds arena offsets [k*blockSize, (k+1)*blockSize)
	spare      [][]byte // blocks kept by Reset for reuse
	spareTS    []int64
	ends       []uint32 // text end of line i (start is ends[i-1])
	spanEnds   []uint32 // spans of line i are spans[spanEnds[i-1]:spanEnds[i]]
	offs       []uint32 // raw offset of line i
	tss        []int64  // timestamp of line i (µs since the epoch), nil without timestamps
	spans      []span
	styles     []Style
	styleIDs   map[Style]uint32
	styleCache [styleCacheSize]styleCached
	truncs     []trunc
	links      []linkRec
	urls       []byte
	runs       []secRun

	secs     []secRec
	names    []byte
	stack    []openSec
	openIdx  map[string]int32
	secDrops int

	p       parser
	n       int64 // raw bytes consumed
	gen     uint64
	started bool
	done    bool
	head    [64]byte // the first bytes seen, to notice a replaced log
	nhead   int
	tail    [64]byte // the last bytes seen
	ntail   int
	dropped int64 // raw bytes beyond maxInput
}

type span struct {
	start uint32 // arena offset
	style uint32 // index into styles
}

type trunc struct {
	line    uint32
	dropped int
}

type linkRec struct {
	start, end uint32 // arena offsets
	url        [2]uint32
}

// secRun says lines from line on carry section sec (-1: none).
type secRun struct {
	line uint32
	sec  int32
}

const (
	tsNone   = math.MinInt64
	maxInput = 3 << 30 // raw offsets and arena offsets are uint32

	// blockSize is the size of an arena block (at least MaxLineBytes plus
	// a few U+FFFD, since a line never straddles blocks). The first block
	// grows by doubling, so a small log stays small.
	blockSize = 4 << 20
)

// textEnd is the arena offset after the last text byte.
func (s *Store) textEnd() uint32 { return s.textBase + uint32(len(s.text)) }

// arena returns the text at arena offsets [from, to), which lie in one block.
func (s *Store) arena(from, to uint32) []byte {
	if from == to {
		return nil
	}
	k := int(from / blockSize)
	b := s.text
	base := s.textBase
	if k < len(s.blocks) {
		b, base = s.blocks[k][:cap(s.blocks[k])], uint32(k)*blockSize
	}
	return b[from-base : to-base : to-base]
}

// lineStart is the arena offset where committed line i starts: after the
// previous line, or at the start of the next block when it moved there.
func (s *Store) lineStart(i int) uint32 {
	if i == 0 {
		return 0
	}
	start := s.ends[i-1]
	if blk := (s.ends[i] - 1) / blockSize * blockSize; blk > start {
		return blk
	}
	return start
}

const ()

func (s *Store) init() {
	if s.started {
		return
	}
	s.started = true
	s.styles = append(s.styles[:0], 0)
	s.styleIDs = map[Style]uint32{0: 0}
	s.openIdx = map[string]int32{}
	s.p.state, s.p.headKind, s.p.headerRec = stHead, headFirst, -1
	s.p.lineTS, s.p.lastTS = tsNone, tsNone
}

// Reset empties the store for a new log, keeping its memory for reuse:
// Line views and slices taken before Reset become invalid.
func (s *Store) Reset() {
	r := Store{gen: s.gen + 1, spare: s.spare}
	blocks := append(s.blocks, s.text)
	r.text = blocks[0][:0]
	for _, b := range blocks[1:] {
		r.spare = append(r.spare, b[:0])
	}
	r.ends, r.spanEnds, r.offs, r.spans = s.ends[:0], s.spanEnds[:0], s.offs[:0], s.spans[:0]
	r.spareTS = s.tss[:0]
	if r.spareTS == nil {
		r.spareTS = s.spareTS
	}
	*s = r
}

// Gen changes every time the store restarts (Reset, or Update noticing a
// replaced log); searches and folds built on an older generation are stale.
func (s *Store) Gen() uint64 { return s.gen }

// Bytes is the number of raw log bytes consumed.
func (s *Store) Bytes() int64 { return s.n }

// Append parses the next bytes of the log. Only these bytes are parsed; a
// sequence, rune, CR LF, marker or timestamp cut at the end of chunk waits
// (copied) for the next call, so any split gives the one-shot result.
// Append does not keep chunk.
func (s *Store) Append(chunk []byte) {
	s.init()
	if s.done { // more input after Finish: the last line was closed early
		s.done = false
	}
	if room := maxInput - s.n; int64(len(chunk)) > room {
		s.dropped += int64(len(chunk)) - room
		chunk = chunk[:room]
	}
	if s.nhead < len(s.head) {
		s.nhead += copy(s.head[s.nhead:], chunk)
	}
	if len(chunk) >= len(s.tail) {
		s.ntail = copy(s.tail[:], chunk[len(chunk)-len(s.tail):])
	} else {
		keep := min(s.ntail, len(s.tail)-len(chunk))
		copy(s.tail[:], s.tail[s.ntail-keep:s.ntail])
		s.ntail = keep + copy(s.tail[keep:], chunk)
	}
	s.reserve(len(chunk))
	s.feed(chunk, s.n)
	s.n += int64(len(chunk))
}

// reserve grows the arrays once for a big chunk instead of doubling them
// while it is parsed: the text arena by the chunk's size (text is at most
// the raw bytes, but for U+FFFD), the per-line arrays by a line per 64 bytes.
func (s *Store) reserve(n int) {
	if n < 64<<10 {
		return
	}
	if want := min(max(len(s.text)+n, 2*cap(s.text)), blockSize); len(s.blocks) == 0 && len(s.text)+n > cap(s.text) {
		nb := make([]byte, len(s.text), want) // exactly: block 0 must not outgrow blockSize
		copy(nb, s.text)
		s.text = nb
	}
	s.ends = slices.Grow(s.ends, n/64)
	s.spanEnds = slices.Grow(s.spanEnds, n/64)
	s.offs = slices.Grow(s.offs, n/64)
	if s.tss != nil {
		s.tss = slices.Grow(s.tss, n/64)
	}
}

// Finish tells the store the log is complete: whatever waits for more bytes
// is resolved as the end of the log (a trailing CR clears its line, an
// unterminated escape is dropped, a partial rune becomes U+FFFD) and the last
// line is committed. Appending after Finish goes on as if a line had ended.
func (s *Store) Finish() {
	s.init()
	if !s.done {
		s.finish()
		s.done = true
	}
}

// Update feeds the whole current trace of a job, as the API's trace
// endpoint returns it on every poll: only the bytes beyond the ones already
// parsed are parsed. When the trace shrank or its start or the bytes before
// the old end changed (the job was erased or retried), or it grew after
// Finish, the store restarts from scratch and Update reports it.
func (s *Store) Update(full []byte) (restarted bool) {
	s.init()
	if int64(len(full)) < s.n || s.done && int64(len(full)) > s.n || !s.sameSoFar(full) {
		s.Reset()
		s.Append(full)
		return true
	}
	s.Append(full[s.n:])
	return false
}

func (s *Store) sameSoFar(full []byte) bool {
	if string(full[:s.nhead]) != string(s.head[:s.nhead]) {
		return false
	}
	return string(full[s.n-int64(s.ntail):s.n]) == string(s.tail[:s.ntail])
}

// Len is the number of displayed lines, including a live last line still
// being written (joblog.md choice 6).
func (s *Store) Len() int {
	if s.liveText() {
		return len(s.ends) + 1
	}
	return len(s.ends)
}

// Committed is the number of finished lines; they never change until a restart.
func (s *Store) Committed() int { return len(s.ends) }

// liveText reports whether the line being built is shown: it has text and
// no CR waits to clear it (joblog.md §1: `hello\r` shows nothing yet).
func (s *Store) liveText() bool {
	return s.started && s.textEnd() > s.p.lineStart && s.p.state != stCR && s.p.state != stCRMark
}

// styleIndex interns a style; a small direct-mapped cache spares the map
// lookup for the handful of styles a log keeps switching between.
func (s *Store) styleIndex(st Style) uint32 {
	h := (st ^ st>>23 ^ st>>47) & (styleCacheSize - 1)
	if c := &s.styleCache[h]; c.ok && c.style == st {
		return c.id
	}
	id, ok := s.styleIDs[st]
	if !ok {
		id = uint32(len(s.styles))
		s.styles = append(s.styles, st)
		s.styleIDs[st] = id
	}
	s.styleCache[h] = styleCached{style: st, id: id, ok: true}
	return id
}

const styleCacheSize = 16

type styleCached struct {
	style Style
	id    uint32
	ok    bool
}

func (s *Store) internURL(u []byte) [2]uint32 {
	at := uint32(len(s.urls))
	s.urls = append(s.urls, u...)
	return [2]uint32{at, uint32(len(s.urls))}
}

// Line is a view of one displayed line. Its slices alias the store: do not
// modify them. A committed line never changes; the live last line (Live) is
// a snapshot: take it again after the next Append.
type Line struct {
	Index     int    // 0-based; the line's number (#L) is Index+1
	Text      []byte // the displayed text, UTF-8
	Offset    int64  // raw byte offset of the line's start in the trace
	Section   int    // innermost section (for a header, the section it opens); -1 if none
	Header    bool   // the line is its section's header (the toggle)
	Live      bool   // the last line, still being written
	Truncated int    // text bytes dropped beyond MaxLineBytes (shown as a marker)

	ts     int64
	spans  []span
	styles []Style
	base   uint32
	links  []linkRec
	urls   []byte
}

// Line returns line i (0 <= i < Len()); out of range gives a zero Line with Index -1.
func (s *Store) Line(i int) Line {
	if i < 0 || i >= s.Len() {
		return Line{Index: -1, Section: -1}
	}
	if i == len(s.ends) {
		return s.liveLine()
	}
	start, spanStart := s.lineStart(i), uint32(0)
	if i > 0 {
		spanStart = s.spanEnds[i-1]
	}
	l := Line{
		Index:   i,
		Text:    s.arena(start, s.ends[i]),
		Offset:  int64(s.offs[i]),
		Section: s.sectionOf(i),
		ts:      tsNone,
		spans:   s.spans[spanStart:s.spanEnds[i]],
		styles:  s.styles,
		base:    start,
		urls:    s.urls,
	}
	if l.Section >= 0 && s.secs[l.Section].header == int32(i) {
		l.Header = true
	}
	if s.tss != nil {
		l.ts = s.tss[i]
	}
	if len(s.truncs) > 0 {
		k := sort.Search(len(s.truncs), func(k int) bool { return s.truncs[k].line >= uint32(i) })
		if k < len(s.truncs) && s.truncs[k].line == uint32(i) {
			l.Truncated = s.truncs[k].dropped
		}
	}
	l.links = s.linksIn(start, s.ends[i])
	return l
}

func (s *Store) liveLine() Line {
	p := &s.p
	sec := s.innermost()
	if p.headerRec >= 0 {
		sec = p.headerRec
	}
	sp := s.spans[p.spanBase:]
	if len(sp) == 1 && sp[0].style == 0 {
		sp = nil
	}
	l := Line{
		Index:     len(s.ends),
		Text:      s.arena(p.lineStart, s.textEnd()),
		Offset:    p.lineOff,
		Section:   int(sec),
		Header:    p.headerRec >= 0,
		Live:      true,
		Truncated: p.dropped,
		ts:        p.lineTS,
		spans:     sp,
		styles:    s.styles,
		base:      p.lineStart,
		urls:      s.urls,
		links:     s.linksIn(p.lineStart, s.textEnd()),
	}
	if p.linkOn && s.textEnd() > p.linkFrom {
		// The open OSC 8 link is not recorded yet: show it anyway.
		l.links = append(l.links[:len(l.links):len(l.links)], linkRec{start: p.linkFrom, end: s.textEnd(), url: [2]uint32{uint32(len(s.urls)), uint32(len(s.urls) + len(p.linkURL))}})
		l.urls = append(s.urls[:len(s.urls):len(s.urls)], p.linkURL...)
	}
	return l
}

func (s *Store) linksIn(start, end uint32) []linkRec {
	k := sort.Search(len(s.links), func(k int) bool { return s.links[k].start >= start })
	j := k
	for j < len(s.links) && s.links[j].start < end {
		j++
	}
	return s.links[k:j:j]
}

// NumSpans is the number of styled spans of the line (a plain line has one).
func (l Line) NumSpans() int {
	if len(l.spans) == 0 {
		if len(l.Text) == 0 {
			return 0
		}
		return 1
	}
	return len(l.spans)
}

// Span returns span k: its text (aliasing the store) and style.
func (l Line) Span(k int) ([]byte, Style) {
	from, to := l.spanRange(k)
	if len(l.spans) == 0 {
		return l.Text[from:to:to], 0
	}
	return l.Text[from:to:to], l.styles[l.spans[k].style]
}

// AppendVisible appends the line's text as the screen shows it: concealed
// (SGR 8) spans are left out, so a copy holds no text the view hid.
func (l Line) AppendVisible(dst []byte) []byte {
	for k := range l.NumSpans() {
		if text, st := l.Span(k); !st.Conceal() {
			dst = append(dst, text...)
		}
	}
	return dst
}

// spanRange is span k's byte range in Text.
func (l Line) spanRange(k int) (from, to int) {
	if len(l.spans) == 0 {
		return 0, len(l.Text)
	}
	from, to = int(l.spans[k].start-l.base), len(l.Text)
	if k+1 < len(l.spans) {
		to = int(l.spans[k+1].start - l.base)
	}
	return from, to
}

// Addr is a stable address of a line: its number and raw byte offset. Line
// numbers of committed lines never change while the log grows; Resolve
// checks the offset so an address outlives a restart with another log.
type Addr struct {
	Line   int
	Offset int64
}

// Addr returns the line's stable address.
func (l Line) Addr() Addr { return Addr{Line: l.Index, Offset: l.Offset} }

// Resolve finds the line an address names: the same line if its offset
// still matches, else the last line starting at or before the offset.
func (s *Store) Resolve(a Addr) (line int, exact bool) {
	n := s.Len()
	if a.Line >= 0 && a.Line < n && s.Line(a.Line).Offset == a.Offset {
		return a.Line, true
	}
	k := sort.Search(len(s.offs), func(k int) bool { return int64(s.offs[k]) > a.Offset })
	return max(k-1, 0), false
}

// Stats describes the store's size.
type Stats struct {
	Lines           int
	LogBytes        int64 // raw bytes consumed
	TextBytes       int   // displayed text
	StoreBytes      int   // memory held by the store's arrays (capacity)
	TruncatedLines  int
	DroppedSections int   // markers beyond MaxSections
	DroppedInput    int64 // raw bytes beyond 4 GiB
}

// Stats reports the store's size; StoreBytes/LogBytes is the memory per log byte.
func (s *Store) Stats() Stats {
	size, text := cap(s.text), len(s.text)
	for _, b := range s.blocks {
		size += cap(b)
		text += len(b)
	}
	size += 4*(cap(s.ends)+cap(s.spanEnds)+cap(s.offs)) + 8*cap(s.tss) +
		int(unsafe.Sizeof(span{}))*cap(s.spans) + 8*cap(s.styles) + 16*len(s.styleIDs) +
		int(unsafe.Sizeof(trunc{}))*cap(s.truncs) + int(unsafe.Sizeof(linkRec{}))*cap(s.links) + cap(s.urls) +
		int(unsafe.Sizeof(secRun{}))*cap(s.runs) + int(unsafe.Sizeof(secRec{}))*cap(s.secs) + cap(s.names) +
		int(unsafe.Sizeof(openSec{}))*cap(s.stack)
	return Stats{
		Lines: s.Len(), LogBytes: s.n, TextBytes: text, StoreBytes: size,
		TruncatedLines: len(s.truncs), DroppedSections: s.secDrops, DroppedInput: s.dropped,
	}
}
