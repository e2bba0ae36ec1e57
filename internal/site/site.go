// Package site builds jobscope's static website: go-app's generated shell
// (one HTML entry page per fixed route, app.js), jobscope's own service worker
// and web manifest in place of go-app's (pwa.go: they honour the path prefix
// and cache the whole release for offline use), the wasm built by `make
// wasm`, the stylesheet and icons from web/, all minified and precompressed
// (.br and .gz beside each file), under any path prefix chosen at build time.
// No server code is involved: any static host serves the result.
//
// It is a native tool (it imports go-app's server half); internal/cmd/buildsite is
// its command line, run by `make build`.
package site

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/jobscope/jobscope/app"
	"github.com/jobscope/jobscope/internal/account"
	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Options says what to build and where.
type Options struct {
	// Dir is the output folder, e.g. dist/site. Its web/app.wasm must already
	// exist (make wasm writes it); everything else in Dir is replaced.
	Dir string
	// WebDir holds the stylesheet and other assets copied to Dir/web.
	WebDir string
	// Prefix is the path the site is served under, with leading and trailing
	// slash: "/" (the default) or "/tools/jobscope/".
	Prefix string
	// ConnectSrc lists the origins the page may call besides its own (the
	// CSP's connect-src). Empty means DefaultConnectSrc.
	ConnectSrc []string
	// Compress writes .br and .gz beside each asset. Browser tests turn it off
	// to save time; releases keep it on.
	Compress bool
}

// ErrNoWasm is returned when Dir/web/app.wasm is missing: run `make wasm`.
var ErrNoWasm = errors.New("site: web/app.wasm is missing (build it with make wasm)")

var registerRoutes sync.Once

// Build writes the site described by o. It may be called more than once in a
// process; go-app's routes are registered on the first call.
func Build(o Options) error {
	if o.Prefix == "" {
		o.Prefix = "/"
	}
	if !strings.HasPrefix(o.Prefix, "/") || !strings.HasSuffix(o.Prefix, "/") {
		return fmt.Errorf("site: prefix %q must start and end with /", o.Prefix)
	}
	wasmPath := filepath.Join(o.Dir, "web", "app.wasm")
	wasm, err := os.Stat(wasmPath)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNoWasm, err)
	}
	if err := cleanExcept(o.Dir, wasmPath); err != nil {
		return err
	}
	if err := copyDir(o.WebDir, filepath.Join(o.Dir, "web")); err != nil {
		return fmt.Errorf("site: copy web assets: %w", err)
	}
	if err := writeIcons(filepath.Join(o.Dir, "web")); err != nil {
		return fmt.Errorf("site: icons: %w", err)
	}
	assets, err := versionOf(o.Dir)
	if err != nil {
		return err
	}
	version := releaseVersion(assets, o.Prefix)
	registerRoutes.Do(func() { app.Routes(app.NewEnv(&account.MemoryKV{})) })
	h := handler(o, version, wasm.Size())
	if err := ui.GenerateStaticWebsite(o.Dir, h, app.EntryPages...); err != nil {
		return fmt.Errorf("site: generate: %w", err)
	}
	// Deep links (/projects/<p>/-/jobs/<id>) have no file: hosts such as
	// GitLab Pages and `try_files ... /404.html` serve 404.html for them, and
	// it is the same shell, so go-app routes from there.
	if err := copyFile(filepath.Join(o.Dir, "index.html"), filepath.Join(o.Dir, "404.html")); err != nil {
		return fmt.Errorf("site: 404 page: %w", err)
	}
	if err := writeManifest(o.Dir, o.Prefix, h); err != nil {
		return fmt.Errorf("site: manifest: %w", err)
	}
	if err := writeWorker(o.Dir, o.Prefix, version); err != nil {
		return err
	}
	if err := minifyDir(o.Dir); err != nil {
		return err
	}
	if o.Compress {
		return compressDir(o.Dir)
	}
	return nil
}

// handler is the go-app configuration of the site.
func handler(o Options, version string, wasmSize int64) *ui.Handler {
	return &ui.Handler{
		Name:            "jobscope",
		ShortName:       "jobscope",
		Title:           "jobscope",
		Description:     "GitLab CI jobs and logs, fast, on any device.",
		Lang:            "en",
		LoadingLabel:    "Loading jobscope… {progress}%",
		BackgroundColor: "#18171d",
		ThemeColor:      "#1f69c2",
		Icon: ui.Icon{ // local: go-app's defaults are remote
			Default:  "/web/icon-192.png",
			Large:    "/web/icon-512.png",
			Maskable: "/web/icon-maskable-512.png",
			SVG:      "/web/icon.svg",
		},
		Styles:            []string{"/web/app.css", "/web/log.css"},
		RawHeaders:        []string{cspMeta(o.ConnectSrc)},
		Resources:         ui.PrefixedLocation(o.Prefix),
		Version:           version,
		WasmContentLength: strconv.FormatInt(wasmSize, 10),
		// The static site is served with .br or .gz by the host; the raw length
		// above drives go-app's loading progress.
	}
}

// versionOf hashes the wasm and web assets (names and bytes), so a new
// release gets a new service worker cache and the same one does not.
func versionOf(dir string) (string, error) {
	sum := sha256.New()
	err := filepath.WalkDir(filepath.Join(dir, "web"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		// The path relative to the site, so the same release built in
		// another folder gets the same version.
		rel, _ := filepath.Rel(dir, p)
		io.WriteString(sum, filepath.ToSlash(rel)+"\x00")
		_, err = io.Copy(sum, f)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("site: version: %w", err)
	}
	return hex.EncodeToString(sum.Sum(nil))[:16], nil
}

// cleanExcept empties dir except the file keep.
func cleanExcept(dir, keep string) error {
	return filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case p == dir:
			return nil
		case d.IsDir() && strings.HasPrefix(keep, p+string(filepath.Separator)):
			return nil
		case p == keep:
			return nil
		}
		if err := os.RemoveAll(p); err != nil {
			return err
		}
		if d.IsDir() {
			return filepath.SkipDir
		}
		return nil
	})
}

func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		return copyFile(p, filepath.Join(dst, rel))
	})
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}
