package joblog

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFoldOnlyShowsTheLinesAndTheirSectionHeaders(t *testing.T) {
	s := new(Store)
	s.Append([]byte("a\n" +
		"section_start:1:build[collapsed=true]\r\x1b[0KBuild\n" + // 1, header
		"b\nc\nd\n" + // 2, 3, 4
		"section_end:2:build\r\x1b[0K" +
		"e\nf\n")) // 5, 6
	s.Finish()
	require.Equal(t, 1, s.Section(0).Header)
	f := s.FoldOnly([][2]int{{3, 3}, {6, 6}})
	var shown []int
	for r := range f.Rows() {
		shown = append(shown, f.Line(r))
	}
	assert.Equal(t, []int{1, 3, 6}, shown, "the header of a shown line's section shows, collapsed or not")
	row, visible := f.Row(0)
	assert.Equal(t, 0, row, "a hidden first line sits under the first row")
	assert.False(t, visible)
	row, visible = f.Row(6)
	assert.Equal(t, 2, row)
	assert.True(t, visible)
	assert.Equal(t, s.Len(), s.FoldOnly([][2]int{{0, s.Len() - 1}}).Rows())
	assert.Equal(t, 0, s.FoldOnly(nil).Rows())
}
