package site

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// build writes a site around a stand-in wasm (the builder does not read it)
// and returns its folder.
func build(t *testing.T, o Options) string {
	t.Helper()
	o.Dir = t.TempDir()
	o.WebDir = filepath.Join("..", "..", "web")
	require.NoError(t, os.MkdirAll(filepath.Join(o.Dir, "web"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(o.Dir, "web", "app.wasm"), []byte("\x00asm stand-in"), 0o644))
	require.NoError(t, Build(o))
	return o.Dir
}

func read(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	require.NoError(t, err)
	return string(b)
}

func TestBuildWritesEveryEntryPageAndAsset(t *testing.T) {
	dir := build(t, Options{Compress: true})
	for _, name := range []string{
		"index.html", "projects.html", "open.html", "404.html",
		"app.js", "wasm_exec.js", "app-worker.js", "manifest.webmanifest", "app.css",
		"web/app.wasm", "web/app.css", "web/icon.svg", "web/icon-192.png", "web/icon-512.png", "web/icon-maskable-192.png", "web/icon-maskable-512.png",
	} {
		assert.FileExists(t, filepath.Join(dir, name))
	}
	assert.Equal(t, read(t, dir, "index.html"), read(t, dir, "404.html"), "deep links get the same shell")
}

func TestBuildPrecompressesEveryAssetFaithfully(t *testing.T) {
	dir := build(t, Options{Compress: true})
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		require.NoError(t, err)
		ext := filepath.Ext(p)
		if d.IsDir() || ext == ".br" || ext == ".gz" || ext == ".png" {
			return nil
		}
		raw, err := os.ReadFile(p)
		require.NoError(t, err)
		br, err := os.ReadFile(p + ".br")
		require.NoError(t, err, "%s has a .br", p)
		got, err := io.ReadAll(brotli.NewReader(bytes.NewReader(br)))
		require.NoError(t, err)
		assert.Equal(t, raw, got, "%s.br decompresses to the original", p)
		gz, err := os.ReadFile(p + ".gz")
		require.NoError(t, err, "%s has a .gz", p)
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		require.NoError(t, err)
		got, err = io.ReadAll(zr)
		require.NoError(t, err)
		assert.Equal(t, raw, got, "%s.gz decompresses to the original", p)
		return nil
	})
	require.NoError(t, err)
}

func TestThePagesHaveAStrictCSPAndNoInlineScript(t *testing.T) {
	dir := build(t, Options{ConnectSrc: []string{"https://gitlab.example.com"}})
	page := read(t, dir, "index.html")
	assert.Contains(t, page, `script-src 'self' 'wasm-unsafe-eval'`)
	assert.Contains(t, page, `connect-src 'self' https://gitlab.example.com;`)
	assert.NotContains(t, page, "unsafe-inline")
	scripts := regexp.MustCompile(`<script[^>]*>([^<]*)</script>`).FindAllStringSubmatch(page, -1)
	require.NotEmpty(t, scripts)
	for _, s := range scripts {
		assert.Contains(t, s[0], ` src=`, "every script is a file")
		assert.Empty(t, strings.TrimSpace(s[1]), "no inline script body")
	}
	assert.NotRegexp(t, `\son[a-z]+=`, page, "no inline event handler")
	assert.NotContains(t, page, ` style=`, "no inline style (style-src 'self')")
}

func TestNothingIsLoadedFromElsewhere(t *testing.T) {
	dir := build(t, Options{})
	for _, name := range []string{"index.html", "manifest.webmanifest", "app-worker.js"} {
		body := read(t, dir, name)
		// Attributes and manifest entries, not the CSP or placeholders.
		for _, m := range regexp.MustCompile(`(?:src|href)"?[=:]"https?://[^"]*`).FindAllString(body, -1) {
			assert.Failf(t, "remote reference", "%s refers to %s (go-app's default icons are remote)", name, m)
		}
	}
}

func TestTheFilesAreMinified(t *testing.T) {
	dir := build(t, Options{})
	css := read(t, dir, "web/app.css")
	src, err := os.ReadFile(filepath.Join("..", "..", "web", "app.css"))
	require.NoError(t, err)
	assert.Less(t, len(css), len(src)*9/10, "the stylesheet shrank")
	assert.NotContains(t, css, "/*", "comments are gone")
	assert.NotContains(t, read(t, dir, "index.html"), "\n\n")
}

func TestAPrefixIsUsedForEveryPathAndEnvironment(t *testing.T) {
	dir := build(t, Options{Prefix: "/tools/jobscope/"})
	page := read(t, dir, "index.html")
	assert.Contains(t, page, `src="/tools/jobscope/app.js"`)
	assert.Contains(t, page, `href="/tools/jobscope/web/app.css"`)
	assert.Contains(t, page, `href="/tools/jobscope/projects"`, "app links carry the prefix")
	appJS := read(t, dir, "app.js")
	assert.Contains(t, appJS, `GOAPP_ROOT_PREFIX:"/tools/jobscope"`)
	assert.Contains(t, appJS, `"/tools/jobscope/web/app.wasm"`)
	var manifest struct {
		Icons []struct{ Src string } `json:"icons"`
	}
	require.NoError(t, json.Unmarshal([]byte(read(t, dir, "manifest.webmanifest")), &manifest))
	for _, ic := range manifest.Icons {
		assert.True(t, strings.HasPrefix(ic.Src, "/tools/jobscope/web/"), "icon %s", ic.Src)
	}
}

func TestBuildRefuses(t *testing.T) {
	t.Run("a missing wasm, naming make wasm", func(t *testing.T) {
		err := Build(Options{Dir: t.TempDir(), WebDir: filepath.Join("..", "..", "web")})
		assert.ErrorIs(t, err, ErrNoWasm)
	})
	t.Run("a prefix without its slashes", func(t *testing.T) {
		err := Build(Options{Dir: t.TempDir(), Prefix: "tools"})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "must start and end with /")
	})
}

func TestABuildKeepsTheWasmAndDropsStaleFiles(t *testing.T) {
	o := Options{Dir: t.TempDir(), WebDir: filepath.Join("..", "..", "web")}
	require.NoError(t, os.MkdirAll(filepath.Join(o.Dir, "web"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(o.Dir, "web", "app.wasm"), []byte("wasm"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(o.Dir, "web", "stale.css"), []byte("x"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(o.Dir, "old.html"), []byte("x"), 0o644))
	require.NoError(t, Build(o))
	assert.Equal(t, "wasm", read(t, o.Dir, "web/app.wasm"))
	assert.NoFileExists(t, filepath.Join(o.Dir, "web", "stale.css"))
	assert.NoFileExists(t, filepath.Join(o.Dir, "old.html"))
}
