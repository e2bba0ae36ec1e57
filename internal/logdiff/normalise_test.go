package logdiff

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The noise of docs/design.md §7, each pair two runs of the same line.
func TestNormaliseMakesRunsNoiseEqual(t *testing.T) {
	for _, tc := range []struct{ name, a, b, want string }{
		{"RFC 3339 timestamp", "at 2026-01-21T09:47:05.123456Z done", "at 2026-03-02T17:01:59.9Z done", "at <time> done"},
		{"timestamp with zone", "2026-01-21 09:47:05+01:00 start", "2026-01-22 10:00:00-0700 start", "<time> start"},
		{"clock", "[09:47:05] step", "[9:02:11.120] step", "[<time>] step"},
		{"duration", "ok  \tgitlab.com/a/b\t0.512s", "ok  \tgitlab.com/a/b\t12.004s", "ok  \tgitlab.com/a/b\t<dur>"},
		{"compound duration", "Finished in 1m23.456s", "Finished in 2h3m4s", "Finished in <dur>"},
		{"spelled duration", "took 12 seconds (340ms)", "took 3 seconds (1.2ms)", "took <dur> (<dur>)"},
		{"commit", "Checking out a6f3e01b as detached HEAD", "Checking out 19c0d2ee as detached HEAD", "Checking out <hex> as detached HEAD"},
		{"digest", "image sha256:0f3a9c" + "e1d2b4a5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3", "image sha256:" + "1111111111111111111111111111111111111111111111111111111111111111", "image sha0:<hex>"},
		{"uuid", "request 123e4567-e89b-12d3-a456-426614174000 failed", "request 00000000-aaaa-bbbb-cccc-dddddddddddd failed", "request <uuid> failed"},
		{"token", "  on docker-runner-3 t3_AbC9xyZ1, system ID: s_0a1b2c3d4e5f", "  on docker-runner-7 t3_QweRty12, system ID: s_9f8e7d6c5b4a", "  on docker-runner-0 <id>, system ID: s_<hex>"},
		{"runner name", "Running on runner-abcdef12-project-4242-concurrent-0 via host-3...", "Running on runner-3dibfq-project-4242-concurrent-3 via host-1...", "Running on runner-<id>-project-0-concurrent-0 via host-0..."},
		{"runner token", "  on ci-5-runner-docker-7 t3_3DIbFq, system ID: s_ab461285abe0", "  on ci-5-runner-docker-2 t3_abcdef, system ID: s_0123456789ab", "  on ci-0-runner-docker-0 <id>, system ID: s_<hex>"},
		{"temporary path", "wrote " + tempRoots[0] + "go-build123456/b001/exe/main: ok", "wrote " + tempRoots[0] + "go-build987/b001/exe/main: ok", "wrote <tmp>: ok"},
		{"macOS temporary path", `open "/var/folders/xy/abc/T/test1"`, `open "/var/folders/qq/zzz/T/test9"`, `open "<tmp>"`},
		{"port", "listening on 127.0.0.1:34567", "listening on 127.0.0.1:41001", "listening on 127.0.0.1:<port>"},
		{"port after host", "dial tcp [::1]:5432: refused", "dial tcp [::1]:15432: refused", "dial tcp [::1]:<port>: refused"},
		{"upload", `Uploading artifacts as "archive" to coordinator... 201 Created  id=8878738900 responseStatus=201 Created token=3dibfq`, `Uploading artifacts as "archive" to coordinator... 201 Created  id=8878741234 responseStatus=201 Created token=glcbt-64_AbC`, `Uploading artifacts as "archive" to coordinator... 201 Created  id=<n> responseStatus=201 Created token=<id>`},
		{"percentage", "Downloading 45% done", "Downloading 100% done", "Downloading <pct> done"},
		{"build directory counter", "go-build123456", "go-build42", "go-build0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := string(Normalise(nil, []byte(tc.a))), string(Normalise(nil, []byte(tc.b)))
			assert.Equal(t, tc.want, a)
			assert.Equal(t, tc.want, b)
		})
	}
}

// What a failure says must survive normalising: two lines that differ in it
// stay different.
func TestNormaliseKeepsWhatAFailureSays(t *testing.T) {
	for _, tc := range []struct{ name, a, b string }{
		{"exit code", "ERROR: Job failed: exit code 1", "ERROR: Job failed: exit code 2"},
		{"assertion", "    parse_test.go:88: got 3 lines, want 4", "    parse_test.go:88: got 4 lines, want 4"},
		{"file line", "make: *** [Makefile:42: test] Error 1", "make: *** [Makefile:43: test] Error 1"},
		{"test name", "--- FAIL: TestParseHeader (0.04s)", "--- PASS: TestParseHeader (0.04s)"},
		{"word", "Job succeeded", "Job failed"},
		{"short number", "retry 3 of 5", "retry 4 of 5"},
		{"short hex word", "status deadbee", "status cafe"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.NotEqual(t, string(Normalise(nil, []byte(tc.a))), string(Normalise(nil, []byte(tc.b))))
		})
	}
}

func TestNormaliseKeepsPlainTextAsItIs(t *testing.T) {
	for _, s := range []string{"", "Job succeeded", "$ make test", "FAIL", "--- FAIL: TestParse", "naïve café ✓", "a/b/c.go:12:3: undefined: x", "exit code 1"} {
		assert.Equal(t, s, string(Normalise(nil, []byte(s))), s)
	}
}
