package site

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	ui "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// workerJS is the service worker template; see the comment at its top.
//
//go:embed worker.js
var workerJS string

// workerFile is where go-app's app.js registers the service worker from.
const workerFile = "app-worker.js"

// writeWorker replaces go-app's service worker with jobscope's, which caches
// every file of the site (listed here, relative to the prefix) under a cache
// named after the release. It runs after every other file is written, so the
// list is complete; the .br and .gz siblings are the host's business.
func writeWorker(dir, prefix, version string) error {
	files := []string{""} // the prefix itself: the start URL
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		switch {
		case rel == workerFile, strings.HasSuffix(rel, ".br"), strings.HasSuffix(rel, ".gz"):
			return nil
		}
		files = append(files, rel)
		return nil
	})
	if err != nil {
		return fmt.Errorf("site: list files for the worker: %w", err)
	}
	slices.Sort(files)
	list, err := json.Marshal(files)
	if err != nil {
		return err
	}
	quote := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	js := strings.NewReplacer(
		`"{{VERSION}}"`, quote(version),
		`"{{PREFIX}}"`, quote(prefix),
		`{{FILES}}`, string(list),
	).Replace(workerJS)
	return os.WriteFile(filepath.Join(dir, workerFile), []byte(js), 0o644)
}

// releaseVersion names a release: the assets' hash, the worker's own code and
// the prefix (two sites on one origin keep their caches apart).
func releaseVersion(assets, prefix string) string {
	sum := sha256.Sum256([]byte(assets + "\x00" + prefix + "\x00" + workerJS))
	return hex.EncodeToString(sum[:])[:16]
}

// manifest is the web app manifest (https://www.w3.org/TR/appmanifest/).
// go-app writes one with scope "/" and a start URL without the prefix's
// trailing slash, which leaves the installed app outside its worker's scope
// under a prefix; this one is written in its place.
type manifest struct {
	ID              string         `json:"id"`
	Name            string         `json:"name"`
	ShortName       string         `json:"short_name"`
	Description     string         `json:"description"`
	Lang            string         `json:"lang"`
	StartURL        string         `json:"start_url"`
	Scope           string         `json:"scope"`
	Display         string         `json:"display"`
	Orientation     string         `json:"orientation"`
	BackgroundColor string         `json:"background_color"`
	ThemeColor      string         `json:"theme_color"`
	Icons           []manifestIcon `json:"icons"`
}

type manifestIcon struct {
	Src     string `json:"src"`
	Sizes   string `json:"sizes"`
	Type    string `json:"type"`
	Purpose string `json:"purpose"`
}

const manifestFile = "manifest.webmanifest"

// writeManifest writes the manifest for a site under prefix. Icons: 192 and
// 512 px (Android's launcher and splash screen, Chrome's install criteria),
// the same as maskable (Android's adaptive shapes), and the SVG for desktops;
// iOS takes its home-screen icon from the page's apple-touch-icon link.
func writeManifest(dir, prefix string, h *ui.Handler) error {
	icon := func(name, sizes, typ, purpose string) manifestIcon {
		return manifestIcon{Src: prefix + "web/" + name, Sizes: sizes, Type: typ, Purpose: purpose}
	}
	m := manifest{
		ID: prefix, StartURL: prefix, Scope: prefix,
		Name: h.Name, ShortName: h.ShortName, Description: h.Description, Lang: h.Lang,
		Display: "standalone", Orientation: "any",
		BackgroundColor: h.BackgroundColor, ThemeColor: h.ThemeColor,
		Icons: []manifestIcon{
			icon("icon-192.png", "192x192", "image/png", "any"),
			icon("icon-512.png", "512x512", "image/png", "any"),
			icon("icon-maskable-192.png", "192x192", "image/png", "maskable"),
			icon("icon-maskable-512.png", "512x512", "image/png", "maskable"),
			icon("icon.svg", "any", "image/svg+xml", "any"),
		},
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, manifestFile), b, 0o644)
}
