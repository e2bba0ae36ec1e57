package joblog

import (
	"fmt"
	"regexp/syntax"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func allHits(t *testing.T, s *Store, q Query) []Hit {
	t.Helper()
	sr, err := s.Search(q)
	require.NoError(t, err)
	for !sr.Step(1 << 20) {
	}
	var out []Hit
	for i := 0; i < sr.Len(); i++ {
		out = append(out, sr.Hit(i))
	}
	return out
}

func TestSearch(t *testing.T) {
	s := parseAll("Error: one\n" + start(1, "s", "[collapsed=true]") + "hidden ERROR here\n" + end(2, "s") +
		"\x1b[31merr\x1b[0mor split by colour\nStraße STRASSE\n")
	cases := []struct {
		name string
		q    Query
		want []Hit
	}{
		{"a substring matches ignoring case, collapsed sections included", Query{Text: "error"},
			[]Hit{{0, 0, 5}, {1, 7, 12}, {2, 0, 5}}},
		{"a case-sensitive substring", Query{Text: "ERROR", CaseSensitive: true}, []Hit{{1, 7, 12}}},
		{"a regexp", Query{Text: `o\w+`, Regexp: true}, []Hit{{0, 3, 5}, {0, 7, 10}, {1, 10, 12}, {2, 3, 5}, {2, 16, 21}}},
		{"a non-ASCII substring folds case", Query{Text: "STRAßE"}, []Hit{{3, 0, 7}}},
		{"empty regexp matches are not hits", Query{Text: `x*`, Regexp: true}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, allHits(t, s, tc.q))
		})
	}
}

func TestSearchErrors(t *testing.T) {
	var s Store
	_, err := s.Search(Query{})
	assert.ErrorIs(t, err, ErrEmptyQuery)
	_, err = s.Search(Query{Text: "(", Regexp: true})
	var qe *QueryError
	require.ErrorAs(t, err, &qe)
	assert.Equal(t, "(", qe.Query)
	var se *syntax.Error
	assert.ErrorAs(t, err, &se, "the regexp's own error is wrapped")
}

func TestSearchIsIncremental(t *testing.T) {
	var b strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&b, "line %d needle\n", i)
	}
	s := parseAll(b.String())
	sr, err := s.Search(Query{Text: "needle"})
	require.NoError(t, err)
	steps := 0
	for !sr.Step(1000) {
		steps++
		assert.Less(t, sr.Count(), 1000, "hits arrive a budget at a time")
	}
	assert.Greater(t, steps, 10)
	assert.Equal(t, 1000, sr.Count())

	i, ok := sr.Next(500, 0)
	require.True(t, ok)
	assert.Equal(t, Hit{500, 9, 15}, sr.Hit(i))
	i, ok = sr.Next(500, 10)
	require.True(t, ok)
	assert.Equal(t, 501, sr.Hit(i).Line, "next from inside a hit goes to the following one")
	i, ok = sr.Prev(500, 9)
	require.True(t, ok)
	assert.Equal(t, 499, sr.Hit(i).Line)
	_, ok = sr.Prev(0, 0)
	assert.False(t, ok)
	_, ok = sr.Next(999, 10)
	assert.False(t, ok)
}

func TestSearchFollowsTheLog(t *testing.T) {
	var s Store
	s.Append([]byte("a needle\nb nee"))
	sr, err := s.Search(Query{Text: "needle"})
	require.NoError(t, err)
	require.True(t, sr.Step(100))
	assert.Equal(t, 1, sr.Count())
	s.Append([]byte("dle\n"))
	require.True(t, sr.Step(100))
	assert.Equal(t, 2, sr.Count(), "the live line is searched again")
	s.Append([]byte("c needle"))
	require.True(t, sr.Step(100))
	assert.Equal(t, 3, sr.Count())
	s.Append([]byte("\r"))
	require.True(t, sr.Step(100))
	assert.Equal(t, 2, sr.Count(), "a cleared live line loses its hits")
	s.Update([]byte("fresh needle\n"))
	require.True(t, sr.Step(100))
	assert.Equal(t, []Hit{{0, 6, 12}}, []Hit{sr.Hit(0)}, "a restarted store restarts the search")
	assert.Equal(t, 1, sr.Count())
}

func TestFailures(t *testing.T) {
	s := parseAll("ok\n\x1b[31;1mERROR: Job failed: exit code 1\x1b[0;m\n" +
		"\x1b[31m   \x1b[0m only red spaces\nmain.go:3: error: bad\n--- FAIL: TestX\nall good, 0 errors\n\x1b[91mred text\n")
	sr := s.Failures()
	for !sr.Step(1 << 20) {
	}
	var got []int
	for i := 0; i < sr.Len(); i++ {
		got = append(got, sr.Hit(i).Line)
	}
	assert.Equal(t, []int{1, 3, 4, 6}, got)
}
