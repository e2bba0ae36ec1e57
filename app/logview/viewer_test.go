package logview

import (
	"testing"

	"github.com/jobscope/jobscope/internal/joblog"
	"github.com/jobscope/jobscope/internal/logrow"
	app "github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func viewerOf(log string) *viewer {
	var s joblog.Store
	s.Append([]byte(log))
	s.Finish()
	v := newViewer(&s)
	v.fold = s.Fold(v.toggled)
	return v
}

const sectioned = "before\n" +
	"section_start:1700000000:build[collapsed=true]\r\x1b[0KBuild\n" +
	"inside one\n" +
	"error: inside two\n" +
	"section_end:1700000002:build\r\x1b[0K\n" +
	"after\n"

func TestViewerRowsFollowTheFold(t *testing.T) {
	v := viewerOf(sectioned)
	require.Equal(t, 5, v.store.Len())
	assert.Equal(t, 3, v.rows(), "a collapsed=true section starts folded (joblog.md §4)")
	html, _ := v.appendRow(nil, 1)
	assert.Contains(t, string(html), `aria-expanded="false"`)
	assert.Contains(t, string(html), `<span class="dur">00:02</span>`)

	v.toggle(ui0, 0)
	assert.Equal(t, 5, v.rows(), "expanding shows the section's lines")
	html, _ = v.appendRow(nil, 1)
	assert.Contains(t, string(html), `aria-expanded="true"`)
}

func TestNextErrorOpensTheSectionItIsIn(t *testing.T) {
	// Small logs are scanned in one step, so no Dispatch is needed natively.
	v := viewerOf(sectioned)
	note := "unset"
	v.nextError(ui0, func(n string) { note = n })
	assert.Empty(t, note)
	assert.Equal(t, 3, v.selA, "line 4 holds error:")
	assert.False(t, v.fold.Hidden(3), "its collapsed section was opened")
	viewerOf("all good\n").nextError(ui0, func(n string) { note = n })
	assert.Equal(t, "No error found in the log.", note)
}

func TestSelectionAndCopy(t *testing.T) {
	v := viewerOf("one\ntwo\nthree\n")
	assert.Equal(t, "Copy line", v.copyLabel())
	assert.Empty(t, v.selectedText())
	v.selectLine(2, false)
	v.selectLine(0, true)
	assert.Equal(t, "Copy lines 1–3", v.copyLabel())
	assert.Equal(t, "one\ntwo\nthree\n", v.selectedText())
	_, sel := v.appendRow(nil, 1)
	assert.True(t, sel, "rows in the range are marked selected")
	v.selectLine(1, false)
	assert.Equal(t, "Copy line 2", v.copyLabel())
}

var ui0 = uiContext()

func uiContext() (c app.Context) { return c }

func TestCollapseAndExpandAllSections(t *testing.T) {
	v := viewerOf(sectioned)
	require.Equal(t, 3, v.rows(), "build starts collapsed")
	v.setAllSections(true)
	assert.Equal(t, 5, v.rows(), "] expands every section")
	v.setAllSections(false)
	assert.Equal(t, 3, v.rows(), "[ collapses every section")
	html, _ := v.appendRow(nil, 1)
	assert.Contains(t, string(html), `aria-expanded="false"`)
}

func TestPreviousErrorGoesBackAndWraps(t *testing.T) {
	v := viewerOf("error: one\nfine\nerror: two\nfine\n")
	v.prevError(ui0, func(string) {})
	assert.Equal(t, 2, v.selA, "from the top, the previous error wraps to the last")
	v.prevError(ui0, func(string) {})
	assert.Equal(t, 0, v.selA, "then the one before it")
	v.nextError(ui0, func(string) {})
	assert.Equal(t, 2, v.selA, "and next goes forward again")
}

func TestTimestampsCycle(t *testing.T) {
	v := viewerOf("one\n")
	var seen []logrow.TimeMode
	for range 5 {
		v.cycleTimes()
		seen = append(seen, v.times)
	}
	assert.Equal(t, []logrow.TimeMode{logrow.TimeUTC, logrow.TimeLocal, logrow.TimeRelative, logrow.TimeOff, logrow.TimeUTC}, seen)
}

