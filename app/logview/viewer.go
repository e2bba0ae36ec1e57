package logview

import (
	"bytes"
	"strconv"
	"time"

	"github.com/jobscope/jobscope/internal/joblog"
	"github.com/jobscope/jobscope/internal/logrow"
	"github.com/jobscope/jobscope/internal/words"
	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// searchBudget is the text bytes one search step scans before yielding to
// the UI (about a millisecond or two in the wasm).
const searchBudget = 2 << 20

// viewer is the log view over one store: toolbar state, search, folding,
// selection, and the viewport that draws rows. Job and File embed it and
// forward their lifecycle. Everything runs on go-app's UI goroutine, except
// the viewport's scroll handler, which only reads (wasm runs one thread and
// the handler never yields, so it cannot see a half-done update).
type viewer struct {
	store *joblog.Store
	raw   func() []byte // the raw log, for "download"
	name  string        // download file name
	start time.Time     // job start, for relative timestamps
	live  bool          // the log grows: stay at the end when the user is there
	// ingesting counts ingest calls: a chunked ingest stops when a newer
	// one (more of the same log, as a download streams) takes over.
	ingesting uint64

	gen     uint64
	fold    *joblog.Fold
	toggled map[int]bool
	builder logrow.Builder
	stamp   []byte
	hitBuf  []logrow.Hit

	wrap  bool
	times logrow.TimeMode
	// partial: the lines shown are a log's end alone (a failed job's, while
	// the whole loads); their numbers are not the log's, so none shows.
	partial bool

	query, queryErr string
	regex           bool
	search          *joblog.Searcher
	hit             int // current hit index, -1 none
	searching       bool

	failures *joblog.Searcher

	changes *changes // what changed since the last passing run (changes.go); nil: not compared

	selA, selB int // selected lines (selA == -1: none)
	anchor     joblog.Addr
	anchorEnd  int  // last line of the permalinked range
	hasAnchor  bool // a permalink waits for its lines
	hashed     bool // the page was opened on a permalink
	// atEnd keeps the view at the last line as the log comes in (a failed
	// job opens there, openAtEnd) until the user scrolls away.
	atEnd bool

	canFull bool // full screen is allowed here

	note string // the last tool's message

	marks *Marks // the failed tests' lines, nil for none

	port *viewport
}

func newViewer(s *joblog.Store) *viewer {
	v := &viewer{store: s, toggled: map[int]bool{}, hit: -1, selA: -1, selB: -1}
	v.port = newViewport(v)
	return v
}

// mount attaches the viewport once the shell is in the DOM.
func (v *viewer) mount(ctx ui.Context) {
	ctx.Defer(func(ctx ui.Context) {
		v.port.attach(ctx)
		v.canFull = canFullScreen()
		if a, b, ok := hashLines(); ok {
			v.anchor, v.anchorEnd, v.hasAnchor, v.hashed = joblog.Addr{Line: a}, b, true, true
			v.selA, v.selB = a, b
		}
		v.changed(ctx)
	})
}

func (v *viewer) dismount() { v.port.release() }

// changed is called after the store grew or restarted: rebuild the fold,
// keep the search going, redraw (and follow the end if the user is there).
func (v *viewer) changed(ctx ui.Context) {
	if v.store.Gen() != v.gen {
		v.gen = v.store.Gen()
		clear(v.toggled)
		v.failures = nil
		if v.hasAnchor && v.anchor.Offset != 0 {
			if l, _ := v.store.Resolve(v.anchor); l >= 0 {
				v.selA, v.selB = l, l+v.anchorEnd-v.anchor.Line
			}
		}
	}
	v.fold = v.buildFold()
	if v.search != nil && !v.searching {
		v.runSearch(ctx)
	}
	if v.hasAnchor && v.anchor.Line < v.store.Len() {
		// Jump to the permalinked line once it exists.
		if v.anchor.Offset == 0 {
			v.anchor = v.store.Line(v.anchor.Line).Addr()
		}
		v.expandRange(v.anchor.Line, min(v.anchorEnd, v.store.Len()-1))
		v.port.redraw(true)
		v.showLine(v.anchor.Line)
		v.hasAnchor = false
		return
	}
	v.port.grown(v.live || v.atEnd)
}

// openAtEnd puts the view at the log's last line and keeps it there while
// the log comes in, unless the page was opened on a permalink (a failed
// job's log opens at its end, where GitLab prints why it failed).
func (v *viewer) openAtEnd() {
	if v.hashed || v.atEnd {
		return
	}
	v.atEnd = true
	v.port.scrollToEnd()
}

// expandRange opens the collapsed sections around lines a..b.
func (v *viewer) expandRange(a, b int) {
	for i := max(a, 0); i <= b && v.fold != nil; i++ {
		v.expandTo(i)
	}
}

// setAllSections expands (expanded) or collapses every section.
func (v *viewer) setAllSections(expanded bool) {
	clear(v.toggled)
	for s := range v.store.NumSections() {
		// A section shows expanded when its toggle equals its default
		// collapsed state (appendRow).
		if v.store.Section(s).Collapsed != !expanded {
			v.toggled[s] = true
		}
	}
	v.fold = v.buildFold()
	v.port.redraw(true)
}

// cycleTimes shows timestamps off, in UTC, local, since start, in turn.
func (v *viewer) cycleTimes() {
	v.times = (v.times + 1) % (logrow.TimeRelative + 1)
	v.port.redraw(true)
}

// rows is the number of visible rows.
func (v *viewer) rows() int {
	if v.fold == nil {
		return 0
	}
	return v.fold.Rows()
}

// appendRow appends the HTML of visible row r (the viewport's callback).
func (v *viewer) appendRow(dst []byte, r int) ([]byte, bool) {
	i := v.fold.Line(r)
	l := v.store.Line(i)
	row := logrow.Row{Line: l, Expanded: true, Mark: v.marks.mark(i)}
	if l.Header && l.Section >= 0 {
		sec := v.store.Section(l.Section)
		// The filter shows the lines it keeps whatever their sections' state.
		row.Expanded = sec.Collapsed == v.toggled[l.Section] || v.changes.filtering()
		if sec.Closed && !sec.HideDuration {
			row.Duration = joblog.FormatDuration(sec.Duration)
		}
	}
	if v.times != logrow.TimeOff {
		v.stamp = logrow.AppendStamp(v.stamp[:0], l, v.times, time.Local, v.origin())
		row.Stamp = v.stamp
	}
	if v.search != nil {
		v.hitBuf = v.hitBuf[:0]
		if k, ok := v.search.Next(i, 0); ok {
			for ; k < v.search.Len(); k++ {
				h := v.search.Hit(k)
				if h.Line != i {
					break
				}
				v.hitBuf = append(v.hitBuf, logrow.Hit{Start: h.Start, End: h.End, Current: k == v.hit})
			}
		}
		row.Hits = v.hitBuf
	}
	sel := v.selA >= 0 && i >= min(v.selA, v.selB) && i <= max(v.selA, v.selB)
	return v.builder.Append(dst, row), sel
}

// origin is time zero of relative timestamps: the job's start, else the
// log's first timestamp.
func (v *viewer) origin() time.Time {
	if !v.start.IsZero() {
		return v.start
	}
	for i := range min(v.store.Len(), 1000) {
		if us, ok := v.store.Line(i).Timestamp(); ok {
			return time.UnixMicro(us)
		}
	}
	return time.Time{}
}

// toggle flips a section's collapsed state.
func (v *viewer) toggle(ctx ui.Context, section int) {
	if section < 0 || section >= v.store.NumSections() {
		return
	}
	v.toggled[section] = !v.toggled[section]
	if !v.toggled[section] {
		delete(v.toggled, section)
	}
	v.fold = v.buildFold()
	v.port.redraw(true)
}

// stepSection selects the next (dir 1) or previous (dir -1) section header
// shown, after or before the selection (or the top line), wrapping. With o
// (toggleSelected) it is how the keyboard opens and closes one section: the
// toggles themselves are out of the tab order (logrow).
func (v *viewer) stepSection(dir int, done func(note string)) {
	from := v.port.topLine() // a header on the top line is the next one
	if dir > 0 {
		from--
	}
	if v.selA >= 0 {
		from = min(v.selA, v.selB)
		if dir > 0 {
			from = max(v.selA, v.selB)
		}
	}
	next, first, prev, last := -1, -1, -1, -1
	for s := range v.store.NumSections() {
		h := v.store.Section(s).Header
		if h < 0 || v.fold.Hidden(h) {
			continue
		}
		if first < 0 || h < first {
			first = h
		}
		last = max(last, h)
		if h > from && (next < 0 || h < next) {
			next = h
		}
		if h < from && h > prev {
			prev = h
		}
	}
	i := next
	switch {
	case first < 0:
		done("The log has no sections.")
		return
	case dir > 0 && next < 0:
		i = first
	case dir < 0:
		i = prev
		if prev < 0 {
			i = last
		}
	}
	v.selA, v.selB = i, i
	setHash(lineHash(i, i))
	v.showLine(i)
	done("")
}

// toggleSelected opens or closes the section whose header is selected, or
// else the innermost section with a header around the selection, whose
// header it then selects (closing hides the line).
func (v *viewer) toggleSelected(ctx ui.Context, done func(note string)) {
	if v.selA < 0 {
		done("Select a line first: s goes to the next section.")
		return
	}
	i := min(v.selA, v.selB)
	s := v.store.Line(i).Section
	if !v.store.Line(i).Header {
		for s >= 0 && v.store.Section(s).Header < 0 {
			s = v.store.Section(s).Parent
		}
	}
	if s < 0 {
		done("The selected line is in no section.")
		return
	}
	h := v.store.Section(s).Header
	v.selA, v.selB = h, h
	setHash(lineHash(h, h))
	v.toggle(ctx, s)
	v.showLine(h)
	done("")
}

// expandTo opens the collapsed sections around line i.
func (v *viewer) expandTo(i int) {
	if v.fold == nil || !v.fold.Hidden(i) {
		return
	}
	if v.changes.filtering() {
		v.reveal(i)
		return
	}
	for s := v.store.Line(i).Section; s >= 0; {
		sec := v.store.Section(s)
		if sec.Header != i && sec.Collapsed != v.toggled[s] {
			v.toggled[s] = !v.toggled[s]
		}
		s = sec.Parent
	}
	v.fold = v.buildFold()
}

// showLine scrolls line i into the middle of the viewport.
func (v *viewer) showLine(i int) {
	v.expandTo(i)
	r, _ := v.fold.Row(i)
	v.port.redraw(true)
	v.port.scrollToRow(r)
}

// selectLine selects line i, or extends the selection to it.
func (v *viewer) selectLine(i int, extend bool) {
	if extend && v.selA >= 0 {
		v.selB = i
	} else {
		v.selA, v.selB = i, i
	}
	setHash(lineHash(v.selA, v.selB))
	v.port.redraw(true)
}

// selectedText is the text of the selected lines as shown, or "".
func (v *viewer) selectedText() string {
	if v.selA < 0 {
		return ""
	}
	var b bytes.Buffer
	for i := min(v.selA, v.selB); i <= max(v.selA, v.selB) && i < v.store.Len(); i++ {
		// What the screen shows: no concealed text, controls by name.
		b.WriteString(words.ShowControls(string(v.store.Line(i).AppendVisible(nil))))
		b.WriteByte('\n')
	}
	return b.String()
}

// setQuery starts a new search (empty clears it).
func (v *viewer) setQuery(ctx ui.Context, q string, regex bool) {
	v.query, v.regex, v.queryErr = q, regex, ""
	v.search, v.hit = nil, -1
	if q != "" {
		s, err := v.store.Search(joblog.Query{Text: q, Regexp: regex})
		if err != nil {
			v.queryErr = "Not a valid regular expression."
		} else {
			v.search = s
			v.runSearch(ctx)
		}
	}
	v.port.redraw(true)
}

// runSearch steps the search, yielding to the UI between steps.
func (v *viewer) runSearch(ctx ui.Context) {
	s := v.search
	v.searching = true
	var step func(ctx ui.Context)
	step = func(ctx ui.Context) {
		if v.search != s {
			return
		}
		done := s.Step(searchBudget)
		if v.hit < 0 && s.Len() > 0 {
			v.hit = v.firstHitFromTop()
			v.showHit()
		}
		if done {
			v.searching = false
			v.port.redraw(true)
			return
		}
		ctx.Dispatch(step)
	}
	ctx.Dispatch(step)
}

func (v *viewer) firstHitFromTop() int {
	top := v.port.topLine()
	if k, ok := v.search.Next(top, 0); ok {
		return k
	}
	return 0
}

func (v *viewer) showHit() {
	if v.search == nil || v.hit < 0 || v.hit >= v.search.Len() {
		return
	}
	v.showLine(v.search.Hit(v.hit).Line)
}

// nextHit moves to the next (dir 1) or previous (dir -1) hit, wrapping.
func (v *viewer) nextHit(dir int) {
	if v.search == nil || v.search.Len() == 0 {
		return
	}
	n := v.search.Len()
	v.hit = ((v.hit+dir)%n + n) % n
	v.showHit()
}

// nextError jumps to the next line that looks like a failure after the
// selection (or the top line), wrapping to the first. The failure scan runs
// in budgeted steps on the UI goroutine, like search; done receives the
// message to show ("" when it jumped).
func (v *viewer) nextError(ctx ui.Context, done func(note string)) { v.stepError(ctx, 1, done) }

// prevError is nextError backwards: the failure line before the selection
// (or the top line), wrapping to the last.
func (v *viewer) prevError(ctx ui.Context, done func(note string)) { v.stepError(ctx, -1, done) }

func (v *viewer) stepError(ctx ui.Context, dir int, done func(note string)) {
	if v.failures == nil {
		v.failures = v.store.Failures()
	}
	f := v.failures
	if !f.Step(searchBudget) {
		ctx.Dispatch(func(ctx ui.Context) {
			if v.failures == f {
				v.stepError(ctx, dir, done)
			}
		})
		return
	}
	if f.Len() == 0 {
		done("No error found in the log.")
		return
	}
	var k int
	if dir > 0 {
		from := v.port.topLine()
		if v.selA >= 0 {
			from = max(v.selA, v.selB) + 1
		}
		var ok bool
		if k, ok = f.Next(from, 0); !ok {
			k = 0
		}
	} else {
		from := v.port.topLine()
		if v.selA >= 0 {
			from = min(v.selA, v.selB)
		}
		var ok bool
		if k, ok = f.Prev(from, 0); !ok {
			k = f.Len() - 1
		}
	}
	i := f.Hit(k).Line
	v.selA, v.selB = i, i
	setHash(lineHash(i, i))
	v.showLine(i)
	done("")
}

// hitLabel is "3 of 120" (with "+" while the search runs).
func (v *viewer) hitLabel() string {
	switch {
	case v.queryErr != "":
		return v.queryErr
	case v.search == nil:
		return ""
	case v.search.Count() == 0 && !v.searching:
		return "No results"
	}
	more := ""
	if v.searching {
		more = "+"
	}
	cur := "–"
	if v.hit >= 0 {
		cur = strconv.Itoa(v.hit + 1)
	}
	return cur + " of " + words.Digits(v.search.Count()) + more
}
