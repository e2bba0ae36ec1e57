package loggen_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobscope/jobscope/internal/loggen"
)

var update = flag.Bool("update", false, "rewrite testdata/*.log goldens")

// options used across tests: every combination of the switches that change
// the shape of the output.
var shapes = []struct {
	name string
	opts loggen.Options
}{
	{"plain", loggen.Options{}},
	{"timestamped", loggen.Options{Timestamps: true}},
	{"hostile", loggen.Options{Hostile: true}},
	{"timestamped and hostile", loggen.Options{Timestamps: true, Hostile: true}},
	{"failed, timestamped", loggen.Options{Timestamps: true, Failed: true}},
}

func TestSameOptionsGiveSameBytes(t *testing.T) {
	for _, s := range shapes {
		t.Run(s.name, func(t *testing.T) {
			o := s.opts
			o.Seed, o.Size = 42, 256<<10
			assert.Equal(t, loggen.Generate(o), loggen.Generate(o))
		})
	}
}

func TestDifferentSeedsGiveDifferentLogs(t *testing.T) {
	for _, s := range shapes {
		t.Run(s.name, func(t *testing.T) {
			a, b := s.opts, s.opts
			a.Seed, a.Lines = 1, 500
			b.Seed, b.Lines = 2, 500
			assert.NotEqual(t, loggen.Generate(a), loggen.Generate(b))
		})
	}
}

// chunkRecorder is an io.Writer keeping what it is given and the largest write.
type chunkRecorder struct {
	bytes.Buffer
	largest int
}

func (c *chunkRecorder) Write(p []byte) (int, error) {
	c.largest = max(c.largest, len(p))
	return c.Buffer.Write(p)
}

func TestWriteStreamsTheSameBytesAsGenerate(t *testing.T) {
	for _, s := range shapes {
		t.Run(s.name, func(t *testing.T) {
			o := s.opts
			o.Seed, o.Size = 7, 2<<20
			var w chunkRecorder
			require.NoError(t, loggen.Write(&w, o))
			assert.Equal(t, loggen.Generate(o), w.Bytes())
			// Chunks stay near 64 KiB (a unit may overshoot: long lines up
			// to 8 KiB, huge hostile lines up to 1 MiB).
			assert.LessOrEqual(t, w.largest, 64<<10+(1<<20)+64<<10)
		})
	}
}

func TestWriteReturnsTheWritersError(t *testing.T) {
	errFull := errors.New("disk full")
	err := loggen.Write(failingWriter{errFull}, loggen.Options{Size: 1 << 20})
	assert.ErrorIs(t, err, errFull)
}

type failingWriter struct{ err error }

func (f failingWriter) Write([]byte) (int, error) { return 0, f.err }

func TestSizeIsHonoured(t *testing.T) {
	for _, size := range []int{16 << 10, 100 << 10, 1 << 20, 8 << 20} {
		for _, s := range shapes {
			t.Run(strconv.Itoa(size)+" bytes, "+s.name, func(t *testing.T) {
				o := s.opts
				o.Seed, o.Size = int64(size), size
				log := loggen.Generate(o)
				assert.InEpsilon(t, size, len(log), 0.01)
				assert.True(t, bytes.HasSuffix(log, []byte("\n")), "a complete log ends with LF")
				assertEndsTheJob(t, log, o.Failed)
			})
		}
	}
}

func TestLinesAreExact(t *testing.T) {
	for _, lines := range []int{1, 7, 40, 200, 1000, 25000} {
		for _, s := range shapes {
			t.Run(strconv.Itoa(lines)+" lines, "+s.name, func(t *testing.T) {
				o := s.opts
				o.Seed, o.Lines = int64(lines), lines
				log := loggen.Generate(o)
				assert.Equal(t, lines, bytes.Count(log, []byte("\n")))
				assert.True(t, bytes.HasSuffix(log, []byte("\n")), "the last line ends with LF")
			})
		}
	}
}

