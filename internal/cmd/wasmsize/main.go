// Command wasmsize prints the raw, gzip and brotli sizes of jobscope's wasm
// builds against a minimal go-app app built the same way in the same run
// (issue 4's budget: the viewer within 2x of the minimal app, brotli).
// `make bench` runs it; it builds into a temporary folder.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/jobscope/jobscope/internal/site"
)

// The builds compared, as `make wasm` and `make dist` build them.
var builds = []struct{ name, pkg string }{
	{"minimal go-app app (reference)", "./internal/pwabench/minimalapp/wasm"},
	{"jobscope site (wasm/)", "./wasm"},
	{"jobscope extension popup (extension/wasm)", "./extension/wasm"},
}

type size struct{ raw, gzip, brotli int }

func main() {
	dir, err := os.MkdirTemp("", "wasmsize")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(dir)

	var ref size
	fmt.Printf("%-44s %12s %12s %12s %9s\n", "wasm (GOOS=js, -trimpath -s -w)", "raw", "gzip -9", "brotli -q11", "x brotli")
	for i, b := range builds {
		s, err := measure(dir, b.pkg)
		if err != nil {
			fail(err)
		}
		if i == 0 {
			ref = s
		}
		fmt.Printf("%-44s %12d %12d %12d %8.2fx\n", b.name, s.raw, s.gzip, s.brotli, float64(s.brotli)/float64(ref.brotli))
	}
}

func measure(dir, pkg string) (size, error) {
	out := filepath.Join(dir, filepath.Base(pkg)+".wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, pkg)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return size{}, fmt.Errorf("build %s: %v\n%s", pkg, err, msg)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		return size{}, err
	}
	gz, err := site.Gzip(raw)
	if err != nil {
		return size{}, err
	}
	br, err := site.Brotli(raw)
	if err != nil {
		return size{}, err
	}
	return size{len(raw), len(gz), len(br)}, nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "wasmsize:", err)
	os.Exit(1)
}
