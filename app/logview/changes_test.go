package logview

import (
	"errors"
	"testing"

	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/logdiff"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// comparedViewer is a viewer of log compared with old, as compareWith
// leaves it, without the UI's steps.
func comparedViewer(t *testing.T, old, log string) *viewer {
	t.Helper()
	v := viewerOf(log)
	c := &changes{against: "job #1", done: true}
	c.old.Append([]byte(old))
	c.old.Finish()
	c.cmp = logdiff.New(logdiff.StoreLines{S: &c.old}, logdiff.StoreLines{S: v.store}).Run()
	v.changes = c
	return v
}

func TestOnlyWhatChangedShowsTheChangesWithContextAndSections(t *testing.T) {
	old := "one\n" + "section_start:1700000000:build[collapsed=true]\r\x1b[0KBuild\n" +
		"a\nb\nc\nd\ne\nf\ng\nh\n" + "section_end:1700000002:build\r\x1b[0K\n" + "done in 1.5s\nJob succeeded\n"
	log := "one\n" + "section_start:1700000100:build[collapsed=true]\r\x1b[0KBuild\n" +
		"a\nb\nc\nd\ne\nf\ng\nh\nFAIL: boom\n" + "section_end:1700000102:build\r\x1b[0K\n" + "done in 2.7s\nJob failed\n"
	v := comparedViewer(t, old, log)
	require.Equal(t, []int{10, 12}, v.changes.cmp.Changed(), "FAIL and Job failed; the duration is noise")
	assert.Equal(t, "2 of 13 lines are new since job #1.", v.changes.counts(v.store.Committed()))
	assert.Equal(t, "new", v.rowClass(v.rowOf(t, 12), false))
	assert.Equal(t, "sel new", v.rowClass(v.rowOf(t, 12), true))

	v.changes.only = true
	v.fold = v.buildFold()
	var shown []int
	for r := range v.rows() {
		shown = append(shown, v.fold.Line(r))
	}
	assert.Equal(t, []int{1, 7, 8, 9, 10, 11, 12}, shown, "the header, 3 lines either side, the collapsed section open")

	v.expandTo(3) // a search hit or a permalink outside the changes
	assert.False(t, v.fold.Hidden(3), "shown with its context")
	assert.False(t, v.fold.Hidden(0))
}

func TestNothingNewAndSectionsSaidInWords(t *testing.T) {
	v := comparedViewer(t, "a\nb\n", "a\nb\n")
	assert.Equal(t, "No line is new since job #1.", v.changes.counts(v.store.Committed()))
	assert.Empty(t, v.changes.sectionsNote(v.store))
	v = comparedViewer(t, "a\n", "section_start:1:x\r\x1b[0KX\na\nsection_end:2:x\r\x1b[0K\n")
	assert.Equal(t, "The passing run has 0 sections and this one 1: lines are compared all the same, wherever their sections are.",
		v.changes.sectionsNote(v.store))
}

// rowOf is the visible row of line i.
func (v *viewer) rowOf(t *testing.T, i int) int {
	t.Helper()
	r, ok := v.fold.Row(i)
	require.True(t, ok, "line %d is shown", i)
	return r
}

func TestACompareProblemSaysWhatToDo(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{gitlab.ErrForbidden, "the token may not read this project's pipelines (403)."},
		{gitlab.ErrNetwork, "GitLab could not be reached. Reload the page to try again."},
		{&gitlab.Error{StatusCode: 500}, "GitLab answered 500. Reload the page to try again."},
		{errors.New("x"), "it failed. Reload the page to try again."},
	} {
		assert.Equal(t, tc.want, compareProblem(tc.err))
	}
}
