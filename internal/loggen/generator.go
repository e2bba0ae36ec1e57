package loggen

import (
	"bytes"
	"io"
	"math"
	"time"
)

// defaultStart is the job start when Options.Start is zero.
var defaultStart = time.Date(2026, 1, 21, 9, 47, 5, 0, time.UTC)

const (
	// flushAt is the buffered size at which Write hands bytes to its writer.
	flushAt = 64 << 10
	// nearBytes and nearLines: below this much room before the closing
	// sections, the body switches to small single-line units so that Size
	// and Lines land exactly.
	nearBytes = 64 << 10
	nearLines = 64
	// closingBytes and closingLines bound the closing sections (failure
	// output, open user sections, after_script... "Job succeeded"); the
	// tests check the bound.
	closingBytes = 8 << 10
	closingLines = 48
)

// Stream headers of the runner's timestamper (joblog.md §5): stream 00 is
// the runner itself, 01 the job script; O is stdout, E stderr.
const (
	runnerOut = "00O"
	scriptOut = "01O"
	scriptErr = "01E"
)

// generator holds the state of one log being written. Copying it (a value
// copy) gives an independent dry run, used to measure the closing sections:
// everything it mutates is a value or gets replaced (buf), and the section
// stack is only popped.
type generator struct {
	opts Options
	r    rng
	job  job

	buf     []byte
	scratch []byte    // dry-run buffer, reused
	w       io.Writer // nil for Generate
	err     error
	flushed int // bytes already handed to w
	lines   int // LF bytes written so far

	now    int64    // job clock, microseconds since the Unix epoch
	tsSec  int64    // second currently formatted in tsHead
	tsHead [32]byte // timestamper header being reused
	cont   bool     // the next record continues the previous one ('+')

	stack []string // open user sections, innermost last
	steps int      // counter making section names unique
}

func newGenerator(opts Options, w io.Writer) *generator {
	start := opts.Start
	if start.IsZero() {
		start = defaultStart
	}
	g := &generator{
		opts:  opts,
		r:     rng{s: uint64(opts.Seed)*0x9e3779b97f4a7c15 + 0x632be59bd9b4e019},
		w:     w,
		now:   start.UnixMicro(),
		tsSec: math.MinInt64,
	}
	g.job = newJob(&g.r)
	return g
}

// run writes the whole log: preamble, body, closing sections.
func (g *generator) run() {
	g.preamble()
	if !g.closingFits() {
		// Too small for a complete job: the prefix of the shortest one.
		g.closing()
		g.cut()
		return
	}
	g.body()
	g.closing()
}

func (g *generator) written() int { return g.flushed + len(g.buf) }

// closingCost measures the closing sections as they would be written now.
func (g *generator) closingCost() (size, lines int) {
	d := *g
	d.buf, d.w = g.scratch[:0], nil
	d.closing()
	g.scratch = d.buf[:0]
	return len(d.buf), d.lines - g.lines
}

func (g *generator) closingFits() bool {
	size, lines := g.closingCost()
	switch {
	case g.opts.Size > 0:
		return g.written()+size <= g.opts.Size
	case g.opts.Lines > 0:
		return g.lines+lines <= g.opts.Lines
	}
	return true
}

// cut trims a log that never left the buffer to Size bytes or Lines lines.
func (g *generator) cut() {
	switch {
	case g.opts.Size > 0 && len(g.buf) > g.opts.Size:
		g.buf = g.buf[:g.opts.Size]
	case g.opts.Size == 0 && g.opts.Lines > 0:
		end := 0
		for range g.opts.Lines {
			i := bytes.IndexByte(g.buf[end:], '\n')
			if i < 0 {
				break
			}
			end += i + 1
		}
		g.buf = g.buf[:end]
	}
}

