package joblog

import (
	"sort"
	"strconv"
)

// secRec is one section occurrence (one section_start that opened it).
//
// GitLab's page keeps one record per section *name*, so a reused name
// overwrites the earlier record and the earlier header's toggle then acts on
// the later range (joblog.md §4). jobscope keeps one record per occurrence;
// a name reopened while still open closes the earlier occurrence at that
// point. Everything else (which lines a section holds, which record a footer
// updates, durations) follows GitLab.
type secRec struct {
	nameOff, nameEnd uint32
	first            int32 // first line index at its start (its header, if it has one)
	header           int32 // header line, -1 when the header was empty (no toggle)
	end              int32 // last line at its footer, -1 while no footer came
	parent           int32
	dur              int32 // seconds, clamped; -1 without a footer
	depth            uint16
	flags            uint8
}

const (
	secCollapsed = 1 << iota
	secHideDuration
	secClosed
)

// openSec is an open section name; the stack keeps GitLab's insertion
// order of its open-sections hash (reopening keeps the position).
type openSec struct {
	name  string
	start int64
	rec   int32
	alive bool
}

// innermost is the record of the innermost open section, or -1.
func (s *Store) innermost() int32 {
	if n := len(s.stack); n > 0 {
		return s.stack[n-1].rec
	}
	return -1
}

// openSection handles section_start (joblog.md §4): the pending line was
// emitted; the section opens and the next text up to the LF is its header.
func (s *Store) openSection(mk *marker) {
	if len(s.secs) >= MaxSections {
		s.secDrops++
		return
	}
	rec := secRec{
		first: int32(len(s.ends)), header: -1, end: -1, parent: s.innermost(), dur: -1,
		nameOff: uint32(len(s.names)),
	}
	s.names = append(s.names, mk.name...)
	rec.nameEnd = uint32(len(s.names))
	if mk.collapse {
		rec.flags |= secCollapsed
	}
	if mk.hide {
		rec.flags |= secHideDuration
	}
	id := int32(len(s.secs))
	if k, ok := s.openIdx[string(mk.name)]; ok {
		// Reopening an open name resets its start time and keeps its place.
		e := &s.stack[k]
		old := &s.secs[e.rec]
		old.end = int32(len(s.ends)) - 1
		rec.depth, rec.parent = old.depth, old.parent
		e.start, e.rec = mk.ts, id
	} else {
		rec.depth = uint16(min(s.alive(), 1<<16-1))
		s.openIdx[string(mk.name)] = int32(len(s.stack))
		s.stack = append(s.stack, openSec{name: string(mk.name), start: mk.ts, rec: id, alive: true})
	}
	s.secs = append(s.secs, rec)
	s.p.headerRec = id
}

func (s *Store) alive() int { return len(s.openIdx) }

// closeSection handles section_end (joblog.md §4). A name that is not open
// only loses its marker. Otherwise the pending line is emitted, the footer's
// duration (end - start of the named section, clamped to 0..1 year) goes to
// the innermost open section, as GitLab labels the footer with it, and the
// text after the marker starts a new line.
func (s *Store) closeSection(mk *marker, next int64) {
	k, ok := s.openIdx[string(mk.name)]
	if !ok {
		return
	}
	s.commitLine()
	e := &s.stack[k]
	in := &s.secs[s.innermost()]
	in.end = int32(len(s.ends)) - 1
	in.dur = int32(min(max(mk.ts-e.start, 0), yearSeconds))
	in.flags |= secClosed
	e.alive = false
	delete(s.openIdx, e.name)
	for n := len(s.stack); n > 0 && !s.stack[n-1].alive; n = len(s.stack) {
		s.stack = s.stack[:n-1]
	}
	s.newLine(next, s.p.lineTS)
}

// yearSeconds is Ruby's 1.year, GitLab's duration clamp (joblog.md §4).
const yearSeconds = 31556952

// sectionOf is the section of committed line i.
func (s *Store) sectionOf(i int) int {
	k := sort.Search(len(s.runs), func(k int) bool { return s.runs[k].line > uint32(i) })
	if k == 0 {
		return -1
	}
	return int(s.runs[k-1].sec)
}

// Section is one entry of the section outline.
type Section struct {
	Index        int
	Name         string // sanitised (joblog.md §4)
	Header       int    // header line, -1 when the section has no header (no toggle)
	First, Last  int    // line range; Last is Len()-1 while no footer came, First > Last when empty
	Depth        int    // open sections around it at its start
	Parent       int    // enclosing section, -1 at the top
	Collapsed    bool   // collapsed=true: hidden at first
	HideDuration bool   // hide_duration=true
	Closed       bool   // a footer gave it a duration
	Duration     int64  // seconds, clamped to 0..1 year (joblog.md §4); see FormatDuration
}

// NumSections is the number of sections recorded.
func (s *Store) NumSections() int { return len(s.secs) }

// Section returns section i of the outline (0 <= i < NumSections()).
func (s *Store) Section(i int) Section {
	r := &s.secs[i]
	sec := Section{
		Index: i, Name: string(s.names[r.nameOff:r.nameEnd]), Header: int(r.header),
		First: int(r.first), Last: int(r.end), Depth: int(r.depth), Parent: int(r.parent),
		Collapsed: r.flags&secCollapsed != 0, HideDuration: r.flags&secHideDuration != 0,
		Closed: r.flags&secClosed != 0,
	}
	if r.end < 0 {
		sec.Last = s.Len() - 1
	}
	if r.dur >= 0 {
		sec.Duration = int64(r.dur)
	}
	return sec
}

