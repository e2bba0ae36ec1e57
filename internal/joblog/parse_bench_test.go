package joblog

import (
	"bytes"
	"testing"
	"time"

	"github.com/jobscope/jobscope/internal/loggen"
)

// Quick checks of the parser's budgets (issue 3): the full comparison with
// terminal-to-html lives in bench_test.go. Each benchmark reports how many
// times faster the bytes.Count newline floor ran in the same process
// (floor/parse; the budget is 8 under wasm) and the store's bytes per log
// byte (budget 1.5), as style.md §13 asks.

var benchLogs = map[string]loggen.Options{
	"plain":      {Seed: 1, Size: 16 << 20},
	"timestamps": {Seed: 2, Size: 16 << 20, Timestamps: true},
	"hostile":    {Seed: 3, Size: 16 << 20, Hostile: true},
}

func BenchmarkParseQuick(b *testing.B) {
	for _, name := range []string{"plain", "timestamps", "hostile"} {
		log := loggen.Generate(benchLogs[name])
		b.Run(name, func(b *testing.B) {
			floor := newlineFloor(log)
			b.SetBytes(int64(len(log)))
			var s Store
			for b.Loop() {
				s.Reset()
				s.Append(log)
				s.Finish()
			}
			st := s.Stats()
			perSec := float64(len(log)) / (b.Elapsed().Seconds() / float64(b.N))
			b.ReportMetric(floor/perSec, "floor/parse")
			b.ReportMetric(float64(st.StoreBytes)/float64(st.LogBytes), "store-B/log-B")
		})
	}
}

// newlineFloor is bytes.Count's speed on the log in bytes per second.
func newlineFloor(log []byte) float64 {
	n := 0
	t0 := time.Now()
	for time.Since(t0) < 200*time.Millisecond {
		bytes.Count(log, []byte{'\n'})
		n++
	}
	return float64(n*len(log)) / time.Since(t0).Seconds()
}

func BenchmarkSearchQuick(b *testing.B) {
	log := loggen.Generate(benchLogs["plain"])
	var s Store
	s.Append(log)
	s.Finish()
	b.SetBytes(int64(s.Stats().TextBytes))
	for b.Loop() {
		sr, _ := s.Search(Query{Text: "warning"})
		for !sr.Step(1 << 20) {
		}
	}
}
