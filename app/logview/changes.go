package logview

import (
	"slices"
	"strconv"

	"github.com/jobscope/jobscope/internal/joblog"
	"github.com/jobscope/jobscope/internal/logdiff"
	"github.com/jobscope/jobscope/internal/words"
	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// What changed since it last passed (issue 14): the view's log compared
// with a passing run's (internal/logdiff), its new lines marked, and "only
// what changed", a filter of the same view: the new lines with
// changeContext lines either side and their sections' headers.

// compareBudget is the text bytes one comparison step reads before the
// page gets the browser back (as searchBudget for search).
const compareBudget = 2 << 20

// changeContext is the lines shown either side of a new line in the filter.
const changeContext = 3

// changes is the comparison of a view's log with a passing run's log.
type changes struct {
	// against names the run compared with ("job #123"); link goes to it
	// ("" for none).
	against, link string
	// said is the comparison's state in words while there are no counts:
	// looking, comparing, or why there is nothing to compare with.
	said     string
	progress float64 // 0..1 while comparing
	old      joblog.Store
	cmp      *logdiff.Comparer
	done     bool
	only     bool  // the filter is on
	extra    []int // lines shown in the filter besides the changes: search hits, permalinks, the selection
	gen      uint64
}

// lookingFor says the comparison is on its way.
func lookingFor(what string) *changes { return &changes{said: what} }

// nothing says why there is nothing to compare with.
func (v *viewer) nothingToCompare(why, against, link string) {
	v.changes = &changes{said: why, against: against, link: link}
	v.port.redraw(false)
}

// compareWith parses old (a passing run's log) and compares the view's log
// with it in budgeted steps, showing progress; then marks the new lines.
// The view's log must be whole (a finished job's, a file read to its end).
func (v *viewer) compareWith(ctx ui.Context, against, link string, old []byte) {
	c := &changes{against: against, link: link, said: "Comparing with " + against + "…"}
	if v.changes != nil {
		c.gen = v.changes.gen + 1
	}
	v.changes = c
	gen := c.gen
	off := 0
	var step func(ctx ui.Context)
	step = func(ctx ui.Context) {
		if v.changes != c || c.gen != gen {
			return // another comparison took over
		}
		if off < len(old) {
			end := min(off+chunkBytes, len(old))
			c.old.Append(old[off:end])
			off = end
			if off == len(old) {
				c.old.Finish()
				c.cmp = logdiff.New(logdiff.StoreLines{S: &c.old}, logdiff.StoreLines{S: v.store})
			}
			c.progress = 0.3 * float64(off) / float64(max(len(old), 1))
		} else {
			if c.cmp == nil { // an empty log
				c.old.Finish()
				c.cmp = logdiff.New(logdiff.StoreLines{S: &c.old}, logdiff.StoreLines{S: v.store})
			}
			c.done = c.cmp.Step(compareBudget)
			c.progress = 0.3 + 0.7*c.cmp.Progress()
		}
		if c.done {
			c.said = ""
			v.fold = v.buildFold()
			v.port.redraw(true)
			ctx.Update()
			return
		}
		ctx.Update()
		nextTask(ctx, step)
	}
	nextTask(ctx, step)
}

// counts says how much is new: "1,204 of 310,558 lines are new".
func (c *changes) counts(lines int) string {
	n := len(c.cmp.Changed())
	switch {
	case n == 0:
		return "No line is new since " + c.against + "."
	case n == 1:
		return "1 of " + words.Digits(lines) + " lines is new since " + c.against + "."
	}
	return words.Digits(n) + " of " + words.Digits(lines) + " lines are new since " + c.against + "."
}

// sectionsNote says so when the two logs have different numbers of
// sections: their lines are compared all the same.
func (c *changes) sectionsNote(s *joblog.Store) string {
	a, b := c.old.NumSections(), s.NumSections()
	if a == b {
		return ""
	}
	return "The passing run has " + strconv.Itoa(a) + " sections and this one " + strconv.Itoa(b) +
		": lines are compared all the same, wherever their sections are."
}

// isNew reports whether line i is marked new.
func (c *changes) isNew(i int) bool { return c != nil && c.done && c.cmp.IsNew(i) }

// filtering reports whether "only what changed" is on.
func (c *changes) filtering() bool { return c != nil && c.done && c.only }

// buildFold is the view's visibility index: the sections as the user left
// them, or in the filter the changes with their context.
func (v *viewer) buildFold() *joblog.Fold {
	if !v.changes.filtering() {
		return v.store.Fold(v.toggled)
	}
	c := v.changes
	shown := append([]int(nil), c.cmp.Changed()...)
	shown = append(shown, c.extra...)
	slices.Sort(shown)
	return v.store.FoldOnly(logdiff.Context(shown, changeContext, v.store.Len()))
}

// reveal shows line i in the filter with its context (a search hit, a
// permalink, a section header the keys went to).
func (v *viewer) reveal(i int) {
	v.changes.extra = append(v.changes.extra, i)
	v.fold = v.buildFold()
}

// setOnlyChanges turns the filter on or off, keeping the line at the top
// (or the selection) in view.
func (v *viewer) setOnlyChanges(on bool) {
	c := v.changes
	if c == nil || !c.done {
		return
	}
	keep := v.port.topLine()
	if v.selA >= 0 {
		keep = min(v.selA, v.selB)
	}
	c.only, c.extra = on, nil
	if on && v.selA >= 0 {
		c.extra = append(c.extra, min(v.selA, v.selB), max(v.selA, v.selB))
	}
	v.fold = v.buildFold()
	if on && v.selA < 0 {
		if next, ok := c.cmp.NextChange(keep - 1); ok {
			keep = next
		}
	}
	v.showLine(keep)
}

// stepChange selects the next (dir 1) or previous (dir -1) new line after
// or before the selection (or the top line), wrapping.
func (v *viewer) stepChange(dir int, done func(note string)) {
	c := v.changes
	if c == nil || !c.done {
		done("No comparison with a passing run yet.")
		return
	}
	changed := c.cmp.Changed()
	if len(changed) == 0 {
		done("No line is new.")
		return
	}
	from := v.port.topLine()
	if dir > 0 {
		from--
	}
	if v.selA >= 0 {
		from = min(v.selA, v.selB)
		if dir > 0 {
			from = max(v.selA, v.selB)
		}
	}
	i, ok := c.cmp.NextChange(from)
	if dir < 0 {
		i, ok = c.cmp.PrevChange(from)
	}
	if !ok {
		i = changed[0]
		if dir < 0 {
			i = changed[len(changed)-1]
		}
	}
	v.selA, v.selB = i, i
	setHash(lineHash(i, i))
	v.showLine(i)
	done("")
}

// rowClass is a row element's class: selected, new, both or neither.
func (v *viewer) rowClass(r int, sel bool) string {
	i := v.fold.Line(r)
	switch isNew := v.changes.isNew(i); {
	case sel && isNew:
		return "sel new"
	case sel:
		return "sel"
	case isNew:
		return "new"
	}
	return ""
}

// renderChanges is the comparison's line under the status: what it was
// compared with, its counts or its state, and the filter's controls.
func (v *viewer) renderChanges() ui.UI {
	c := v.changes
	if c == nil {
		return nil
	}
	var against ui.UI = ui.Text("")
	if c.link != "" {
		against = ui.A().ID("log-compared").Href(c.link).Text(c.against)
	}
	if !c.done {
		var bar ui.UI = ui.Text("")
		if c.cmp != nil || c.progress > 0 {
			bar = ui.Progress().ID("log-compare-progress").Class("log-progress").
				Attr("max", 100).Attr("value", int(100*c.progress)).Aria("label", "comparison")
		}
		return ui.Div().ID("log-changes").Class("log-changes").Body(
			// One line, whole in its title: on a phone the log keeps its rows.
			ui.P().Class("log-status log-said").Attr("role", "status").Title(c.said).Body(
				ui.Span().ID("log-changes-said").Text(c.said), ui.Text(" "), against),
			bar,
		)
	}
	note := c.sectionsNote(v.store)
	return ui.Div().ID("log-changes").Class("log-changes").Body(
		ui.P().Class("log-status").Body(
			ui.Span().ID("log-changes-count").Attr("role", "status").Text(c.counts(v.store.Committed())),
			ui.Text(" "), against, ui.Text(" "),
			ui.Button().ID("log-only-changes").Type("button").Class("small").Aria("pressed", strconv.FormatBool(c.only)).
				Title("Only the new lines, with "+strconv.Itoa(changeContext)+" lines of context (c)").
				Text("Only what changed").OnClick(func(ctx ui.Context, e ui.Event) { v.do(ctx, cmdOnlyChanges) }),
			ui.Button().ID("log-prev-change").Type("button").Class("icon").Aria("label", "Previous change").Title("Previous change (X)").Text("↑").
				OnClick(func(ctx ui.Context, e ui.Event) { v.do(ctx, cmdPrevChange) }),
			ui.Button().ID("log-next-change").Type("button").Class("icon").Aria("label", "Next change").Title("Next change (x)").Text("↓").
				OnClick(func(ctx ui.Context, e ui.Event) { v.do(ctx, cmdNextChange) }),
		),
		ui.If(note != "", func() ui.UI { return ui.P().ID("log-changes-sections").Class("log-status").Text(note) }),
	)
}
