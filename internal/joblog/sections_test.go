package joblog

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// start and end write runner-style markers (joblog.md §4).
func start(ts int, name, opts string) string {
	return fmt.Sprintf("section_start:%d:%s%s\r\x1b[0K", ts, name, opts)
}

func end(ts int, name string) string { return fmt.Sprintf("section_end:%d:%s\r\x1b[0K", ts, name) }

func TestSections(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want []string // describe() per line
	}{
		{"a section has a header with its duration; the footer is not shown",
			"before\n" + start(100, "build", "") + "Build\nstep\n" + end(165, "build") + "after\n",
			[]string{"before [-]", "Build [build] header dur=01:05", "step [build]", "after [-]"}},
		{"names are sanitised and compared sanitised",
			start(1, "a.Legit-SeCtIoN_namE", "") + "h\nx\n" + end(2, "a_legit-section.name") + "y\n",
			[]string{"h [a-legit-section-name] header dur=00:01", "x [a-legit-section-name]", "y [-]"}},
		{"collapsed=true hides the section's lines",
			start(1, "s", "[collapsed=true]") + "h\nx\n" + end(2, "s"),
			[]string{"h [s] header dur=00:01 collapsed", "x [s] hidden"}},
		{"collapsed must be exactly true",
			start(1, "s", "[collapsed=TRUE]") + "h\nx\n",
			[]string{"h [s] header", "x [s]"}},
		{"hide_duration=true is kept with collapsed after a bare comma",
			start(1, "s", "[collapsed=true,hide_duration=true]") + "h\n",
			[]string{"h [s] header collapsed hide"}},
		{"an option after a comma and space keeps the space and has no effect",
			start(1, "s", "[collapsed=true, hide_duration=true]") + "h\n",
			[]string{"h [s] header collapsed"}},
		{"an option without a value makes the marker text, wiped by its own CR",
			"a\n" + start(1, "s", "[collapsed]") + "h\n",
			[]string{"a [-]", "h [-]"}},
		{"a marker ending in ESC[K instead of ESC[0K is text, wiped by its CR",
			"section_start:1:s\r\x1b[Kh\n", []string{"h [-]"}},
		{"a name with $ is not a marker",
			"section_start:1:a$b\r\x1b[0Kh\n", []string{"h [-]"}},
		{"a marker in the middle of a line emits the text before it",
			"before " + start(1, "s", "") + "header\n",
			[]string{"before  [-]", "header [s] header"}},
		{"a marker cut by an escape sequence is not a marker",
			"section_\x1b[Kstart:1:s\r\x1b[0Kh\n", []string{"h [-]"}},
		{"text before a marker in the same run stays",
			"xsection_start:1:section_start:2:b\r\x1b[0Kh\n",
			[]string{"xsection_start:1: [-]", "h [b] header"}},
		{"an empty header line is dropped with its toggle",
			start(1, "s", "[collapsed=true]") + "\ninner\n" + end(2, "s"),
			[]string{"inner [s]"}},
		{"a header wiped by CR is dropped too",
			start(1, "s", "") + "h\r\ninner\n",
			[]string{"h [s] header", "inner [s]"}},
		{"a CR keeps the pending header flag",
			start(1, "s", "") + "old\rnew\n",
			[]string{"new [s] header"}},
		{"lines carry the innermost section",
			start(1, "outer", "") + "o\n" + start(2, "inner", "") + "i\nx\n" + end(5, "inner") + "y\n" + end(9, "outer") + "z\n",
			[]string{"o [outer] header dur=00:08", "i [inner] header dur=00:03", "x [inner]", "y [outer]", "z [-]"}},
		{"ending the outer section first files its duration under the inner one",
			start(1, "outer", "") + "o\n" + start(2, "inner", "") + "i\n" + end(10, "outer") + "x\n" + end(12, "inner") + "y\n",
			[]string{"o [outer] header", "i [inner] header dur=00:10", "x [inner]", "y [-]"}},
		{"an end of a name that is not open is removed without a line break",
			"a " + end(1, "nope") + "b\n", []string{"a b [-]"}},
		{"text after an end starts a new line outside the section",
			start(1, "s", "") + "h\nx " + end(2, "s") + "after\n",
			[]string{"h [s] header dur=00:01", "x  [s]", "after [-]"}},
		{"a reused name makes a second section",
			start(1, "s", "") + "h1\n" + end(2, "s") + start(3, "s", "[collapsed=true]") + "h2\nx\n" + end(7, "s"),
			[]string{"h1 [s] header dur=00:01", "h2 [s] header dur=00:04 collapsed", "x [s] hidden"}},
		{"reopening an open name resets its start time",
			start(1, "s", "") + "h1\n" + start(50, "s", "") + "h2\n" + end(60, "s"),
			[]string{"h1 [s] header", "h2 [s] header dur=00:10"}},
		{"a negative duration is clamped to zero",
			start(100, "s", "") + "h\n" + end(50, "s"), []string{"h [s] header dur=00:00"}},
		{"hours are shown and not wrapped",
			start(0, "s", "") + "h\n" + end(134055, "s"), []string{"h [s] header dur=37:14:15"}},
		{"a duration is clamped to one year",
			start(0, "s", "") + "h\n" + end(99999999999, "s"), []string{"h [s] header dur=8765:00:00"}},
		{"SGR state carries across markers",
			"\x1b[31m" + start(1, "s", "") + "h\n", []string{"h [s] header"}},
		{"an unclosed collapsed section hides to the end",
			start(1, "s", "[collapsed=true]") + "h\na\nb", []string{"h [s] header collapsed", "a [s] hidden", "b [s] hidden"}},
		{"lines without a section are never hidden",
			start(1, "a", "[collapsed=true]") + "ha\n" + start(2, "b", "") + "hb\n" + end(3, "a") + "x\n" + end(4, "b") + "free\n",
			[]string{"ha [a] header collapsed", "hb [b] header dur=00:02 hidden", "x [b] hidden", "free [-]"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, describeAll(parseAll(tc.in)))
			requireSplitsAgree(t, tc.in)
		})
	}
}