func TestAPermalinkedRangeOpensItsSections(t *testing.T) {
	v := viewerOf(sectioned)
	v.selA, v.selB = 1, 3
	v.anchor, v.anchorEnd, v.hasAnchor, v.hashed = joblog.Addr{Line: 1}, 3, true, true
	v.changed(ui0)
	assert.False(t, v.hasAnchor, "the anchor was placed")
	for i := 1; i <= 3; i++ {
		assert.False(t, v.fold.Hidden(i), "line %d of the range shows", i+1)
	}
	assert.Equal(t, "Copy lines 2–4", v.copyLabel())
	assert.Equal(t, "Build\ninside one\nerror: inside two\n", v.selectedText())
}

func TestOpenAtEndYieldsToAPermalink(t *testing.T) {
	v := viewerOf("one\ntwo\n")
	v.openAtEnd()
	assert.True(t, v.atEnd, "a failed job's log keeps to its end")

	v = viewerOf("one\ntwo\n")
	v.hashed = true
	v.openAtEnd()
	assert.False(t, v.atEnd, "the line the address names wins")
}

// Two sections with headers, the second collapsed, and a line outside any.
const twoSections = "before\n" +
	"section_start:1700000000:deps\r\x1b[0KDeps\n" +
	"fetched\n" +
	"section_end:1700000001:deps\r\x1b[0K\n" +
	"section_start:1700000001:build[collapsed=true]\r\x1b[0KBuild\n" +
	"compiled\n" +
	"section_end:1700000002:build\r\x1b[0K\n" +
	"after\n"

// TestTheKeyboardReachesEverySection: s and S select the section headers
// shown in turn, wrapping, and o opens or closes the selected line's
// section, since the toggles are out of the tab order.
func TestTheKeyboardReachesEverySection(t *testing.T) {
	steps := []struct {
		name     string
		do       func(v *viewer, note func(string))
		selected int // line index, 0-based
		note     string
		rows     int
	}{
		{"s selects the first header", func(v *viewer, n func(string)) { v.stepSection(1, n) }, 1, "", 5},
		{"s again the next one", func(v *viewer, n func(string)) { v.stepSection(1, n) }, 3, "", 5},
		{"o opens the selected header's section", func(v *viewer, n func(string)) { v.toggleSelected(ui0, n) }, 3, "", 6},
		{"s wraps to the first", func(v *viewer, n func(string)) { v.stepSection(1, n) }, 1, "", 6},
		{"S wraps to the last", func(v *viewer, n func(string)) { v.stepSection(-1, n) }, 3, "", 6},
		{"o inside a section closes it and selects its header", func(v *viewer, n func(string)) {
			v.selectLine(4, false)
			v.toggleSelected(ui0, n)
		}, 3, "", 5},
		{"o outside any section says so", func(v *viewer, n func(string)) {
			v.selectLine(0, false)
			v.toggleSelected(ui0, n)
		}, 0, "The selected line is in no section.", 5},
	}
	v := viewerOf(twoSections)
	require.Equal(t, 5, v.rows(), "build starts collapsed")
	for _, st := range steps {
		note := "unset"
		st.do(v, func(n string) { note = n })
		assert.Equal(t, st.note, note, st.name)
		assert.Equal(t, st.selected, v.selA, st.name)
		assert.Equal(t, st.rows, v.rows(), st.name)
	}

	note := ""
	plain := viewerOf("no sections\n")
	plain.stepSection(1, func(n string) { note = n })
	assert.Equal(t, "The log has no sections.", note)
	plain.toggleSelected(ui0, func(n string) { note = n })
	assert.Equal(t, "Select a line first: s goes to the next section.", note)
}

func TestCopyLineCopiesWhatTheScreenShows(t *testing.T) {
	cases := []struct {
		name string
		log  string
		want string
	}{
		{"plain text is copied as it is", "make all\n", "make all\n"},
		{"concealed (SGR 8) text is left out", "user \x1b[8mhunter2\x1b[28m logged in\n", "user  logged in\n"},
		{"concealed until a reset is left out too", "a\x1b[8msecret\x1b[0mb\n", "ab\n"},
		{"direction controls are copied as their names", "invoice\u202Egnp.exe\u202C\n", "invoice[U+202E]gnp.exe[U+202C]\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := viewerOf(tc.log)
			v.selA, v.selB = 0, 0
			assert.Equal(t, tc.want, v.selectedText())
		})
	}
}
