package logdiff

import (
	"bytes"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/jobscope/jobscope/internal/joblog"
	"github.com/jobscope/jobscope/internal/loggen"
)

// The measures of issue 14, printed by make bench:
//
//   - quality: on 24 generated green/red pairs (loggen.GreenRed, 1 MB,
//     with and without runner timestamps) whose failure lines are known,
//     recall (the share of failure lines marked new; target 100 %) and
//     marked (the share of the failed log's lines marked; target <= 5 %),
//     both as the worst pair gives them, for the multiset comparison this
//     package makes and for a set (LogJuicer's "is the line in the baseline
//     at all"), its alternative (docs/design.md §7);
//   - compare-60MB: comparing two parsed 60 MB logs, against bytes.Count of
//     newlines over the same 120 MB in the same run (x-vs-bytescount).
//     make bench runs it natively and in wasm (Node).
//
// Nothing here runs without -bench.

var bigPair = sync.OnceValue(func() loggen.Pair {
	return loggen.GreenRed(loggen.Options{Seed: 5, Size: 60 << 20, Timestamps: true}, time.Time{})
})

var bigStores = sync.OnceValues(func() (*joblog.Store, *joblog.Store) {
	p := bigPair()
	return parse(p.Green), parse(p.Red)
})

var sink int

func BenchmarkCompare(b *testing.B) {
	b.Run("quality", func(b *testing.B) {
		if runtime.GOOS == "js" {
			b.Skip("the quality figure does not depend on the platform")
		}
		worstRecall, worstMarked := map[string]float64{"multiset": 1, "set": 1}, map[string]float64{}
		for b.Loop() {
			for seed := int64(1); seed <= 12; seed++ {
				for _, ts := range []bool{false, true} {
					p := loggen.GreenRed(loggen.Options{Seed: seed, Size: 1 << 20, Timestamps: ts}, time.Time{})
					green, red := parse(p.Green), parse(p.Red)
					truth := failureLines(red, p)
					for name, changed := range map[string][]int{
						"multiset": New(StoreLines{green}, StoreLines{red}).Run().Changed(),
						"set":      setCompare(StoreLines{green}, StoreLines{red}),
					} {
						recall, marked := quality(changed, truth, red.Committed())
						worstRecall[name] = min(worstRecall[name], recall)
						worstMarked[name] = max(worstMarked[name], marked)
					}
				}
			}
		}
		b.ReportMetric(100*worstRecall["multiset"], "recall-%")
		b.ReportMetric(100*worstMarked["multiset"], "marked-%")
		b.ReportMetric(100*worstRecall["set"], "set-recall-%")
		b.ReportMetric(100*worstMarked["set"], "set-marked-%")
	})
	b.Run("compare-60MB", func(b *testing.B) {
		p := bigPair()
		green, red := bigStores()
		floor := nsPerOp(func() { sink += bytes.Count(p.Green, []byte{'\n'}) + bytes.Count(p.Red, []byte{'\n'}) })
		b.SetBytes(int64(len(p.Green) + len(p.Red)))
		changed := 0
		for b.Loop() {
			changed = len(New(StoreLines{green}, StoreLines{red}).Run().Changed())
		}
		ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		b.ReportMetric(floor/ns, "x-vs-bytescount")
		b.ReportMetric(ns/1e6, "ms/compare")
		b.ReportMetric(float64(changed), "changed")
		b.ReportMetric(float64(red.Committed()), "lines")
	})
}

// setCompare is the alternative measured: a line is new when no line of
// the passing log normalises to it.
func setCompare(old, new Lines) []int {
	seen := map[string]bool{}
	for i := range old.Len() {
		seen[string(Normalise(nil, old.Text(i)))] = true
	}
	var out []int
	for i := range new.Len() {
		if !seen[string(Normalise(nil, new.Text(i)))] {
			out = append(out, i)
		}
	}
	return out
}

// nsPerOp times f, once untimed, then at least once and over at least half
// a second (testing.Benchmark cannot run inside a benchmark).
func nsPerOp(f func()) float64 {
	f()
	start, n := time.Now(), 0
	for ; n < 1 || time.Since(start) < 500*time.Millisecond; n++ {
		f()
	}
	return float64(time.Since(start).Nanoseconds()) / float64(n)
}
