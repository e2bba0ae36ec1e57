package joblog

import (
	"bytes"
	"errors"
	"regexp"
	"sort"
	"strconv"
	"unicode/utf8"
)

// ErrEmptyQuery is returned for a search with no text.
var ErrEmptyQuery = errors.New("joblog: empty search query")

// QueryError is a search whose regexp does not compile; it unwraps to the
// *syntax.Error from regexp.
type QueryError struct {
	Query string
	Err   error
}

func (e *QueryError) Error() string {
	return "joblog: search " + strconv.Quote(e.Query) + ": " + e.Err.Error()
}
func (e *QueryError) Unwrap() error { return e.Err }

// Query is what to search for, over every line's displayed text (collapsed
// sections included, timestamps excluded).
type Query struct {
	Text          string
	Regexp        bool // Text is a Go regexp (RE2 syntax)
	CaseSensitive bool // substring and regexp alike; default is case-insensitive
}

// Hit is one match: Text[Start:End] of line Line.
type Hit struct {
	Line, Start, End int
}

// MaxHits is the most hits a search keeps; Count goes on counting past it.
const MaxHits = 1 << 20

// Searcher finds hits incrementally, so a search over a big log never holds
// the UI for long: call Step with a budget until it reports done, showing
// hits as they come. It follows a growing log (Step picks up new lines; the
// live last line is searched again each time) and restarts by itself when
// the store restarts. Not safe for concurrent use; same goroutine as the store.
type Searcher struct {
	s      *Store
	gen    uint64
	match  func(l Line, dst []Hit) []Hit
	index  func(text, needle []byte) int // literal searches: scanned a block at a time
	needle []byte
	next   int   // next committed line to scan
	hits   []Hit // hits in committed lines
	live   []Hit // hits in the live last line
	count  int   // hits in committed lines, past MaxHits too
}