// SectionName returns section i's sanitised name without copying it.
func (s *Store) SectionName(i int) []byte {
	r := &s.secs[i]
	return s.names[r.nameOff:r.nameEnd:r.nameEnd]
}

// FormatDuration writes a section duration as GitLab does (joblog.md §4):
// MM:SS, or HH:MM:SS when there are hours, hours not wrapped. Minutes and
// seconds are ActiveSupport::Duration.build's parts, which take years
// (31556952 s), months (2629746 s), weeks and days off first, so past a
// month they are not plain remainders (1.year is 8765:00:00).
func FormatDuration(seconds int64) string {
	sec := min(max(seconds, 0), yearSeconds)
	hours := sec / 3600
	rem := sec
	for _, unit := range []int64{31556952, 2629746, 604800, 86400, 3600} {
		rem %= unit
	}
	b := make([]byte, 0, 12)
	if hours > 0 {
		if hours < 10 {
			b = append(b, '0')
		}
		b = strconv.AppendInt(b, hours, 10)
		b = append(b, ':')
	}
	b = append(b, byte('0'+rem/60/10), byte('0'+rem/60%10), ':', byte('0'+rem%60/10), byte('0'+rem%60%10))
	return string(b)
}

// Fold maps visible rows to lines for one collapse state: a line is hidden
// when it has a section and lies after the header and at or before the last
// line of a collapsed section (joblog.md §4; an unfinished section reaches the
// end). Build a new Fold after the store grows or a toggle changes: it costs
// O(sections + section runs); Line, Row and Hidden are O(log hidden ranges).
type Fold struct {
	starts, ends []int // disjoint hidden ranges [start, end], sorted
	before       []int // hidden lines before range k
	lines        int
}

// Fold builds the visibility index. toggled holds the sections whose
// collapsed state the user flipped (nil: as the log says).
func (s *Store) Fold(toggled map[int]bool) *Fold {
	f := &Fold{lines: s.Len()}
	last := f.lines - 1
	for i := range s.secs {
		r := &s.secs[i]
		if r.header < 0 || (r.flags&secCollapsed != 0) == toggled[i] {
			continue
		}
		a, b := int(r.header)+1, int(r.end)
		if r.end < 0 {
			b = last
		}
		if a > b {
			continue
		}
		if n := len(f.ends); n > 0 && a <= f.ends[n-1]+1 {
			f.ends[n-1] = max(f.ends[n-1], b)
			continue
		}
		f.starts = append(f.starts, a)
		f.ends = append(f.ends, b)
	}
	f.cutUnsectioned(s)
	hidden := 0
	f.before = make([]int, len(f.starts))
	for k := range f.starts {
		f.before[k] = hidden
		hidden += f.ends[k] - f.starts[k] + 1
	}
	return f
}

// cutUnsectioned removes lines without a section from the hidden ranges:
// they never hide (joblog.md §4; possible after misnested markers).
func (f *Fold) cutUnsectioned(s *Store) {
	var free [][2]int
	for k, r := range s.runs {
		if r.sec >= 0 {
			continue
		}
		end := s.Len() - 1
		if k+1 < len(s.runs) {
			end = int(s.runs[k+1].line) - 1
		}
		free = append(free, [2]int{int(r.line), end})
	}
	if s.liveText() && s.innermost() < 0 && s.p.headerRec < 0 {
		free = append(free, [2]int{s.Len() - 1, s.Len() - 1})
	}
	if len(free) == 0 || len(f.starts) == 0 {
		return
	}
	var starts, ends []int
	j := 0
	for k := range f.starts {
		a, b := f.starts[k], f.ends[k]
		for j < len(free) && free[j][1] < a {
			j++
		}
		for jj := j; jj < len(free) && free[jj][0] <= b && a <= b; jj++ {
			if free[jj][0] > a {
				starts = append(starts, a)
				ends = append(ends, free[jj][0]-1)
			}
			a = max(a, free[jj][1]+1)
		}
		if a <= b {
			starts = append(starts, a)
			ends = append(ends, b)
		}
	}
	f.starts, f.ends = starts, ends
}

// Rows is the number of visible rows.
func (f *Fold) Rows() int {
	if n := len(f.starts); n > 0 {
		return f.lines - f.before[n-1] - (f.ends[n-1] - f.starts[n-1] + 1)
	}
	return f.lines
}

// Line is the line shown at visible row r (0 <= r < Rows()).
func (f *Fold) Line(r int) int {
	// The last range whose start is at or before the visible position.
	k := sort.Search(len(f.starts), func(k int) bool { return f.starts[k]-f.before[k] > r }) - 1
	if k < 0 {
		return r
	}
	return r + f.before[k] + f.ends[k] - f.starts[k] + 1
}

// Hidden reports whether line i is folded away.
func (f *Fold) Hidden(i int) bool {
	k := sort.Search(len(f.starts), func(k int) bool { return f.ends[k] >= i })
	return k < len(f.starts) && f.starts[k] <= i
}

// Row is the visible row of line i; a hidden line gives the row it is folded
// under (the header's row) and visible false.
func (f *Fold) Row(i int) (row int, visible bool) {
	k := sort.Search(len(f.starts), func(k int) bool { return f.ends[k] >= i })
	if k < len(f.starts) && f.starts[k] <= i {
		// The row above the range; a range from line 0 (FoldOnly) has none.
		return max(f.starts[k]-1-f.before[k], 0), false
	}
	hidden := 0
	if k > 0 {
		hidden = f.before[k-1] + f.ends[k-1] - f.starts[k-1] + 1
	}
	return i - hidden, true
}
