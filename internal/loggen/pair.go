package loggen

import (
	"bytes"
	"strconv"
	"strings"
	"time"
)

// Pair is two runs of one job: Green passed, then Red, a day later on
// another runner of the same fleet, failed.
type Pair struct {
	Green, Red []byte
	// Failure holds byte offsets in Red, one in each line the failure
	// wrote or changed (at the text it wrote) (a test's FAIL and its assertion, the package's
	// FAIL, make's error, the failed job's upload header and the runner's
	// "ERROR: Job failed"): what a comparison must mark as new.
	Failure []int64
}

// GreenRed returns a passing run of the job opts describes (Failed is
// ignored) and a failing run of the same job started at redStart (zero: a
// day and 17 minutes after the green one). The two logs hold the same
// commands and output; what differs is a realistic failure and the noise
// of another run: every time (Start moves on by a day), every duration,
// hex ids (commit, image digest, system ID), the runner's instance
// number and token, the job id. A pure function of opts.
func GreenRed(opts Options, redStart time.Time) Pair {
	opts.Failed = false
	start := opts.Start
	if start.IsZero() {
		start = defaultStart
	}
	green := Generate(opts)
	redOpts := opts
	redOpts.Start = redStart
	if redStart.IsZero() {
		redOpts.Start = start.Add(26*time.Hour + 17*time.Minute + 3*time.Second)
	}
	red := Generate(redOpts)

	r := rng{s: uint64(opts.Seed)*0x2545f4914f6cdd1d + 0x9e3779b97f4a7c15}
	g := newGenerator(opts, nil)
	red = rerun(&r, &g.job, red)
	red, failure := fail(&r, &g.job, red, opts.Timestamps)
	return Pair{Green: green, Red: red, Failure: failure}
}

// rerun gives a log the noise of another run: the job's facts replaced
// (runner instance and token, commit, system ID, job id, image), then
// every duration and every other hex word redrawn.
func rerun(r *rng, j *job, log []byte) []byte {
	// Another instance of the same fleet: each number after a dash redrawn
	// (blue-4.saas-…/default-3 becomes blue-7.saas-…/default-1).
	host := []byte(j.runnerHost)
	for i := 1; i < len(host); i++ {
		if host[i-1] == '-' && host[i] >= '0' && host[i] <= '9' {
			for k := i; k < len(host) && host[k] >= '0' && host[k] <= '9'; k++ {
				host[k] = byte('0' + r.between(1, 9))
			}
		}
	}
	token := "t3_" + r.alnum(6)
	jobID, _ := strconv.Atoi(j.jobID)
	for _, rep := range [][2]string{
		{j.runnerHost, string(host)},
		{j.runnerToken, token},
		{"runner-" + strings.ToLower(j.runnerToken[3:]), "runner-" + strings.ToLower(token[3:])},
		{"token=" + j.runnerToken[3:], "token=" + token[3:]},
		{"id=" + j.jobID, "id=" + strconv.Itoa(jobID+r.between(1, 5000))},
		{j.systemID, "s_" + r.hex(12)},
		{j.imageDigest, r.hex(64)},
		{j.imageID, r.hex(64)},
		{j.commit, r.hex(8)},
	} {
		log = bytes.ReplaceAll(log, []byte(rep[0]), []byte(rep[1]))
	}
	return redrawDurations(r, log)
}

