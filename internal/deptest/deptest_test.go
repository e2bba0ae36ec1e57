// Package deptest holds negative dependency tests: packages that must not
// reach certain others, each ban with its reason (after tailscale's
// tstest/deptest). They run `go list -deps`, so they see what the build sees.
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

const module = "github.com/jobscope/jobscope/"

type ban struct {
	dep    string // import path, or a prefix ending in "/": that path and every one under it
	reason string
}

func (b ban) matches(path string) bool {
	return path == b.dep || (strings.HasSuffix(b.dep, "/") && (strings.HasPrefix(path, b.dep) || path == strings.TrimSuffix(b.dep, "/")))
}

var (
	// Everything under internal/ is plain Go, tested natively (design.md, style.md §2).
	browserFree = []ban{
		{"syscall/js", "browser code lives in wasm/, app/ and *_js.go adapters only"},
		{"github.com/maxence-charriere/go-app/", "components belong in app/"},
	}
	// The browser build must stay small: measured, net/http adds 0.86 MB brotli
	// to a go-app wasm. go-app itself imports net/http, but only for types the
	// linker drops, so the ban is on our own packages importing it.
	wasmSmall = []ban{
		{"net/http", "adds 0.86 MB brotli to the wasm; the client uses fetch in the browser"},
		{module + "internal/gitlabfake/", "the emulator (and its OAuth provider) is native-only"},
	}
)

func TestDeps(t *testing.T) {
	cases := []struct {
		name   string
		goos   string
		pkg    string
		banned []ban
		direct bool // check only what our own packages import directly
	}{
		{"the log engine uses no browser API", "linux", "./internal/joblog", browserFree, false},
		{"the log row builder uses no browser API", "linux", "./internal/logrow", browserFree, false},
		{"the log row builder stays small in the browser", "js", "./internal/logrow", wasmSmall, false},
		{"the log engine stays small in the browser", "js", "./internal/joblog", wasmSmall, false},
		{"the API client uses no browser API natively", "linux", "./internal/gitlab", browserFree, false},
		{"the API client does not link net/http in the browser", "js", "./internal/gitlab", wasmSmall, false},
		{"the OAuth flow uses no browser API natively", "linux", "./internal/oauth", browserFree, false},
		{"the OAuth flow does not link net/http or the emulator in the browser", "js", "./internal/oauth", wasmSmall, false},
		{"the polling loop uses no browser API", "linux", "./internal/poll", browserFree, false},
		{"the polling loop stays small in the browser", "js", "./internal/poll", wasmSmall, false},
		{"the words use no browser API", "linux", "./internal/words", browserFree, false},
		{"the words stay small in the browser", "js", "./internal/words", wasmSmall, false},
		{"accounts and settings use no browser API natively", "linux", "./internal/account", browserFree, false},
		{"accounts and settings stay small in the browser", "js", "./internal/account", wasmSmall, false},
		{"offline copies use no browser API natively", "linux", "./internal/offline", browserFree, false},
		{"offline copies stay small in the browser", "js", "./internal/offline", wasmSmall, false},
		{"watching uses no browser API natively", "linux", "./internal/watch", browserFree, false},
		{"watching stays small in the browser", "js", "./internal/watch", wasmSmall, false},
		{"signing in uses no browser API natively", "linux", "./internal/signin", browserFree, false},
		{"signing in stays small in the browser", "js", "./internal/signin", wasmSmall, false},
		{"the extension's sign-in record uses no browser API natively", "linux", "./extension/signin", browserFree, false},
		{"the extension's sign-in stays small in the browser", "js", "./extension/signin", wasmSmall, false},
		{"the extension's storage stays small in the browser", "js", "./extension/storage", wasmSmall, false},
		{"no package of ours in the browser app imports net/http or the emulator", "js", "./wasm", wasmSmall, true},
		{"no package of ours in the extension popup imports net/http or the emulator", "js", "./extension/wasm", wasmSmall, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pkgs := listDeps(t, tc.goos, tc.pkg)
			if pkgs == nil {
				t.Skipf("%s not present yet", tc.pkg)
			}
			for path, imports := range pkgs {
				deps := []string{path}
				if tc.direct {
					if !strings.HasPrefix(path, module) {
						continue
					}
					deps = imports
				}
				for _, b := range tc.banned {
					for _, d := range deps {
						if b.matches(d) {
							assert.Failf(t, "banned dependency", "%s (GOOS=%s) reaches %s via %s: %s", tc.pkg, tc.goos, d, path, b.reason)
						}
					}
				}
			}
		})
	}
}

// listDeps maps each transitive dependency of pkg to its direct imports, or
// returns nil when pkg does not exist yet.
func listDeps(t *testing.T, goos, pkg string) map[string][]string {
	if files, _ := filepath.Glob("../../" + strings.TrimPrefix(pkg, "./") + "/*.go"); len(files) == 0 {
		return nil
	}
	cmd := exec.Command("go", "list", "-deps", "-f", `{{.ImportPath}} {{join .Imports " "}}`, pkg)
	cmd.Dir = "../.."
	cmd.Env = append(os.Environ(), "GOOS="+goos)
	if goos == "js" {
		cmd.Env = append(cmd.Env, "GOARCH=wasm")
	}
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go list: %s", out)
	deps := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		deps[fields[0]] = fields[1:]
	}
	return deps
}