// Search prepares a search; nothing is scanned until Step.
func (s *Store) Search(q Query) (*Searcher, error) {
	if q.Text == "" {
		return nil, ErrEmptyQuery
	}
	sr := &Searcher{s: s, gen: s.gen}
	switch {
	case q.Regexp || !q.CaseSensitive && !isASCII(q.Text):
		expr := q.Text
		if !q.Regexp {
			expr = regexp.QuoteMeta(expr)
		}
		if !q.CaseSensitive {
			expr = "(?i)" + expr
		}
		re, err := regexp.Compile(expr)
		if err != nil {
			return nil, &QueryError{Query: q.Text, Err: err}
		}
		sr.match = func(l Line, dst []Hit) []Hit {
			for _, m := range re.FindAllIndex(l.Text, -1) {
				if m[1] > m[0] { // empty matches are not hits
					dst = append(dst, Hit{Line: l.Index, Start: m[0], End: m[1]})
				}
			}
			return dst
		}
	case q.CaseSensitive:
		sr.index, sr.needle = bytes.Index, []byte(q.Text)
	default:
		sr.index, sr.needle = indexFoldASCII, bytes.ToLower([]byte(q.Text))
	}
	if sr.index != nil {
		sr.match = func(l Line, dst []Hit) []Hit {
			for off := 0; ; {
				i := sr.index(l.Text[off:], sr.needle)
				if i < 0 {
					return dst
				}
				dst = append(dst, Hit{Line: l.Index, Start: off + i, End: off + i + len(sr.needle)})
				off += i + len(sr.needle)
			}
		}
	}
	return sr, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// indexFoldASCII finds lower-case ASCII needle in s, ignoring ASCII case.
// Candidates for the first byte are found with IndexByte for each case,
// each position remembered until passed, so the scan stays linear.
func indexFoldASCII(s, needle []byte) int {
	last := len(s) - len(needle) + 1
	if last <= 0 {
		return -1
	}
	c0, up := needle[0], needle[0]
	if c0 >= 'a' && c0 <= 'z' {
		up = c0 - 'a' + 'A'
	}
	const none = int(^uint(0) >> 1)
	nextLo, nextUp := -1, -1
	if up == c0 {
		nextUp = none
	}
	for i := 0; i < last; {
		if nextLo < i {
			if k := bytes.IndexByte(s[i:last], c0); k >= 0 {
				nextLo = i + k
			} else {
				nextLo = none
			}
		}
		if nextUp < i {
			if k := bytes.IndexByte(s[i:last], up); k >= 0 {
				nextUp = i + k
			} else {
				nextUp = none
			}
		}
		j := min(nextLo, nextUp)
		if j == none {
			return -1
		}
		if equalFoldLower(s[j:j+len(needle)], needle) {
			return j
		}
		i = j + 1
	}
	return -1
}

func equalFoldLower(s, lower []byte) bool {
	for k, c := range s {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[k] {
			return false
		}
	}
	return true
}

// Step scans up to about budget bytes of text (at least one line) and
// reports whether the whole log, as it is now, has been searched.
func (sr *Searcher) Step(budget int) (done bool) {
	s := sr.s
	if sr.gen != s.gen {
		sr.gen, sr.next, sr.hits, sr.live, sr.count = s.gen, 0, sr.hits[:0], sr.live[:0], 0
	}
	for sr.next < s.Committed() {
		var scanned int
		if sr.index != nil {
			scanned = sr.scanBlock(budget)
		} else {
			l := s.Line(sr.next)
			sr.next++
			sr.add(sr.match(l, nil))
			scanned = len(l.Text) + 1
		}
		if budget -= scanned; budget <= 0 {
			return sr.next == s.Committed() && sr.searchLive()
		}
	}
	return sr.searchLive()
}

// add counts and keeps (up to MaxHits) new hits.
func (sr *Searcher) add(h []Hit) {
	sr.count += len(h)
	if room := MaxHits - len(sr.hits); room > 0 {
		sr.hits = append(sr.hits, h[:min(room, len(h))]...)
	}
}

// scanBlock searches a literal in consecutive committed lines of one arena
// block in one pass over their text (lines are stored back to back, so a
// match that crosses a line end is skipped), up to about budget bytes. It
// returns the bytes scanned.
func (sr *Searcher) scanBlock(budget int) int {
	s := sr.s
	first := sr.next
	from := s.lineStart(first)
	block := from / blockSize
	last := first
	for last+1 < s.Committed() && int(s.ends[last]-from) < budget && s.lineStart(last+1)/blockSize == block {
		last++
	}
	text := s.arena(from, s.ends[last])
	k := first
	var found [64]Hit
	hits := found[:0]
	for off := 0; ; {
		i := sr.index(text[off:], sr.needle)
		if i < 0 {
			break
		}
		at := from + uint32(off+i)
		for s.ends[k] <= at {
			k++
		}
		end := at + uint32(len(sr.needle))
		if end > s.ends[k] {
			off += i + 1 // crosses into the next line
			continue
		}
		start := int(at - s.lineStart(k))
		hits = append(hits, Hit{Line: k, Start: start, End: start + len(sr.needle)})
		if len(hits) == cap(hits) {
			sr.add(hits)
			hits = hits[:0]
		}
		off += i + len(sr.needle)
	}
	sr.add(hits)
	sr.next = last + 1
	return len(text) + last - first + 1
}

func (sr *Searcher) searchLive() bool {
	sr.live = sr.live[:0]
	if sr.s.Len() > sr.s.Committed() {
		sr.live = sr.match(sr.s.Line(sr.s.Committed()), sr.live)
	}
	return true
}

// Count is the number of hits found so far.
func (sr *Searcher) Count() int { return sr.count + len(sr.live) }

// Len is the number of hits kept (Count, capped at MaxHits plus the live line's).
func (sr *Searcher) Len() int { return len(sr.hits) + len(sr.live) }

// Hit returns kept hit i (0 <= i < Len()), in log order.
func (sr *Searcher) Hit(i int) Hit {
	if i < len(sr.hits) {
		return sr.hits[i]
	}
	return sr.live[i-len(sr.hits)]
}

// Next is the index of the first kept hit at or after (line, col), for
// "next match"; ok is false when there is none (the caller may wrap to 0).
func (sr *Searcher) Next(line, col int) (i int, ok bool) {
	i = sort.Search(sr.Len(), func(k int) bool {
		h := sr.Hit(k)
		return h.Line > line || h.Line == line && h.Start >= col
	})
	return i, i < sr.Len()
}

// Prev is the index of the last kept hit before (line, col).
func (sr *Searcher) Prev(line, col int) (i int, ok bool) {
	i = sort.Search(sr.Len(), func(k int) bool {
		h := sr.Hit(k)
		return h.Line > line || h.Line == line && h.Start >= col
	}) - 1
	return i, i >= 0
}

// Failures prepares a search for lines that look like failures, for "jump
// to next error": a line with a red or bright red foreground span holding
// non-space text (GitLab's next-failure control looks for red text; the
// runner prints its errors bold red), or one containing a FailurePatterns
// entry. Each hit covers its whole line.
func (s *Store) Failures() *Searcher {
	return &Searcher{s: s, gen: s.gen, match: func(l Line, dst []Hit) []Hit {
		if LooksFailed(l) {
			dst = append(dst, Hit{Line: l.Index, Start: 0, End: len(l.Text)})
		}
		return dst
	}}
}

// FailurePatterns are case-sensitive substrings that mark a failure line:
// compiler and tool errors (`error:`, `error[E0308]`, `ERROR`), test runners
// (`FAIL`), git and shells (`fatal:`), Go panics, Python tracebacks, Java
// exceptions, and the runner's own `ERROR: Job failed`.
var FailurePatterns = []string{
	"error:", "Error:", "error[", "ERROR", "FAIL", "fatal:", "FATAL",
	"panic:", "Traceback (most recent call last)", "Exception:",
}

// LooksFailed reports whether a line looks like a failure (see Failures).
func LooksFailed(l Line) bool {
	for k := 0; k < l.NumSpans(); k++ {
		text, st := l.Span(k)
		if fg := st.Fg(); fg.Kind() == ColourBasic && fg.Value()&7 == 1 && len(bytes.TrimSpace(text)) > 0 {
			return true
		}
	}
	for _, p := range FailurePatterns {
		if bytes.Contains(l.Text, []byte(p)) {
			return true
		}
	}
	return false
}
