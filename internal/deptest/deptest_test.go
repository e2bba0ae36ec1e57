// Package deptest holds negative dependency tests: packages that must not
// reach certain others, each ban with its reason (after tailscale's
// tstest/deptest). They run `go list -deps`, so they see what the linker sees.
package deptest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type ban struct {
	dep    string // import path, or prefix ending in "/"
	reason string
}

var (
	// Everything under internal/ is plain Go, tested natively (design.md, style.md §2).
	browserFree = []ban{
		{"syscall/js", "browser code lives in wasm/, app/ and *_js.go adapters only"},
		{"github.com/maxence-charriere/go-app/", "components belong in app/"},
	}
	// The browser build must stay small (gitlab-api.md measured: net/http adds 0.86 MB brotli).
	wasmSmall = []ban{
		{"net/http", "adds 0.86 MB brotli to the wasm; the client uses fetch in the browser"},
		{"github.com/jobscope/jobscope/internal/gitlabfake", "the emulator is native-only"},
	}
)

func TestDeps(t *testing.T) {
	cases := []struct {
		name   string
		goos   string
		pkgs   []string
		banned []ban
	}{
		{"the log engine uses no browser API", "js", []string{"./internal/joblog"}, browserFree},
		{"the log engine stays small in the browser", "js", []string{"./internal/joblog"}, wasmSmall},
		{"the API client uses no browser API natively", "linux", []string{"./internal/gitlab"}, browserFree},
		{"the API client does not link net/http in the browser", "js", []string{"./internal/gitlab"}, wasmSmall},
		{"the browser entry point stays small", "js", []string{"./wasm"}, wasmSmall},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			deps := listDeps(t, tc.goos, tc.pkgs)
			if deps == nil {
				t.Skipf("%v not present yet", tc.pkgs)
			}
			for _, b := range tc.banned {
				for _, d := range deps {
					if d == b.dep || (strings.HasSuffix(b.dep, "/") && strings.HasPrefix(d, b.dep)) {
						assert.Failf(t, "banned dependency", "%v (GOOS=%s) depends on %s: %s", tc.pkgs, tc.goos, d, b.reason)
					}
				}
			}
		})
	}
}

// listDeps returns the transitive dependencies, or nil when a package does not exist yet.
func listDeps(t *testing.T, goos string, pkgs []string) []string {
	for _, p := range pkgs {
		if files, _ := filepath.Glob("../../" + strings.TrimPrefix(p, "./") + "/*.go"); len(files) == 0 {
			return nil
		}
	}
	args := append([]string{"list", "-deps", "-f", "{{.ImportPath}}"}, pkgs...)
	cmd := exec.Command("go", args...)
	cmd.Dir = "../.."
	cmd.Env = append(os.Environ(), "GOOS="+goos)
	if goos == "js" {
		cmd.Env = append(cmd.Env, "GOARCH=wasm")
	}
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go list: %s", out)
	return strings.Fields(string(out))
}
