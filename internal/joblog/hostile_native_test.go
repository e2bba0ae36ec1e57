//go:build !js

package joblog

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/jobscope/jobscope/internal/loggen"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Native only: these need tens of megabytes (issue 3, hostile input).

func TestTenMegabyteLine(t *testing.T) {
	in := bytes.Repeat([]byte("0123456789\x1b[3"+"1m"), 10<<20/15)
	in = append(in, "\nafter\n"...)
	s := parseStream(in)
	require.Equal(t, 2, s.Len())
	l := s.Line(0)
	assert.Equal(t, MaxLineBytes, len(l.Text))
	assert.Equal(t, 10*(10<<20/15)-MaxLineBytes, l.Truncated)
	assert.Less(t, s.Stats().StoreBytes, 3*MaxLineBytes, "memory stays bounded by the line cap")
}

func TestMillionSections(t *testing.T) {
	var b bytes.Buffer
	for i := range 1_000_000 {
		fmt.Fprintf(&b, "section_start:%d:s%d[collapsed=true]\r\x1b[0Kh\n", i, i%1000)
	}
	for i := range 1_000_000 {
		fmt.Fprintf(&b, "section_end:%d:s%d\r\x1b[0K", 1_000_000+i, i%1000)
	}
	s := parseAll(b.String())
	require.Equal(t, 1_000_000, s.NumSections())
	require.Equal(t, 1_000_000, s.Len())
	st := s.Stats()
	t.Logf("%d log bytes, %d store bytes (%.2f per byte)", st.LogBytes, st.StoreBytes, float64(st.StoreBytes)/float64(st.LogBytes))
	assert.Less(t, st.StoreBytes, 3*int(st.LogBytes))
	f := s.Fold(nil)
	assert.Equal(t, 1, f.Rows(), "the first collapsed header hides everything after it")
}

func TestUnterminatedEscapeAtEOFIsBounded(t *testing.T) {
	in := append([]byte("text\x1b]8;;http://"), bytes.Repeat([]byte("x"), 8<<20)...)
	s := parseStream(in)
	require.Equal(t, 1, s.Len())
	assert.Equal(t, "text", string(s.Line(0).Text))
	assert.Less(t, s.Stats().StoreBytes, 1<<20, "an OSC payload is not kept beyond its cap")
}

// parseStream feeds a log in 32 KiB reads, as a network reader would.
func parseStream(in []byte) *Store {
	var s Store
	for len(in) > 0 {
		n := min(len(in), 32<<10)
		s.Append(in[:n])
		in = in[n:]
	}
	s.Finish()
	return &s
}

// TestArenaBlocks crosses several arena blocks: every line keeps its text,
// and a generated log gives the same dump in one piece and in reads.
func TestArenaBlocks(t *testing.T) {
	var b bytes.Buffer
	for i := 0; b.Len() < 3*blockSize; i++ {
		fmt.Fprintf(&b, "\x1b[3%dmline %d %s\n", i%8, i, bytes.Repeat([]byte{'x'}, i%300))
	}
	s := parseStream(b.Bytes())
	require.Greater(t, len(s.blocks), 1)
	for i := 0; i < s.Len(); i++ {
		l := s.Line(i)
		want := fmt.Sprintf("line %d %s", i, bytes.Repeat([]byte{'x'}, i%300))
		require.Equal(t, want, string(l.Text), "line %d", i)
		text, st := l.Span(0)
		require.Equal(t, want, string(text))
		require.Equal(t, i%8, st.Fg().Value())
	}

	log := loggen.Generate(loggen.Options{Seed: 9, Size: 3 * blockSize, Timestamps: true, Hostile: true})
	assert.Equal(t, dump(parseAll(string(log))), dump(parseStream(log)))
}
