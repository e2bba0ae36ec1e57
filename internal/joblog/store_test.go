package joblog

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLiveLine(t *testing.T) {
	// choice 6: the half-written last line is shown and updated.
	var s Store
	s.Append([]byte("one\ntw"))
	require.Equal(t, 2, s.Len())
	assert.Equal(t, 1, s.Committed())
	live := s.Line(1)
	assert.True(t, live.Live)
	assert.Equal(t, "tw", string(live.Text))

	s.Append([]byte("o\x1b[31m!"))
	assert.Equal(t, "two<fg=red>!</>", markup(s.Line(1)), "the live line grows in place")

	s.Append([]byte("\r"))
	assert.Equal(t, 1, s.Len(), "a CR as the last byte hides the line until more comes (joblog.md §1)")
	s.Append([]byte("\nthree\n"))
	assert.Equal(t, []string{"one", "two<fg=red>!</>", "<fg=red>three</>"}, lines(&s), "CR then LF later keeps the line")
	assert.False(t, s.Line(2).Live)

	s.Append([]byte("four\r"))
	s.Append([]byte("4"))
	assert.Equal(t, "<fg=red>4</>", markup(s.Line(3)), "a lone CR cleared the live line")
}

func TestLiveHeaderAndLink(t *testing.T) {
	var s Store
	s.Append([]byte(start(1, "s", "[collapsed=true]") + "Head\x1b]8;;https://a.example/x\x1b\\er"))
	require.Equal(t, 1, s.Len())
	l := s.Line(0)
	assert.True(t, l.Header)
	assert.Equal(t, "s", string(s.SectionName(l.Section)))
	links := l.Links(nil)
	require.Len(t, links, 1)
	assert.Equal(t, "https://a.example/x", string(links[0].URL))
	assert.Equal(t, "er", string(l.Text[links[0].Start:links[0].End]))
}

func TestUpdate(t *testing.T) {
	var s Store
	assert.False(t, s.Update([]byte("a\nb")))
	assert.False(t, s.Update([]byte("a\nbc\n")))
	assert.Equal(t, []string{"a", "bc"}, lines(&s))
	gen := s.Gen()

	t.Run("a shorter trace restarts the store", func(t *testing.T) {
		assert.True(t, s.Update([]byte("x\n")))
		assert.Equal(t, []string{"x"}, lines(&s))
		assert.NotEqual(t, gen, s.Gen())
	})
	t.Run("a replaced trace of greater length restarts the store", func(t *testing.T) {
		assert.True(t, s.Update([]byte("retried job\nmore\n")))
		assert.Equal(t, []string{"retried job", "more"}, lines(&s))
	})
	t.Run("a changed end of the old bytes restarts the store", func(t *testing.T) {
		s.Reset()
		s.Update([]byte(strings.Repeat("x", 100) + "\n"))
		assert.True(t, s.Update([]byte(strings.Repeat("x", 99)+"y\nz\n")))
	})
	t.Run("growth after Finish re-parses from scratch", func(t *testing.T) {
		s.Reset()
		s.Update([]byte("abc"))
		s.Finish()
		assert.True(t, s.Update([]byte("abcdef\n")))
		assert.Equal(t, []string{"abcdef"}, lines(&s))
	})
}

func TestAddresses(t *testing.T) {
	var s Store
	s.Append([]byte("a\n\nbb\nccc\n"))
	l := s.Line(2)
	assert.Equal(t, int64(6), l.Offset, "offsets count raw bytes, empty lines included")
	addr := l.Addr()
	s.Append([]byte("more\nlines\n"))
	line, exact := s.Resolve(addr)
	assert.True(t, exact)
	assert.Equal(t, 2, line, "an address survives appends")

	s.Reset()
	s.Append([]byte("x\ny\nzzzzzzzz\nw\n"))
	line, exact = s.Resolve(addr)
	assert.False(t, exact)
	assert.Equal(t, 2, line, "after a restart the address falls back to its offset")
}

