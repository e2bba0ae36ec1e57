package joblog

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// parseAll parses a whole log in one Append.
func parseAll(in string) *Store {
	var s Store
	s.Append([]byte(in))
	s.Finish()
	return &s
}

// parseSplit parses a log cut at the given offsets (sorted).
func parseSplit(in string, cuts []int) *Store {
	var s Store
	prev := 0
	for _, c := range cuts {
		s.Append([]byte(in[prev:c]))
		prev = c
	}
	s.Append([]byte(in[prev:]))
	s.Finish()
	return &s
}

func dump(s *Store) string {
	var b bytes.Buffer
	if err := s.WriteJSONLines(&b); err != nil {
		panic(err)
	}
	return b.String()
}

// requireSplitsAgree checks style.md §11: the log parsed one byte at a time,
// in random splits, and through Update with a growing trace gives exactly
// the one-shot result.
func requireSplitsAgree(t *testing.T, in string) {
	t.Helper()
	want := dump(parseAll(in))
	ones := make([]int, 0, len(in))
	for i := 1; i < len(in); i++ {
		ones = append(ones, i)
	}
	require.Equal(t, want, dump(parseSplit(in, ones)), "one byte at a time")
	rng := rand.New(rand.NewPCG(uint64(len(in)), 7))
	for range 8 {
		var cuts []int
		for i := 1; i < len(in); i++ {
			if rng.IntN(4) == 0 {
				cuts = append(cuts, i)
			}
		}
		require.Equal(t, want, dump(parseSplit(in, cuts)), "random splits %v", cuts)
	}
	var s Store
	for i := 0; i <= len(in); i += 1 + rng.IntN(5) {
		require.False(t, s.Update([]byte(in[:i])), "a growing trace is not a restart")
	}
	s.Update([]byte(in))
	s.Finish()
	require.Equal(t, want, dump(&s), "growing trace through Update")
}

// markup renders a line's spans: plain text as is, styled text as
// <attrs>text</>, attrs as the dump names them.
func markup(l Line) string {
	var b strings.Builder
	for k := 0; k < l.NumSpans(); k++ {
		text, st := l.Span(k)
		if st == 0 {
			b.Write(text)
			continue
		}
		b.WriteString("<" + describeStyle(st) + ">")
		b.Write(text)
		b.WriteString("</>")
	}
	return b.String()
}

func describeStyle(st Style) string {
	var parts []string
	if c := st.Fg(); c != 0 {
		parts = append(parts, "fg="+c.String())
	}
	if c := st.Bg(); c != 0 {
		parts = append(parts, "bg="+c.String())
	}
	for _, a := range []struct {
		on   bool
		name string
	}{{st.Bold(), "bold"}, {st.Italic(), "italic"}, {st.Underline(), "underline"}, {st.Conceal(), "conceal"}, {st.Strike(), "strike"}} {
		if a.on {
			parts = append(parts, a.name)
		}
	}
	return strings.Join(parts, " ")
}

func lines(s *Store) []string {
	out := []string{}
	for i := 0; i < s.Len(); i++ {
		out = append(out, markup(s.Line(i)))
	}
	return out
}

// describe renders a line with its section facts:
// "text [section] header dur=MM:SS collapsed hide hidden".
func describe(s *Store, f *Fold, i int) string {
	l := s.Line(i)
	var b strings.Builder
	b.Write(l.Text)
	b.WriteString(" [")
	if l.Section >= 0 {
		b.Write(s.SectionName(l.Section))
	} else {
		b.WriteString("-")
	}
	b.WriteString("]")
	if l.Header {
		sec := s.Section(l.Section)
		b.WriteString(" header")
		if sec.Closed {
			b.WriteString(" dur=" + FormatDuration(sec.Duration))
		}
		if sec.Collapsed {
			b.WriteString(" collapsed")
		}
		if sec.HideDuration {
			b.WriteString(" hide")
		}
	}
	if f.Hidden(i) {
		b.WriteString(" hidden")
	}
	return b.String()
}

func describeAll(s *Store) []string {
	f := s.Fold(nil)
	out := []string{}
	for i := 0; i < s.Len(); i++ {
		out = append(out, describe(s, f, i))
	}
	return out
}