func TestFormatDuration(t *testing.T) {
	// joblog.md §4; past a month, ActiveSupport::Duration.build's parts.
	cases := []struct {
		sec  int64
		want string
	}{
		{0, "00:00"}, {65, "01:05"}, {3599, "59:59"}, {3600, "01:00:00"},
		{134055, "37:14:15"}, {-5, "00:00"}, {31556952, "8765:00:00"}, {1 << 50, "8765:00:00"},
		{2629746, "730:00:00"},
	}
	for _, tc := range cases {
		t.Run(tc.want, func(t *testing.T) {
			assert.Equal(t, tc.want, FormatDuration(tc.sec))
		})
	}
}

func TestSectionOutline(t *testing.T) {
	s := parseAll(start(1, "outer", "[collapsed=true]") + "o\n" + start(2, "inner", "[hide_duration=true]") + "i\nx\n" + end(5, "inner") + end(9, "outer") + "z\n")
	require.Equal(t, 2, s.NumSections())
	assert.Equal(t, Section{Index: 0, Name: "outer", Header: 0, First: 0, Last: 2, Depth: 0, Parent: -1,
		Collapsed: true, Closed: true, Duration: 8}, s.Section(0))
	assert.Equal(t, Section{Index: 1, Name: "inner", Header: 1, First: 1, Last: 2, Depth: 1, Parent: 0,
		HideDuration: true, Closed: true, Duration: 3}, s.Section(1))
}

func TestFold(t *testing.T) {
	in := "top\n" + start(1, "a", "[collapsed=true]") + "ha\na1\na2\n" + end(2, "a") +
		"mid\n" + start(3, "b", "") + "hb\nb1\n" + start(4, "c", "") + "hc\nc1\n" + end(5, "c") + end(6, "b") + "tail\n"
	s := parseAll(in)
	require.Equal(t, []string{"top", "ha", "a1", "a2", "mid", "hb", "b1", "hc", "c1", "tail"}, lines(s))

	t.Run("the log's own collapsed sections hide at first", func(t *testing.T) {
		f := s.Fold(nil)
		assert.Equal(t, 8, f.Rows())
		assert.Equal(t, []int{0, 1, 4, 5, 6, 7, 8, 9}, visibleLines(f))
	})
	t.Run("toggling opens a collapsed section and closes an open one", func(t *testing.T) {
		f := s.Fold(map[int]bool{0: true, 1: true})
		assert.Equal(t, []int{0, 1, 2, 3, 4, 5, 9}, visibleLines(f))
		row, visible := f.Row(8)
		assert.False(t, visible)
		assert.Equal(t, 5, row, "a hidden line maps to its header's row")
		row, visible = f.Row(9)
		assert.True(t, visible)
		assert.Equal(t, 6, row)
	})
	t.Run("a nested collapse inside an open section", func(t *testing.T) {
		f := s.Fold(map[int]bool{0: true, 2: true})
		assert.Equal(t, []int{0, 1, 2, 3, 4, 5, 6, 7, 9}, visibleLines(f))
	})
}

func visibleLines(f *Fold) []int {
	var out []int
	for r := 0; r < f.Rows(); r++ {
		out = append(out, f.Line(r))
	}
	return out
}

// TestFoldAgreesWithNaive checks the index against the rule of joblog.md §4
// applied line by line, on random nestings and toggles.
func TestFoldAgreesWithNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for iter := range 200 {
		var b []byte
		var open []string
		for k := 0; k < 60; k++ {
			switch r := rng.IntN(10); {
			case r < 2:
				name := fmt.Sprintf("s%d", rng.IntN(8))
				opt := ""
				if rng.IntN(2) == 0 {
					opt = "[collapsed=true]"
				}
				b = append(b, start(k, name, opt)...)
				open = append(open, name)
				if rng.IntN(4) > 0 {
					b = append(b, "hdr\n"...)
				}
			case r < 4 && len(open) > 0:
				b = append(b, end(k, open[rng.IntN(len(open))])...)
			default:
				b = append(b, fmt.Sprintf("line %d\n", k)...)
			}
		}
		s := parseAll(string(b))
		toggled := map[int]bool{}
		for i := 0; i < s.NumSections(); i++ {
			if rng.IntN(3) == 0 {
				toggled[i] = true
			}
		}
		f := s.Fold(toggled)
		var want []int
		for i := 0; i < s.Len(); i++ {
			hidden := false
			for k := 0; k < s.NumSections(); k++ {
				sec := s.Section(k)
				if sec.Header >= 0 && sec.Collapsed != toggled[k] && s.Line(i).Section >= 0 && i > sec.Header && i <= sec.Last {
					hidden = true
				}
			}
			assert.Equal(t, hidden, f.Hidden(i), "iteration %d line %d", iter, i)
			if !hidden {
				want = append(want, i)
			}
		}
		assert.Equal(t, want, visibleLines(f), "iteration %d", iter)
	}
}
