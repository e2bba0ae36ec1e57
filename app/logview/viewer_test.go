package logview

import (
	"testing"

	"github.com/jobscope/jobscope/internal/joblog"
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
