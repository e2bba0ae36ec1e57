// Package extbuild writes jobscope's browser extension packages: the
// unpacked folders dist/extension/chromium and dist/extension/firefox and
// the store zips dist/jobscope-chromium.zip and dist/jobscope-firefox.zip.
//
// The pages are the static site's (package site: go-app's shell, the
// viewer's stylesheet and icons, minified) around the extension's own wasm
// (extension/wasm), changed for an extension:
//
//   - popup.html is the site's entry page with popup.js (package extension)
//     loaded first and popup.css added; the PWA's web manifest and install
//     links are dropped;
//   - go-app's app.js no longer registers its service worker: an extension
//     page may not (the manifest's background is the only worker, and a
//     second registration fails), and the package needs no offline cache;
//   - manifest.json comes from one Manifest struct for both browsers, with
//     the version of extension.Version; icons are the site's, scaled.
//
// It is a native tool; internal/cmd/extbuild is its command line (`make dist`).
package extbuild

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/jobscope/jobscope/extension"
	"github.com/jobscope/jobscope/internal/site"
)

// PopupPage is the popup's file, relative to the package root.
const PopupPage = "popup.html"

// Options say what to build.
type Options struct {
	// Wasm is the extension's wasm, built from ./extension/wasm.
	Wasm string
	// WebDir is the site's asset folder (web/).
	WebDir string
	// Dist is the output folder: Dist/extension/<browser>/ and
	// Dist/jobscope-<browser>.zip are replaced.
	Dist string
	// Key, when set, is written as the Chromium manifest's key, which fixes
	// the extension id of an unpacked load (tests). Store packages have none.
	Key string
	// NoZip skips the zips (tests).
	NoZip bool
}

// Dir is the unpacked package of b under dist.
func Dir(dist string, b Browser) string { return filepath.Join(dist, "extension", string(b)) }

// Zip is the store package of b under dist.
func Zip(dist string, b Browser) string {
	return filepath.Join(dist, "jobscope-"+string(b)+".zip")
}

// siteFiles are the files of the built site the extension keeps; the rest
// (other entry pages, 404.html, the service worker, the web manifest, .br
// and .gz) has no use in a package.
var siteFiles = []string{"app.js", "app.css", "wasm_exec.js"}

// Build writes both packages.
func Build(o Options) error {
	// The site is staged at a fixed place under Dist: site.Build's version
	// hash includes the folder's path, so a random temporary folder would
	// change app.js, and the zips, on every build.
	stage := filepath.Join(o.Dist, "extension", "site")
	if err := os.RemoveAll(stage); err != nil {
		return err
	}
	defer os.RemoveAll(stage)
	wasm, err := os.ReadFile(o.Wasm)
	if err != nil {
		return fmt.Errorf("extbuild: the extension wasm (build ./extension/wasm first): %w", err)
	}
	if err := os.MkdirAll(filepath.Join(stage, "web"), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(stage, "web", "app.wasm"), wasm, 0o644); err != nil {
		return err
	}
	// Extension pages may call what the site may (any https origin, loopback
	// over http), as the manifest's CSP says too.
	if err := site.Build(site.Options{Dir: stage, WebDir: o.WebDir, Prefix: "/"}); err != nil {
		return fmt.Errorf("extbuild: %w", err)
	}
	files, err := packageFiles(stage)
	if err != nil {
		return err
	}
	for _, b := range Browsers {
		m := NewManifest(b)
		if b == Chromium {
			m.Key = o.Key
		}
		mj, err := m.JSON()
		if err != nil {
			return err
		}
		dir := Dir(o.Dist, b)
		if err := writeDir(dir, files, mj); err != nil {
			return fmt.Errorf("extbuild: %s: %w", b, err)
		}
		if !o.NoZip {
			if err := writeZip(Zip(o.Dist, b), dir); err != nil {
				return fmt.Errorf("extbuild: %s zip: %w", b, err)
			}
		}
	}
	return nil
}

// packageFiles reads the built site and returns every file of the package
// but the manifest, by slash path.
func packageFiles(stage string) (map[string][]byte, error) {
	files := map[string][]byte{}
	read := func(rel string) ([]byte, error) { return os.ReadFile(filepath.Join(stage, filepath.FromSlash(rel))) }
	for _, f := range siteFiles {
		b, err := read(f)
		if err != nil {
			return nil, fmt.Errorf("extbuild: the site has no %s: %w", f, err)
		}
		files[f] = b
	}
	web, err := os.ReadDir(filepath.Join(stage, "web"))
	if err != nil {
		return nil, err
	}
	for _, e := range web {
		if ext := filepath.Ext(e.Name()); e.IsDir() || ext == ".br" || ext == ".gz" {
			continue
		}
		b, err := read("web/" + e.Name())
		if err != nil {
			return nil, err
		}
		files["web/"+e.Name()] = b
	}
	appJS, err := withoutServiceWorker(files["app.js"])
	if err != nil {
		return nil, err
	}
	files["app.js"] = appJS
	index, err := read("index.html")
	if err != nil {
		return nil, err
	}
	popup, err := popupHTML(index)
	if err != nil {
		return nil, err
	}
	files[PopupPage] = popup
	err = fs.WalkDir(extension.Assets, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(extension.Assets, p)
		files[p] = b
		return err
	})
	if err != nil {
		return nil, err
	}
	icons, err := scaledIcons(files["web/icon-512.png"])
	if err != nil {
		return nil, err
	}
	for size, png := range icons {
		files[iconPath(size)] = png
	}
	return files, nil
}

func iconPath(size int) string { return "icons/icon-" + itoa(size) + ".png" }

func itoa(n int) string { return strconv.Itoa(n) }

// writeDir replaces dir with files and manifest.json.
func writeDir(dir string, files map[string][]byte, manifest []byte) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	all := map[string][]byte{"manifest.json": manifest}
	for k, v := range files {
		all[k] = v
	}
	for rel, b := range all {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