// redrawDurations replaces the digits of every number directly followed by
// "s" or "ms" (and no letter) with random digits, keeping its length.
func redrawDurations(r *rng, log []byte) []byte {
	out := make([]byte, 0, len(log))
	for i := 0; i < len(log); {
		c := log[i]
		if c < '0' || c > '9' || i > 0 && (isASCIILetter(log[i-1]) || log[i-1] >= '0' && log[i-1] <= '9' || log[i-1] == '.') {
			out = append(out, c)
			i++
			continue
		}
		j := i
		for j < len(log) && (log[j] >= '0' && log[j] <= '9' || log[j] == '.' && j+1 < len(log) && log[j+1] >= '0' && log[j+1] <= '9') {
			j++
		}
		u := 0
		switch {
		case bytes.HasPrefix(log[j:], []byte("ms")):
			u = 2
		case bytes.HasPrefix(log[j:], []byte("s")):
			u = 1
		}
		if u == 0 || j+u < len(log) && isASCIILetter(log[j+u]) {
			out = append(out, log[i:j]...)
			i = j
			continue
		}
		for k := i; k < j; k++ {
			if log[k] == '.' {
				out = append(out, '.')
			} else {
				out = append(out, byte('0'+r.intn(10)))
			}
		}
		i = j
	}
	return out
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// fail turns a passing log into its failing run: one test of the body fails
// (its PASS becomes FAIL after an assertion, its package's ok line a FAIL),
// make reports the error before after_script, the artifacts go up as a
// failed job's and the runner ends with "ERROR: Job failed: exit code 1".
// It returns the log and the byte offsets of the failure's lines.
func fail(r *rng, j *job, log []byte, timestamps bool) ([]byte, []int64) {
	lines := bytes.SplitAfter(log, []byte("\n"))
	prefix := func(l []byte) []byte {
		if timestamps && len(l) >= 32 {
			p := append([]byte(nil), l[:32]...)
			p[31] = ' '
			return p
		}
		return nil
	}
	var out [][]byte
	var failure [][2]int // index into out, offset in that line of the failure's text
	// mark adds a failure line; what is the text the failure wrote.
	mark := func(l []byte, what string) {
		failure = append(failure, [2]int{len(out), max(bytes.Index(l, []byte(what)), 0)})
		out = append(out, l)
	}

	var passes []int
	for i, l := range lines {
		if bytes.Contains(l, []byte("--- PASS: ")) {
			passes = append(passes, i)
		}
	}
	failAt := -1
	if len(passes) > 0 {
		failAt = passes[r.intn(len(passes))]
	}
	pkgFailed := false
	for i, l := range lines {
		switch {
		case i == failAt:
			p := prefix(l)
			file := strings.ToLower(pick(r, testNouns)) + "_test.go:" + strconv.Itoa(r.between(20, 400))
			mark(append(p[:len(p):len(p)], "    "+file+": "+pick(r, failureMessages)+"\n"...), file)
			mark(bytes.Replace(l, []byte("--- PASS: "), []byte("--- FAIL: "), 1), "--- FAIL: ")
			pkgFailed = true
		case pkgFailed && bytes.Contains(l, []byte("ok  \t")):
			p := prefix(l)
			mark(append(p[:len(p):len(p)], "FAIL\n"...), "FAIL")
			mark(bytes.Replace(l, []byte("ok  \t"), []byte("FAIL\t"), 1), "FAIL\t")
			pkgFailed = false
		case endsSection(l, "step_script"):
			// make's error goes before step_script's end.
			p := prefix(l)
			mark(append(p[:len(p):len(p)], "make: *** [Makefile:42: test] Error 1\n"...), "make")
			out = append(out, l)
		case bytes.Contains(l, []byte("Uploading artifacts for successful job")):
			l = bytes.Replace(l, []byte("Uploading artifacts for successful job"), []byte("Uploading artifacts for failed job"), 1)
			mark(bytes.ReplaceAll(l, []byte("upload_artifacts_on_success"), []byte("upload_artifacts_on_failure")), "Uploading")
		case bytes.Contains(l, []byte("upload_artifacts_on_success")):
			out = append(out, bytes.ReplaceAll(l, []byte("upload_artifacts_on_success"), []byte("upload_artifacts_on_failure")))
		case bytes.Contains(l, []byte("Job succeeded")):
			mark(bytes.Replace(l, []byte(ansiBoldGreen+"Job succeeded"), []byte(ansiBoldRed+"ERROR: Job failed: exit code 1"), 1), "ERROR")
		default:
			out = append(out, l)
		}
	}
	var offs []int64
	var b []byte
	k := 0
	for i, l := range out {
		if k < len(failure) && failure[k][0] == i {
			offs = append(offs, int64(len(b)+failure[k][1]))
			k++
		}
		b = append(b, l...)
	}
	return b, offs
}

// endsSection reports whether line l holds the end marker of section name.
func endsSection(l []byte, name string) bool {
	i := bytes.Index(l, []byte("section_end:"))
	if i < 0 {
		return false
	}
	rest := l[i+len("section_end:"):]
	for len(rest) > 0 && rest[0] >= '0' && rest[0] <= '9' {
		rest = rest[1:]
	}
	return bytes.HasPrefix(rest, []byte(":"+name+"\r"))
}

var failureMessages = []string{
	"got 3 lines, want 4",
	"unexpected status 500 Internal Server Error",
	`section "build" not closed at end of log`,
	"context deadline exceeded while waiting for runner",
	"expected no error, got: open testdata/golden.json: no such file or directory",
}