func TestLongLineIsTruncatedWithACount(t *testing.T) {
	// style.md §9: bounded, never silent.
	in := strings.Repeat("é", MaxLineBytes) + "\nnext\n"
	s := parseAll(in)
	require.Equal(t, 2, s.Len())
	l := s.Line(0)
	assert.Len(t, l.Text, MaxLineBytes)
	assert.Equal(t, 2*MaxLineBytes-MaxLineBytes, l.Truncated)
	assert.Equal(t, "next", string(s.Line(1).Text))
	assert.Equal(t, 1, s.Stats().TruncatedLines)
	assert.Contains(t, dump(s), `"truncated":1048576`)
}

func TestMarkerAfterTruncationIsFound(t *testing.T) {
	in := strings.Repeat("x", MaxLineBytes+10) + start(1, "s", "") + "h\n"
	s := parseAll(in)
	require.Equal(t, 2, s.Len())
	assert.Equal(t, 10+len("section_start:1:s"), s.Line(0).Truncated, "the marker's bytes were counted while the line was over the cap")
	assert.True(t, s.Line(1).Header)
}

func TestLinks(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want []string
	}{
		// joblog.md §1
		{"an http URL is linked", "see http://example.com/a?b=c#d now", []string{"http://example.com/a?b=c#d"}},
		{"trailing punctuation is not part of the URL", "(https://x.io/a). and https://y.io/b!", []string{"https://x.io/a", "https://y.io/b"}},
		{"quotes and brackets end a URL", `"https://x.io/a"<https://y.io>`, []string{"https://x.io/a", "https://y.io"}},
		{"a URL cut by a style change is linked up to the cut", "https://x.io/a\x1b[31m/b", []string{"https://x.io/a"}},
		{"a bare scheme is not a link", "http:// and https://", nil},
		{"ftp is not linked", "ftp://x.io", nil},
		{"no links on a section header", start(1, "s", "") + "https://x.io\n", nil},
		// choice 4: OSC 8 keeps its text and links http(s) targets only.
		{"an OSC 8 hyperlink links its text", "\x1b]8;;https://x.io/p\x1b\\docs\x1b]8;;\x1b\\ end", []string{"https://x.io/p"}},
		{"an OSC 8 link to a file is only text", "\x1b]8;;file:///etc/passwd\x07x\x1b]8;;\x07", nil},
		{"an OSC 8 link with params works", "\x1b]8;id=1;http://x.io\x07x\x1b]8;;\x07", []string{"http://x.io"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := parseAll(tc.in)
			var got []string
			for i := 0; i < s.Len(); i++ {
				for _, l := range s.Line(i).Links(nil) {
					got = append(got, string(l.URL))
				}
			}
			assert.Equal(t, tc.want, got)
			requireSplitsAgree(t, tc.in)
		})
	}
}

func TestLineViewAllocatesNothing(t *testing.T) {
	s := parseAll(strings.Repeat("\x1b[32;1mok\x1b[0m line https://x.io/a "+start(1, "s", "")+"hdr\n", 100))
	links := make([]Link, 0, 8)
	allocs := testing.AllocsPerRun(100, func() {
		for i := 0; i < s.Len(); i++ {
			l := s.Line(i)
			for k := 0; k < l.NumSpans(); k++ {
				_, _ = l.Span(k)
			}
			links = l.Links(links[:0])
		}
	})
	assert.Zero(t, allocs)
}

func TestFinish(t *testing.T) {
	var s Store
	s.Append([]byte("done\x1b[3"))
	require.Equal(t, 1, s.Len())
	assert.True(t, s.Line(0).Live, "an unterminated escape waits for more (choice 4)")
	s.Finish()
	assert.Equal(t, 1, s.Committed(), "Finish drops the escape and commits the line")
	assert.False(t, s.Line(0).Live)
	s.Finish()
	assert.Equal(t, 1, s.Len(), "Finish twice changes nothing")
	s.Append([]byte("1mmore\n"))
	assert.Equal(t, []string{"done", "1mmore"}, lines(&s), "appending after Finish goes on as after a line end")
}
