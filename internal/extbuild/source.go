package extbuild

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// SourceZip is the source package under dist: what Mozilla's reviewers
// (addons.mozilla.org) need to rebuild the generated and minified files of
// the Firefox package (the wasm, app.js, wasm_exec.js) themselves.
func SourceZip(dist string) string { return filepath.Join(dist, "jobscope-source.zip") }

// sourceRoots are what a rebuild reads: the module, its Makefile and
// README, and the docs the code cites. Build output (dist/, bin/) and
// dot-folders (.git, .ci) are not sources.
var sourceRoots = []string{"go.mod", "go.sum", "Makefile", "README.md", "app", "docs", "extension", "internal", "wasm", "web"}

// SourceReadme is the package's first file, REBUILD.md: how to rebuild.
const SourceReadme = `# jobscope: rebuilding the browser extension from this source

This is the source of the Firefox and Chromium packages of jobscope, built by
` + "`make dist`" + ` from exactly these files.

1. Install Go 1.26.8 (https://go.dev/dl/), the version go.mod names; any
   newer Go fetches that toolchain itself (GOTOOLCHAIN=auto).
2. Unzip this package into an empty folder and run, in it:

       make dist

   (or, without make, the two commands of the Makefile's dist target).
   Go modules come from proxy.golang.org, checked against go.sum.
3. dist/jobscope-firefox.zip is byte-identical to the package submitted:
   builds use -trimpath, GOFLAGS=-buildvcs=false, fixed zip times and
   sorted entries, so neither the folder nor the date changes a byte.

What is generated: dist/extension/app.wasm (Go compiled to WebAssembly,
./extension/wasm), app.js (go-app's loader, from the go-app module),
wasm_exec.js (from the Go distribution), popup.html and app.css (built
and minified by internal/site and internal/extbuild).
`

// WriteSource zips the sources under root into path: REBUILD.md first,
// then every file of sourceRoots, sorted, with fixed times (the same tree gives
// the same bytes).
func WriteSource(root, path string) error {
	files := map[string][]byte{"REBUILD.md": []byte(SourceReadme)}
	for _, r := range sourceRoots {
		err := filepath.WalkDir(filepath.Join(root, r), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if d.IsDir() {
				// As the go tool: _ and . folders are not the module's
				// (npm trees, editors' state).
				if p != filepath.Join(root, r) && (strings.HasPrefix(name, "_") || strings.HasPrefix(name, ".") || name == "node_modules") {
					return filepath.SkipDir
				}
				return nil
			}
			if strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".test") || strings.HasSuffix(name, ".prof") || !d.Type().IsRegular() {
				return nil
			}
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			b, err := os.ReadFile(p)
			files[filepath.ToSlash(rel)] = b
			return err
		})
		if err != nil {
			return fmt.Errorf("extbuild: source: %w", err)
		}
	}
	names := make([]string, 0, len(files))
	for n := range files {
		if n != "REBUILD.md" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	names = append([]string{"REBUILD.md"}, names...) // what to read first
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Deflate, Modified: zipTime})
		if err != nil {
			return err
		}
		if _, err := w.Write(files[n]); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}