func TestTooSmallATargetGivesAPrefixOfTheShortestJob(t *testing.T) {
	for _, s := range shapes {
		t.Run(s.name, func(t *testing.T) {
			shortest := loggen.Generate(s.opts)
			require.Greater(t, len(shortest), 1000, "precondition: the shortest job is a real log")
			assertEndsTheJob(t, shortest, s.opts.Failed)

			bySize := s.opts
			bySize.Size = 500
			assert.Equal(t, shortest[:500], loggen.Generate(bySize))

			byLines := s.opts
			byLines.Lines = 5
			log := loggen.Generate(byLines)
			assert.Equal(t, 5, bytes.Count(log, []byte("\n")))
			assert.True(t, bytes.HasPrefix(shortest, log))
		})
	}
}

// The package doc promises that Size and Lines only decide where the body
// stops: a running job can be served as a growing prefix of its final log.
func TestBodyDependsOnlyOnTheSeed(t *testing.T) {
	for _, s := range shapes {
		t.Run(s.name, func(t *testing.T) {
			small, big := s.opts, s.opts
			small.Size, big.Size = 1<<20, 3<<20
			a, b := loggen.Generate(small), loggen.Generate(big)
			common := len(a) - 100<<10 // the end of a: its last units and closing
			assert.Equal(t, a[:common], b[:common])
		})
	}
}

// Runner sections in the order gitlab-runner writes them (joblog.md §4).
func TestRunnerSectionsComeInOrderAndClose(t *testing.T) {
	want := []string{"prepare_executor", "prepare_script", "get_sources", "step_script", "after_script", "upload_artifacts_on_success", "cleanup_file_variables"}
	for _, s := range shapes {
		t.Run(s.name, func(t *testing.T) {
			o := s.opts
			o.Seed, o.Size = 3, 512<<10
			log := loggen.Generate(o)
			w := want
			if o.Failed {
				w = append(append([]string{}, want[:5]...), "upload_artifacts_on_failure", want[6])
			}
			var starts, ends []string
			for _, m := range runnerMarker.FindAllSubmatch(log, -1) {
				if !runnerSections[string(m[3])] {
					continue // a hostile marker imitating the runner's
				}
				if string(m[1]) == "start" {
					starts = append(starts, string(m[3]))
				} else {
					ends = append(ends, string(m[3]))
				}
			}
			assert.Equal(t, w, starts)
			assert.Equal(t, w, ends)
		})
	}
}

var runnerSections = map[string]bool{
	"prepare_executor": true, "prepare_script": true, "get_sources": true, "step_script": true, "after_script": true,
	"upload_artifacts_on_success": true, "upload_artifacts_on_failure": true, "cleanup_file_variables": true,
}

// runnerMarker matches markers as the runner writes them: no options.
var runnerMarker = regexp.MustCompile(`section_(start|end):(\d+):([a-z_]+)\r`)

// User sections are well nested and all closed in a log without hostile
// input; markers have exactly the form joblog.md §4 requires.
func TestUserSectionsAreWellFormedAndNested(t *testing.T) {
	for _, ts := range []bool{false, true} {
		t.Run("timestamps "+strconv.FormatBool(ts), func(t *testing.T) {
			log := loggen.Generate(loggen.Options{Seed: 11, Size: 4 << 20, Timestamps: ts})
			var stack []string
			var last int64
			sawCollapsed, sawHideDuration, sawScriptStep, depth := false, false, false, 0
			for _, m := range anyMarker.FindAllSubmatch(log, -1) {
				kind, name, opts := string(m[1]), string(m[3]), string(m[4])
				unix, err := strconv.ParseInt(string(m[2]), 10, 64)
				require.NoError(t, err)
				assert.GreaterOrEqual(t, unix, last, "marker times never go back")
				last = unix
				sawCollapsed = sawCollapsed || opts == "[collapsed=true]" || opts == "[collapsed=true,hide_duration=true]"
				sawHideDuration = sawHideDuration || opts == "[hide_duration=true]"
				sawScriptStep = sawScriptStep || opts == "[hide_duration=true,collapsed=true]"
				if kind == "start" {
					stack = append(stack, name)
					depth = max(depth, len(stack))
					continue
				}
				require.NotEmpty(t, stack, "end of %s with nothing open", name)
				assert.Equal(t, stack[len(stack)-1], name, "ends close the innermost section")
				stack = stack[:len(stack)-1]
			}
			assert.Empty(t, stack, "every section is closed")
			assert.True(t, sawCollapsed, "some user section is collapsed")
			assert.True(t, sawHideDuration, "some user section hides its duration")
			assert.True(t, sawScriptStep, "some FF_SCRIPT_SECTIONS step section")
			assert.GreaterOrEqual(t, depth, 3, "user sections nest inside step_script")
		})
	}
}

