package logrow

import (
	"html"
	"testing"
)

// BenchmarkRow builds a typical row (three styled spans and a URL) and
// reports its cost as a ratio to html.EscapeString of the same text, the
// least any innerHTML row must pay, measured in the same run.
func BenchmarkRow(b *testing.B) {
	s := storeOf("\x1b[32;1m$ go test ./...\x1b[0m ok  \x1b[33mgithub.com/jobscope/jobscope/internal/joblog\x1b[0m 0.412s see https://gitlab.com/x/-/jobs/1\n")
	l := s.Line(0)
	text := string(l.Text)
	var ref float64
	b.Run("reference-html-escape", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			_ = html.EscapeString(text)
		}
		ref = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	b.Run("row", func(b *testing.B) {
		var bl Builder
		buf := make([]byte, 0, 1024)
		hits := []Hit{{Start: 2, End: 6, Current: true}}
		b.SetBytes(int64(len(text)))
		b.ReportAllocs()
		for b.Loop() {
			buf = bl.Append(buf[:0], Row{Line: l, Hits: hits})
		}
		ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		if ref > 0 {
			b.ReportMetric(ns/ref, "x-escape")
		}
	})
}
