// Package loggen generates realistic GitLab CI job logs: raw traces as a
// gitlab-runner sends them to GitLab, for tests, benchmarks and the emulator.
//
// A log is a docker-executor job: the runner's preamble in bold cyan and
// green, runner sections (prepare_executor, prepare_script, get_sources,
// step_script, after_script, upload_artifacts_on_success or _on_failure,
// cleanup_file_variables) with `section_start:<unix>:<name>\r\e[0K` markers
// (joblog.md §4), script output of Go, Rust, Node and Docker builds with 8/16,
// 256 and 24-bit colours, `\r` progress bars, long lines, warnings and errors,
// nested user sections (some `[collapsed=true]`, some `[hide_duration=true]`),
// and a final "Job succeeded" or "ERROR: Job failed: exit code 1". With
// Options.Timestamps every record carries the runner's FF_TIMESTAMPS prefix
// (joblog.md §5); with Options.Hostile the script output also carries the
// bytes a log viewer must survive.
//
// Output is a pure function of Options: the same Options give the same bytes
// on every platform and Go version (the generator has its own PRNG).
//
// # Running jobs
//
// The body of a log depends only on Seed, Timestamps, Start and Hostile; Size
// and Lines only decide where the body stops and the closing sections begin.
// To make a running job's log grow, generate its final log once and serve a
// growing prefix of it, log[:n] with n increasing over time. Any n is
// realistic: between two polls GitLab may hold a trace cut mid-line, mid-escape
// sequence or mid-rune, which is what a log viewer must cope with.
package loggen

import (
	"io"
	"time"
)

// Options describe the log to generate. The zero value gives the shortest
// complete job log (preamble and closing sections, no script body).
type Options struct {
	Seed int64
	// Size is the approximate length in bytes (within 1% above a few KiB;
	// in practice within a few bytes). 0 means Lines decides.
	Size int
	// Lines is the exact number of physical lines (LF bytes; the log ends
	// with an LF), used when Size is 0.
	Lines int
	// Timestamps prefixes every record with the runner's FF_TIMESTAMPS
	// header (joblog.md §5): 27-byte UTC timestamp, space, stream number in
	// hex, O or E, then space (new line) or + (continues the previous record).
	Timestamps bool
	// Start is the job start: timestamps and section marker times derive
	// from it. The zero Time means 2026-01-21T09:47:05Z.
	Start time.Time
	// Hostile mixes in bytes a viewer must survive: HTML and script text,
	// bidi controls, invalid UTF-8, NUL/BEL/BS, unterminated escapes, OSC
	// sequences, malformed section markers and huge lines.
	Hostile bool
	// Failed ends the job with "ERROR: Job failed: exit code 1" (and failing
	// tests before it) instead of "Job succeeded".
	Failed bool
}

// Generate returns the log described by opts. A Size or Lines too small
// for the preamble plus the closing sections gives the first Size bytes (or
// Lines lines) of the shortest complete log, like a running job's first poll.
func Generate(opts Options) []byte {
	g := newGenerator(opts, nil)
	if opts.Size > 0 {
		g.buf = make([]byte, 0, opts.Size+opts.Size/64+4096)
	}
	g.run()
	return g.buf
}

// Write streams the log described by opts to w in chunks of about 64 KiB,
// without holding the whole log in memory. It returns the first error from w.
func Write(w io.Writer, opts Options) error {
	g := newGenerator(opts, w)
	g.run()
	g.flush()
	return g.err
}