var anyMarker = regexp.MustCompile(`section_(start|end):(\d+):([A-Za-z0-9_.-]+)(\[[a-z_=,]+\])?\r`)

// joblog.md §5: every record starts with the 32-byte timestamper header;
// times never go back and start at Options.Start.
func TestTimestampsFollowTheRunnerFormat(t *testing.T) {
	start := time.Date(2026, 11, 25, 23, 59, 58, 0, time.UTC)
	log := loggen.Generate(loggen.Options{Seed: 5, Size: 1 << 20, Timestamps: true, Hostile: true, Start: start})
	header := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z [0-9a-f]{2}[OE][ +]`)
	prev := start
	continued := 0
	for i, line := range bytes.SplitAfter(log, []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		require.Truef(t, header.Match(line), "line %d has no header: %q", i+1, line[:min(len(line), 40)])
		ts, err := time.Parse("2006-01-02T15:04:05.000000Z", string(line[:27]))
		require.NoError(t, err)
		assert.False(t, ts.Before(prev), "line %d goes back in time", i+1)
		prev = ts
		if line[31] == '+' {
			continued++
		}
	}
	assert.NotEqual(t, start.YearDay(), prev.YearDay(), "the clock crossed midnight into a new date")
	assert.NotZero(t, continued, "CR-flushed writes produce '+' continuation records")
}

func TestContentLooksLikeARealJob(t *testing.T) {
	log := loggen.Generate(loggen.Options{Seed: 9, Size: 2 << 20})
	for _, c := range []struct{ what, text string }{
		{"the runner banner", "\x1b[0KRunning with gitlab-runner 17."},
		{"the docker executor header in bold cyan", "\x1b[36;1mPreparing the \"docker\" executor\x1b[0;m"},
		{"script echo lines in bold green", "\x1b[32;1m$ "},
		{"go test output", "--- PASS: Test"},
		{"256-colour SGR", "\x1b[38;5;12m"},
		{"24-bit SGR", "\x1b[38;2;"},
		{"a CR progress bar", "% |"},
		{"a red error", "\x1b[31;1mERROR: "},
		{"CRLF line ends", "\r\n"},
		{"the final result", "\x1b[32;1mJob succeeded\x1b[0;m\n"},
	} {
		assert.Truef(t, bytes.Contains(log, []byte(c.text)), "no %s (%q)", c.what, c.text)
	}
	assert.True(t, utf8.Valid(log), "without Hostile the log is valid UTF-8")
	assert.NotContains(t, string(log), "\x00")
	assert.NotContains(t, string(log), "\x1b]")
	long := 0
	for _, line := range bytes.Split(log, []byte("\n")) {
		long = max(long, len(line))
	}
	assert.Greater(t, long, 1000, "some long lines")
}

func TestHostileMixesInWhatAViewerMustSurvive(t *testing.T) {
	log := loggen.Generate(loggen.Options{Seed: 9, Size: 4 << 20, Hostile: true})
	for _, c := range []struct{ what, text string }{
		{"script markup", "<script>"},
		{"bidi override", "\u202e"},
		{"NUL", "\x00"},
		{"BEL", "\x07"},
		{"backspace", "\b"},
		{"an OSC 8 hyperlink", "\x1b]8;"},
		{"an unterminated CSI", "\x1b[31\n"},
		{"a marker with a bad name", ":bad$name\r"},
	} {
		assert.Truef(t, bytes.Contains(log, []byte(c.text)), "no %s (%q)", c.what, c.text)
	}
	assert.False(t, utf8.Valid(log), "some invalid UTF-8")
}

func TestHostileLogsHaveHugeLines(t *testing.T) {
	var w longestLine
	require.NoError(t, loggen.Write(&w, loggen.Options{Seed: 1, Size: 40 << 20, Hostile: true}))
	assert.Greater(t, w.longest, 64<<10, "some line over 64 KiB")
	assert.LessOrEqual(t, w.longest, 1<<20+64, "no line over 1 MiB")
}

// longestLine is an io.Writer measuring the longest line written to it.
type longestLine struct{ current, longest int }

func (l *longestLine) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			l.current += len(p)
			break
		}
		l.longest = max(l.longest, l.current+i)
		l.current, p = 0, p[i+1:]
	}
	return n, nil
}

func TestFailedJobsEndWithTheRunnersError(t *testing.T) {
	log := loggen.Generate(loggen.Options{Seed: 4, Lines: 3000, Failed: true})
	assertEndsTheJob(t, log, true)
	assert.Contains(t, string(log), "--- FAIL: ")
}

func assertEndsTheJob(t *testing.T, log []byte, failed bool) {
	t.Helper()
	end := "\x1b[32;1mJob succeeded\x1b[0;m\n"
	if failed {
		end = "\x1b[31;1mERROR: Job failed: exit code 1\x1b[0;m\n"
	}
	assert.True(t, bytes.HasSuffix(log, []byte("\x1b[0K"+end)), "log ends with %q, got %q", end, log[max(0, len(log)-60):])
}

// Goldens pin the exact bytes of a seed: the emulator's demo data and other
// packages' tests rely on a seed meaning the same log forever. Rewrite with
// go test ./internal/loggen -run Golden -update, and review the diff.
func TestGoldenLogs(t *testing.T) {
	for _, c := range []struct {
		file string
		opts loggen.Options
	}{
		{"plain-300-lines.log", loggen.Options{Seed: 1, Lines: 300}},
		{"timestamped-hostile-800-lines.log", loggen.Options{Seed: 24, Lines: 800, Timestamps: true, Hostile: true}},
		{"failed-12k.log", loggen.Options{Seed: 3, Size: 12 << 10, Failed: true, Start: time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)}},
	} {
		t.Run(c.file, func(t *testing.T) {
			path := filepath.Join("testdata", c.file)
			got := loggen.Generate(c.opts)
			if *update {
				require.NoError(t, os.WriteFile(path, got, 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, want, got)
		})
	}
}

func BenchmarkGenerate(b *testing.B) {
	for _, s := range shapes[:4] {
		b.Run(s.name, func(b *testing.B) {
			o := s.opts
			o.Size = 16 << 20
			log := loggen.Generate(o)
			// Reference in the same run: counting the output's lines.
			ref := timePerOp(func() { bytes.Count(log, []byte("\n")) })
			b.SetBytes(int64(o.Size))
			for b.Loop() {
				loggen.Generate(o)
			}
			b.ReportMetric(float64(ref)/(float64(b.Elapsed())/float64(b.N)), "x-vs-bytescount")
		})
	}
}

// timePerOp times f over at least 100 ms. (testing.Benchmark cannot be
// called from inside a benchmark: it waits for the lock the running
// benchmark holds.)
func timePerOp(f func()) time.Duration {
	start, n := time.Now(), 0
	for ; time.Since(start) < 100*time.Millisecond; n++ {
		f()
	}
	return time.Since(start) / time.Duration(n)
}
