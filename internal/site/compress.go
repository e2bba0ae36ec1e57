package site

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/andybalholm/brotli"
	"golang.org/x/sync/errgroup"
)

// compressDir writes name.br and name.gz beside every file under dir (both at
// their best level: this runs once per release, and the wasm dominates every
// first visit). Files that would not shrink, such as PNGs, are left alone.
func compressDir(dir string) error {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".br") || strings.HasSuffix(p, ".gz") {
			return err
		}
		if filepath.Ext(p) != ".png" {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, p := range files {
		g.Go(func() error { return compressFile(p) })
	}
	return g.Wait()
}

func compressFile(p string) error {
	raw, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	br, err := Brotli(raw)
	if err != nil {
		return fmt.Errorf("site: brotli %s: %w", p, err)
	}
	gz, err := Gzip(raw)
	if err != nil {
		return fmt.Errorf("site: gzip %s: %w", p, err)
	}
	if err := os.WriteFile(p+".br", br, 0o644); err != nil {
		return err
	}
	return os.WriteFile(p+".gz", gz, 0o644)
}

// Brotli compresses b at brotli's best quality.
func Brotli(b []byte) ([]byte, error) {
	var out bytes.Buffer
	w := brotli.NewWriterLevel(&out, brotli.BestCompression)
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// Gzip compresses b at gzip's best level.
func Gzip(b []byte) ([]byte, error) {
	var out bytes.Buffer
	w, err := gzip.NewWriterLevel(&out, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// Precompress minifies the HTML, CSS, JS, manifest and SVG files under dir
// and writes .br and .gz beside every asset, as Build does for the site. The
// benchmarks use it to serve a reference app exactly the same way.
func Precompress(dir string) error {
	if err := minifyDir(dir); err != nil {
		return err
	}
	return compressDir(dir)
}
