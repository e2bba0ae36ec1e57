package gitlabfake

import (
	"bytes"
	"fmt"
	"sync"
	"time"
)

// logSource is a job's raw trace (§5.7). content returns what GitLab would
// serve at time now; callers must not modify the returned slice.
type logSource interface {
	content(now time.Time) []byte
}

// staticLog is a finished log.
type staticLog []byte

func (l staticLog) content(time.Time) []byte { return l }

// lazyLog is generated on first use and then kept, once: the 500,000-line
// log costs nothing at start-up and exists once in memory.
type lazyLog struct {
	once sync.Once
	gen  func() []byte
	data []byte
	size int // planned size, reported before generation
}

func (l *lazyLog) content(time.Time) []byte {
	l.once.Do(func() { l.data = l.gen(); l.gen = nil })
	return l.data
}

// growingLog reveals a planned log one line per interval from start, the
// way a runner appends to a running job's trace. It is a pure function of
// the clock, so a ManualClock makes growth deterministic.
type growingLog struct {
	full  []byte
	ends  []int // offset just past each line's '\n'
	start time.Time
	every time.Duration
}

func newGrowingLog(full []byte, start time.Time, every time.Duration) *growingLog {
	g := &growingLog{full: full, start: start, every: every}
	for i, b := range full {
		if b == '\n' {
			g.ends = append(g.ends, i+1)
		}
	}
	if len(full) > 0 && full[len(full)-1] != '\n' {
		g.ends = append(g.ends, len(full))
	}
	return g
}

// lines returns how many lines are visible at now.
func (g *growingLog) lines(now time.Time) int {
	if now.Before(g.start) {
		return 0
	}
	n := int(now.Sub(g.start)/g.every) + 1
	return min(n, len(g.ends))
}

func (g *growingLog) content(now time.Time) []byte {
	n := g.lines(now)
	if n == 0 {
		return nil
	}
	return g.full[:g.ends[n-1]]
}

// done is when the last line appears.
func (g *growingLog) done() time.Time {
	return g.start.Add(time.Duration(max(len(g.ends)-1, 0)) * g.every)
}

// withTail returns a finished copy of what is visible at now plus tail.
func withTail(l logSource, now time.Time, tail string) staticLog {
	var b bytes.Buffer
	if l != nil {
		b.Write(l.content(now))
	}
	b.WriteString(tail)
	return staticLog(b.Bytes())
}

// GrowLog makes a running job's log full, revealed a line at a time, evenly
// over the next d of the emulator's clock; the job finishes with its last
// line. Benchmarks follow a log growing at a rate of their choosing with it
// (a seeded running job grows a line per 250 ms).
func (s *Server) GrowLog(jobID int64, full []byte, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.jobs[jobID]
	if !ok || j.Status != statusRunning {
		return fmt.Errorf("gitlabfake: job %d is not a running job", jobID)
	}
	lines := max(bytes.Count(full, []byte("\n")), 1)
	j.log = newGrowingLog(full, s.now(), d/time.Duration(lines))
	return nil
}
