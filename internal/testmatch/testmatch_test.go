package testmatch

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jobscope/jobscope/internal/loggen"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type textLog [][]byte

func (l textLog) Len() int              { return len(l) }
func (l textLog) LineText(i int) []byte { return l[i] }

func logOf(s string) textLog {
	var out textLog
	for _, l := range strings.Split(s, "\n") {
		out = append(out, []byte(l))
	}
	return out
}

func TestLines(t *testing.T) {
	for _, tc := range []struct {
		name  string
		log   string
		tests []string
		want  []int
	}{
		{"go test: the FAIL line, not the RUN line",
			"=== RUN   TestParse\n    parse_test.go:9: want 1\n--- FAIL: TestParse (0.01s)\nFAIL",
			[]string{"TestParse"}, []int{2}},
		{"a longer name is another test",
			"--- FAIL: TestParseAll (0.01s)\n--- FAIL: TestParse (0.01s)",
			[]string{"TestParse", "TestParseAll"}, []int{1, 0}},
		{"a subtest",
			"--- FAIL: TestParse/empty_input (0.00s)",
			[]string{"TestParse/empty_input"}, []int{0}},
		{"pytest",
			"tests/test_a.py::test_x PASSED\nFAILED tests/test_a.py::test_y - assert 1 == 2",
			[]string{"test_y", "test_x"}, []int{1, 0}},
		{"rspec's failed examples",
			"Failures:\n  1) Cart totals prices\nrspec ./spec/cart_spec.rb:12 # Cart totals prices",
			[]string{"Cart totals prices"}, []int{2}},
		{"only mentioned: its first mention",
			"running TestWeb\nTestWeb took 3s",
			[]string{"TestWeb"}, []int{0}},
		{"never printed",
			"--- FAIL: TestA (0.01s)",
			[]string{"TestB"}, []int{None}},
		{"same name twice takes the failures in order",
			"--- FAIL: TestA (0.01s)\nok  \tpkg/one\n--- FAIL: TestA (0.02s)\nFAIL\tpkg/two",
			[]string{"TestA", "TestA"}, []int{0, 2}},
		{"inside a longer word is not it",
			"XTestA failed\nTestA_2 failed",
			[]string{"TestA"}, []int{None}},
		{"no word in the name",
			"--- FAIL: ??? (0.01s)",
			[]string{"???", ""}, []int{None, None}},
		{"unicode names",
			"✕ calcule la durée (5 ms)",
			[]string{"calcule la durée"}, []int{0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Lines(logOf(tc.log), tc.tests))
		})
	}
}

// TestLinesOnAGeneratedFailedLog: every "--- FAIL" of a loggen log is found
// on its own line.
func TestLinesOnAGeneratedFailedLog(t *testing.T) {
	raw := loggen.Generate(loggen.Options{Seed: 7, Lines: 5000, Failed: true})
	log := textLog(bytes.Split(raw, []byte("\n")))
	var names []string
	for _, l := range log {
		if rest, ok := bytes.CutPrefix(l, []byte("--- FAIL: ")); ok {
			name, _, _ := bytes.Cut(rest, []byte(" ("))
			names = append(names, string(name))
		}
	}
	require.NotEmpty(t, names)
	got := Lines(log, names)
	for k := range names {
		assert.Contains(t, string(log[got[k]]), "--- FAIL: "+names[k]+" ", "%s", names[k])
	}
}

func FuzzLines(f *testing.F) {
	f.Add("--- FAIL: TestA (0.01s)\nok", "TestA")
	f.Add("✕ é\n\xff", "é")
	f.Fuzz(func(t *testing.T, log, name string) {
		got := Lines(logOf(log), []string{name, name})
		for _, l := range got {
			if l != None {
				require.True(t, l >= 0 && l < len(logOf(log)))
				require.Contains(t, string(logOf(log)[l]), name)
			}
		}
	})
}

// BenchmarkLines: 10,000 tests over a 500,000-line log, printed against a
// reference measured in the same run: one plain search of the log for one
// name (a line-by-line bytes.Contains), what finding a single test by hand
// costs.
func BenchmarkLines(b *testing.B) {
	raw := loggen.Generate(loggen.Options{Seed: 3, Lines: 500_000, Failed: true})
	log := textLog(bytes.Split(raw, []byte("\n")))
	names := make([]string, 10_000)
	for i := range names {
		names[i] = fmt.Sprintf("TestGenerated%05d", i)
	}
	one := []byte(names[0])
	search := func() (n int) {
		for _, l := range log {
			if bytes.Contains(l, one) {
				n++
			}
		}
		return n
	}
	search()
	start := time.Now()
	for range 5 {
		search()
	}
	ref := float64(time.Since(start).Nanoseconds()) / 5
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		Lines(log, names)
	}
	ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(ns/ref, "x-one-search")
	b.ReportMetric(float64(len(raw))/ref*1e3, "one-search-MB/s")
}