// body writes script output until the closing sections just fit: first
// whole units while far from the target, then single lines, then one filler
// line sized to land on Size.
func (g *generator) body() {
	for g.err == nil {
		switch {
		case g.opts.Size > 0:
			room := g.opts.Size - g.written() - closingBytes
			if room < nearBytes {
				g.finishSize()
				return
			}
			g.unit(room, math.MaxInt)
		case g.opts.Lines > 0:
			room := g.opts.Lines - g.lines - closingLines
			if room < nearLines {
				g.finishLines()
				return
			}
			g.unit(math.MaxInt, room)
		default:
			return
		}
		g.maybeFlush()
	}
}

func (g *generator) finishSize() {
	for g.err == nil {
		size, _ := g.closingCost()
		room := g.opts.Size - g.written() - size
		if room > 512 {
			g.simpleLine()
			g.maybeFlush()
			continue
		}
		g.filler(room)
		return
	}
}

func (g *generator) finishLines() {
	_, lines := g.closingCost()
	for g.lines+lines < g.opts.Lines && g.err == nil {
		g.simpleLine()
		g.maybeFlush()
	}
}

func (g *generator) maybeFlush() {
	if g.w != nil && len(g.buf) >= flushAt {
		g.flush()
	}
}

func (g *generator) flush() {
	if g.w == nil || g.err != nil || len(g.buf) == 0 {
		return
	}
	_, g.err = g.w.Write(g.buf)
	g.flushed += len(g.buf)
	g.buf = g.buf[:0]
}

// rec starts a record on stream s (runnerOut, scriptOut, scriptErr): with
// timestamps, the runner's 32-byte header (joblog.md §5). Every record moves
// the job clock on by up to 0.4 ms.
func (g *generator) rec(s string) {
	g.now += int64(g.r.intn(400))
	if !g.opts.Timestamps {
		return
	}
	sec := g.now / 1e6
	if sec != g.tsSec {
		g.tsSec = sec
		formatSecond(g.tsHead[:], sec)
	}
	us := g.now % 1e6
	if us < 0 {
		us += 1e6
	}
	for i := 25; i >= 20; i-- {
		g.tsHead[i] = byte('0' + us%10)
		us /= 10
	}
	copy(g.tsHead[28:31], s)
	g.tsHead[31] = ' '
	if g.cont {
		g.tsHead[31] = '+'
	}
	g.buf = append(g.buf, g.tsHead[:]...)
}

// formatSecond writes "YYYY-MM-DDTHH:MM:SS.000000Z " into h[:28].
func formatSecond(h []byte, sec int64) {
	t := time.Unix(sec, 0).UTC()
	year, month, day := t.Date()
	hour, minute, second := t.Clock()
	put2 := func(i, v int) { h[i], h[i+1] = byte('0'+v/10), byte('0'+v%10) }
	put2(0, year/100%100)
	put2(2, year%100)
	h[4] = '-'
	put2(5, int(month))
	h[7] = '-'
	put2(8, day)
	h[10] = 'T'
	put2(11, hour)
	h[13] = ':'
	put2(14, minute)
	h[16] = ':'
	put2(17, second)
	h[19] = '.'
	h[26] = 'Z'
	h[27] = ' '
}

// end ends a record with LF: one physical line.
func (g *generator) end() {
	g.buf = append(g.buf, '\n')
	g.lines++
	g.cont = false
}

// endCR ends a write whose content ended in CR without LF. The timestamper
// flushes such a write as its own record with an LF appended and marks the
// next record as a continuation (gitlab-runner timestamper.go); without
// timestamps the bytes just run on.
func (g *generator) endCR() {
	if g.opts.Timestamps {
		g.buf = append(g.buf, '\n')
		g.lines++
		g.cont = true
	}
}

// line writes one whole record holding text.
func (g *generator) line(s, text string) {
	g.rec(s)
	g.buf = append(g.buf, text...)
	g.end()
}

// sleep moves the job clock on, as a slow command would.
func (g *generator) sleep(min, max time.Duration) {
	g.now += int64(g.r.between(int(min/time.Microsecond), int(max/time.Microsecond)))
}

// unix is the job clock in seconds, for section markers.
func (g *generator) unix() int64 { return g.now / 1e6 }
