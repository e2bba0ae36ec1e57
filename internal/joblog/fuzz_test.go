package joblog

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/jobscope/jobscope/internal/loggen"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fuzzSeeds are the golden logs, small generated hostile and timestamped
// logs, and the sequences most likely to be cut badly.
func fuzzSeeds(f *testing.F) [][]byte {
	seeds := [][]byte{
		[]byte("a\r\nb\rc\x1b[31;1md\x1b]8;;https://x\x1b\\e\x1b]8;;\a\n"),
		[]byte(start(1, "s", "[collapsed=true]") + "h\n" + end(2, "s")),
		[]byte(rec(1, "00O", false) + "a\r\n" + rec(2, "01O", true) + "b\n"),
		[]byte("\xf0\x9f\x1b[K\x90\x80\xe2\x82"),
	}
	logs, _ := filepath.Glob("testdata/*.log")
	for _, p := range logs {
		b, err := os.ReadFile(p)
		require.NoError(f, err)
		seeds = append(seeds, b)
	}
	seeds = append(seeds,
		loggen.Generate(loggen.Options{Seed: 1, Size: 4 << 10, Hostile: true}),
		loggen.Generate(loggen.Options{Seed: 2, Size: 4 << 10, Timestamps: true, Hostile: true}))
	return seeds
}

// FuzzParse: any bytes parse without panic into bounded, clean lines: valid
// UTF-8, no ESC, CR or LF left, no line over MaxLineBytes, spans tiling the
// text, and a store not much larger than the log.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var s Store
		s.Append(in)
		s.Finish()
		for i := 0; i < s.Len(); i++ {
			l := s.Line(i)
			require.NotEmpty(t, l.Text, "line %d: empty lines are not shown", i)
			require.True(t, utf8.Valid(l.Text), "line %d is not UTF-8", i)
			require.False(t, bytes.ContainsAny(l.Text, "\x1b\r\n"), "line %d: %q", i, l.Text)
			require.LessOrEqual(t, len(l.Text), MaxLineBytes)
			n := 0
			for k := 0; k < l.NumSpans(); k++ {
				text, _ := l.Span(k)
				require.NotEmpty(t, text)
				n += len(text)
			}
			require.Equal(t, len(l.Text), n, "spans tile the text")
			for _, ln := range l.Links(nil) {
				require.True(t, ln.Start < ln.End && ln.End <= len(l.Text))
			}
		}
		st := s.Stats()
		// U+FFFD triples an invalid byte; per line and span arrays and
		// section records add a bounded amount per input byte.
		assert.LessOrEqual(t, st.StoreBytes, 64*len(in)+1<<16)
		f := s.Fold(nil)
		require.LessOrEqual(t, f.Rows(), s.Len())
	})
}

// FuzzChunks: parsing in chunks (cut where the fuzzer says) equals the
// one-shot result (style.md §11).
func FuzzChunks(f *testing.F) {
	for i, s := range fuzzSeeds(f) {
		f.Add(s, []byte{byte(i), 3, 1, 7})
	}
	f.Fuzz(func(t *testing.T, in, cuts []byte) {
		want := dump(parseAll(string(in)))
		var s Store
		rest := in
		for _, c := range cuts {
			n := min(int(c), len(rest))
			s.Append(rest[:n])
			_ = s.Len() // a view of the live line between chunks must not disturb parsing
			rest = rest[n:]
		}
		s.Append(rest)
		s.Finish()
		require.Equal(t, want, dump(&s))
	})
}

// FuzzSearch: the searcher finds what a naive scan of the displayed lines
// finds, for case-insensitive ASCII substrings and the same as a regexp.
func FuzzSearch(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s, "e")
		f.Add(s, "Error")
	}
	f.Fuzz(func(t *testing.T, in []byte, q string) {
		if q == "" || !isASCII(q) {
			return
		}
		s := parseAll(string(in))
		var want []Hit
		needle := asciiOnlyLower(q)
		for i := 0; i < s.Len(); i++ {
			text := asciiOnlyLower(string(s.Line(i).Text))
			for off := 0; ; {
				k := strings.Index(text[off:], needle)
				if k < 0 {
					break
				}
				want = append(want, Hit{i, off + k, off + k + len(needle)})
				off += k + len(needle)
			}
		}
		for _, query := range []Query{{Text: q}, {Text: "(?i)" + regexp.QuoteMeta(q), Regexp: true}} {
			sr, err := s.Search(query)
			require.NoError(t, err)
			for !sr.Step(64) {
			}
			var got []Hit
			for i := 0; i < sr.Len(); i++ {
				got = append(got, sr.Hit(i))
			}
			require.Equal(t, want, got, "query %+v", query)
		}
	})
}

// asciiOnlyLower lower-cases ASCII letters only, keeping byte offsets (the
// searcher folds ASCII case for ASCII queries).
func asciiOnlyLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// TestGeneratedLogsInChunks runs realistic generated logs (plain,
// timestamped, hostile) through random chunkings (style.md §11).
func TestGeneratedLogsInChunks(t *testing.T) {
	for _, opts := range []loggen.Options{
		{Seed: 11, Size: 48 << 10},
		{Seed: 12, Size: 48 << 10, Timestamps: true},
		{Seed: 13, Size: 48 << 10, Hostile: true, Timestamps: true, Failed: true},
	} {
		t.Run(fmt.Sprintf("seed %d", opts.Seed), func(t *testing.T) {
			in := loggen.Generate(opts)
			want := dump(parseAll(string(in)))
			rng := rand.New(rand.NewPCG(uint64(opts.Seed), 1))
			for range 10 {
				var s Store
				for rest := in; len(rest) > 0; {
					n := min(len(rest), 1+rng.IntN(200))
					s.Append(rest[:n])
					rest = rest[n:]
				}
				s.Finish()
				require.Equal(t, want, dump(&s))
			}
		})
	}
}
