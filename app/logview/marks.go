package logview

import (
	"github.com/jobscope/jobscope/internal/joblog"
	"github.com/jobscope/jobscope/internal/testmatch"
	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Marks are the log lines the job screen's failed tests point at: each
// marked line carries a button that shows its test, and the screen can
// bring a line into view. The screen makes one and passes the same pointer
// to Job on every render (a stable prop). All on the UI goroutine.
type Marks struct {
	// Loaded is called once the whole log of a finished job is in, and
	// again if it restarts: the time to Match.
	Loaded func(ctx ui.Context)
	// Clicked is called with the test index of a mark the user clicked.
	Clicked func(ctx ui.Context, test int)

	lines  map[int]int // line → test index
	v      *viewer
	called bool   // Loaded was called…
	gen    uint64 // …for this store generation
}

// storeLog reads a store's lines for the matcher.
type storeLog struct{ s *joblog.Store }

func (l storeLog) Len() int              { return l.s.Len() }
func (l storeLog) LineText(i int) []byte { return l.s.Line(i).Text }

// Ready reports whether the whole log is in: Match can run.
func (m *Marks) Ready() bool { return m.v != nil && m.called }

// Match finds the line of each named test in the log (testmatch.None when
// it is not there).
func (m *Marks) Match(names []string) []int {
	if m.v == nil {
		return nil
	}
	return testmatch.Lines(storeLog{m.v.store}, names)
}

// Set marks lines (line → test index) and redraws.
func (m *Marks) Set(lines map[int]int) {
	m.lines = lines
	if m.v != nil {
		m.v.port.redraw(true)
	}
}

// Show scrolls line i into view and selects it, as a permalink would.
func (m *Marks) Show(i int) {
	if m.v == nil || i < 0 || i >= m.v.store.Len() {
		return
	}
	m.v.selA, m.v.selB = i, i
	setHash(lineHash(i, i))
	m.v.showLine(i)
}

// mark is row r's Mark for logrow: 1 + its test index, 0 for none.
func (m *Marks) mark(line int) int {
	if m == nil {
		return 0
	}
	if t, ok := m.lines[line]; ok {
		return t + 1
	}
	return 0
}

// loaded tells the screen the whole log is in, once per store generation.
func (m *Marks) loaded(ctx ui.Context, v *viewer) {
	if m == nil {
		return
	}
	m.v = v
	if m.called && m.gen == v.store.Gen() {
		return
	}
	m.called, m.gen = true, v.store.Gen()
	if m.Loaded != nil {
		m.Loaded(ctx)
	}
}

func (m *Marks) clicked(ctx ui.Context, test int) {
	if m != nil && m.Clicked != nil {
		m.Clicked(ctx, test)
	}
}
