// Package logdiff compares a failed job's log with the log of the job's last
// passing run: each line is normalised (Normalise: what differs on every run
// becomes a placeholder) and hashed, and a line of the failed log is new when
// the passing log has fewer lines of the same hash than the failed log has
// met so far (a multiset, no alignment: docs/design.md §7 measures why).
// Comparison runs in budgeted steps, as search does, so a page comparing two
// big logs keeps answering.
package logdiff

import (
	"hash/maphash"
	"sort"

	"github.com/jobscope/jobscope/internal/joblog"
)

// Lines is what a comparison reads: a log's lines by index. A *joblog.Store
// is one (StoreLines).
type Lines interface {
	Len() int
	Text(i int) []byte
}

// StoreLines reads a store's committed lines (a running job's live last line
// is left out: it may still change).
type StoreLines struct{ S *joblog.Store }

// Len is the number of committed lines.
func (s StoreLines) Len() int { return s.S.Committed() }

// Text is line i's displayed text (timestamps and styles left out).
func (s StoreLines) Text(i int) []byte { return s.S.Line(i).Text }

// Phase is how far a comparison has gone.
type Phase int

// The phases in order.
const (
	Counting Phase = iota // hashing the passing log's lines
	Marking               // hashing the failed log's lines and marking the new
	Done
)

// Comparer marks the lines of a failed log (New) that its passing run
// (Old) does not have. Not safe for concurrent use.
type Comparer struct {
	old, new Lines
	seed     maphash.Seed
	counts   map[uint64]int32
	next     int
	phase    Phase
	norm     []byte
	changed  []int
}

// New prepares a comparison; nothing is read until Step.
func New(old, new Lines) *Comparer {
	return &Comparer{old: old, new: new, seed: maphash.MakeSeed(), counts: make(map[uint64]int32, old.Len())}
}

// Step reads up to about budget bytes of text (at least one line) and
// reports whether the comparison is done.
func (c *Comparer) Step(budget int) (done bool) {
	for budget > 0 && c.phase != Done {
		switch c.phase {
		case Counting:
			if c.next >= c.old.Len() {
				c.phase, c.next = Marking, 0
				continue
			}
			t := c.old.Text(c.next)
			c.counts[c.hash(t)]++
			budget -= len(t) + 1
		case Marking:
			if c.next >= c.new.Len() {
				c.phase = Done
				continue
			}
			t := c.new.Text(c.next)
			h := c.hash(t)
			if n := c.counts[h]; n > 0 {
				c.counts[h] = n - 1
			} else {
				c.changed = append(c.changed, c.next)
			}
			budget -= len(t) + 1
		}
		c.next++
	}
	return c.phase == Done
}

func (c *Comparer) hash(text []byte) uint64 {
	c.norm = Normalise(c.norm[:0], text)
	return maphash.Bytes(c.seed, c.norm)
}

// Run compares at once (tests, benchmarks, native tools).
func (c *Comparer) Run() *Comparer {
	for !c.Step(1 << 30) {
	}
	return c
}

// Phase is where the comparison is.
func (c *Comparer) Phase() Phase { return c.phase }

// Progress is the share of both logs' lines read, 0 to 1, for a progress
// bar: the passing log is read first, then the failed one.
func (c *Comparer) Progress() float64 {
	switch c.phase {
	case Done:
		return 1
	case Counting:
		return 0.5 * float64(c.next) / float64(max(c.old.Len(), 1))
	}
	return 0.5 + 0.5*float64(c.next)/float64(max(c.new.Len(), 1))
}

// Changed is the sorted indices of the failed log's new lines (complete once
// Step reports done).
func (c *Comparer) Changed() []int { return c.changed }

// IsNew reports whether line i of the failed log is new.
func (c *Comparer) IsNew(i int) bool {
	k := sort.SearchInts(c.changed, i)
	return k < len(c.changed) && c.changed[k] == i
}

// NextChange is the first new line after line i, for "next change"; ok is
// false when there is none.
func (c *Comparer) NextChange(i int) (line int, ok bool) {
	k := sort.SearchInts(c.changed, i+1)
	if k == len(c.changed) {
		return 0, false
	}
	return c.changed[k], true
}

// PrevChange is the last new line before line i.
func (c *Comparer) PrevChange(i int) (line int, ok bool) {
	k := sort.SearchInts(c.changed, i) - 1
	if k < 0 {
		return 0, false
	}
	return c.changed[k], true
}

// Context is the lines "only what changed" shows: every new line with up
// to n lines either side, as sorted, disjoint, inclusive ranges [a, b].
func Context(changed []int, n, lines int) [][2]int {
	var out [][2]int
	for _, i := range changed {
		a, b := max(i-n, 0), min(i+n, lines-1)
		if k := len(out); k > 0 && a <= out[k-1][1]+1 {
			out[k-1][1] = max(out[k-1][1], b)
			continue
		}
		out = append(out, [2]int{a, b})
	}
	return out
}
