package joblog_test

import (
	"bytes"
	"runtime"
	"sync"
	"testing"
	"time"

	terminal "github.com/buildkite/terminal-to-html/v3"

	"github.com/jobscope/jobscope/internal/joblog"
	"github.com/jobscope/jobscope/internal/loggen"
)

// The budgets of issue 3, measured on one generated log per process (100 MB,
// runner timestamps on, hostile bytes mixed in), each against references
// measured in the same run (style.md §13):
//
//   - parse: joblog.Store fed 64 KiB chunks, as a followed log grows.
//     x-vs-bytescount is its speed over bytes.Count of newlines (the floor
//     no parser beats); x-vs-terminal-to-html is its speed over
//     github.com/buildkite/terminal-to-html/v3 in its streaming mode (the
//     CLI's defaults: a 300-line buffer, each line scrolled out as HTML).
//     Targets: x-vs-terminal-to-html >= 10 natively; x-vs-bytescount >=
//     0.125 under wasm; store-bytes/log-byte <= 1.5.
//   - search: case-insensitive substring and regexp over every line.
//
// The references' own speeds are reported too (bytes.Count-MB/s,
// terminal-to-html-MB/s). Under wasm (make bench runs BenchmarkLog/parse
// with Node's runner) the terminal-to-html reference is skipped: it needs
// about 15 s per pass there.
//
// Nothing here runs without -bench: the log is generated on first use.

// benchLogOptions is the generated log every benchmark here uses.
var benchLogOptions = loggen.Options{Seed: 3, Size: 100 << 20, Timestamps: true, Hostile: true}

const chunkSize = 64 << 10

var benchLog = sync.OnceValue(func() []byte { return loggen.Generate(benchLogOptions) })

// References measured once per process and shared by the sub-benchmarks,
// in nanoseconds per pass over benchLog.
var (
	bytesCountNs = sync.OnceValue(func() float64 {
		// One untimed pass first: V8 runs wasm in its baseline compiler
		// until a function is hot and cannot swap code inside a running
		// call, so a single cold pass would measure the baseline compiler.
		countNewlines()
		return nsPerOp(countNewlines)
	})
	terminalToHTMLNs = sync.OnceValue(func() float64 { return nsPerOp(terminalToHTMLStream) })
)

// parsedLog is benchLog parsed once, for the search benchmarks.
var parsedLog = sync.OnceValue(func() *joblog.Store {
	s := new(joblog.Store)
	parse(s, benchLog())
	return s
})

func BenchmarkLog(b *testing.B) {
	log := benchLog()
	b.Run("parse", func(b *testing.B) {
		floor := bytesCountNs()
		peer := 0.0
		if runtime.GOOS != "js" {
			peer = terminalToHTMLNs()
		}
		parse(new(joblog.Store), log[:4<<20]) // warm up, as for bytes.Count
		var s *joblog.Store
		b.SetBytes(int64(len(log)))
		for b.Loop() {
			s = new(joblog.Store)
			parse(s, log)
		}
		ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		b.ReportMetric(floor/ns, "x-vs-bytescount")
		if peer > 0 {
			b.ReportMetric(peer/ns, "x-vs-terminal-to-html")
		}
		b.ReportMetric(mbPerSec(len(log), floor), "bytes.Count-MB/s")
		if peer > 0 {
			b.ReportMetric(mbPerSec(len(log), peer), "terminal-to-html-MB/s")
		}
		st := s.Stats()
		b.ReportMetric(float64(st.StoreBytes)/float64(st.LogBytes), "store-bytes/log-byte")
		b.ReportMetric(float64(st.Lines), "lines")
	})
	for _, q := range []struct {
		name  string
		query joblog.Query
	}{
		{"search-substring", joblog.Query{Text: "connection refused"}},
		{"search-regexp", joblog.Query{Text: `exit code \d+|panic: .*nil pointer`, Regexp: true}},
	} {
		b.Run(q.name, func(b *testing.B) {
			if runtime.GOOS == "js" {
				b.Skip("make bench measures only parse under wasm")
			}
			s := parsedLog()
			floor := bytesCountNs()
			b.SetBytes(int64(len(log)))
			hits := 0
			for b.Loop() {
				sr, err := s.Search(q.query)
				if err != nil {
					b.Fatal(err)
				}
				for !sr.Step(1 << 20) {
				}
				hits = sr.Count()
			}
			if hits == 0 {
				b.Fatalf("%q found nothing: the benchmark measures nothing", q.query.Text)
			}
			b.ReportMetric(floor/(float64(b.Elapsed().Nanoseconds())/float64(b.N)), "x-vs-bytescount")
			b.ReportMetric(float64(hits), "hits")
		})
	}
}

// parse feeds log to s in chunks and finishes it.
func parse(s *joblog.Store, log []byte) {
	for len(log) > 0 {
		n := min(chunkSize, len(log))
		s.Append(log[:n])
		log = log[n:]
	}
	s.Finish()
}

var sink int

func countNewlines() { sink += bytes.Count(benchLog(), []byte{'\n'}) }

// terminalToHTMLStream renders benchLog as terminal-to-html's CLI does by
// default: a screen holding at most 300 lines, every line scrolled out of it
// handed over as HTML, the rest rendered at the end; fed in 64 KiB chunks.
func terminalToHTMLStream() {
	screen, err := terminal.NewScreen(terminal.WithMaxSize(400, 300), terminal.WithSize(160, 100))
	if err != nil {
		panic(err) // fixed, valid sizes
	}
	out := 0
	screen.ScrollOutFunc = func(line string) { out += len(line) }
	log := benchLog()
	for len(log) > 0 {
		n := min(chunkSize, len(log))
		_, _ = screen.Write(log[:n])
		log = log[n:]
	}
	out += len(screen.AsHTML())
	sink += out
}

func mbPerSec(n int, ns float64) float64 { return float64(n) / 1e6 / (ns / 1e9) }

// nsPerOp times f, at least once and over at least half a second.
// (testing.Benchmark cannot be used inside a benchmark: it waits for the
// lock the running benchmark holds.)
func nsPerOp(f func()) float64 {
	start, n := time.Now(), 0
	for ; n < 1 || time.Since(start) < 500*time.Millisecond; n++ {
		f()
	}
	return float64(time.Since(start).Nanoseconds()) / float64(n)
}
