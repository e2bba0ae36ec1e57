package site

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readManifest parses the built manifest.
func readManifest(t *testing.T, dir string) manifest {
	t.Helper()
	var m manifest
	require.NoError(t, json.Unmarshal([]byte(read(t, dir, manifestFile)), &m))
	return m
}

func TestTheManifestHonoursThePrefix(t *testing.T) {
	for _, prefix := range []string{"/", "/tools/jobscope/"} {
		t.Run("under "+prefix, func(t *testing.T) {
			m := readManifest(t, build(t, Options{Prefix: prefix}))
			// go-app v10.1.11 writes scope "/" and start_url without the
			// trailing slash under a prefix (issue 5, known ground).
			assert.Equal(t, prefix, m.Scope)
			assert.Equal(t, prefix, m.StartURL)
			assert.Equal(t, prefix, m.ID, "one identity per site, so two prefixes install as two apps")
			assert.Equal(t, "standalone", m.Display)
			assert.NotEmpty(t, m.ThemeColor)
			assert.NotEmpty(t, m.BackgroundColor)
		})
	}
}

func TestTheManifestNamesIconsForAndroidAndDesktops(t *testing.T) {
	dir := build(t, Options{Prefix: "/p/"})
	m := readManifest(t, dir)
	has := map[string]bool{}
	for _, ic := range m.Icons {
		has[ic.Sizes+" "+ic.Purpose] = true
		rel, ok := cutPrefix(ic.Src, "/p/")
		require.True(t, ok, "icon %s is under the prefix", ic.Src)
		assert.FileExists(t, filepath.Join(dir, filepath.FromSlash(rel)))
	}
	for _, want := range []string{"192x192 any", "512x512 any", "192x192 maskable", "512x512 maskable", "any any"} {
		assert.True(t, has[want], "an icon %s", want)
	}
}

func cutPrefix(s, p string) (string, bool) {
	if len(s) < len(p) || s[:len(p)] != p {
		return "", false
	}
	return s[len(p):], true
}

// workerConst reads a constant the built (minified) worker declares.
func workerConst(t *testing.T, js, name string) string {
	t.Helper()
	m := regexp.MustCompile(name + `=("[^"]*"|\[[^\]]*\])`).FindStringSubmatch(js)
	require.NotNil(t, m, "the worker declares %s", name)
	return m[1]
}

func TestTheWorkerCachesEveryFileOfTheSiteUnderThePrefix(t *testing.T) {
	dir := build(t, Options{Prefix: "/tools/jobscope/", Compress: true})
	js := read(t, dir, workerFile)
	var files []string
	require.NoError(t, json.Unmarshal([]byte(workerConst(t, js, "FILES")), &files))
	assert.Equal(t, `"/tools/jobscope/"`, workerConst(t, js, "PREFIX"))
	assert.Contains(t, files, "", "the start URL itself, with its trailing slash (go-app's worker misses it)")
	for _, f := range []string{"index.html", "404.html", "projects.html", "app.js", "wasm_exec.js", "manifest.webmanifest", "web/app.wasm", "web/app.css"} {
		assert.Contains(t, files, f)
	}
	for _, f := range files {
		assert.NotRegexp(t, `\.(br|gz)$`, f, "precompressed siblings are the host's business")
		assert.NotEqual(t, workerFile, f, "the worker does not cache itself")
		if f != "" {
			assert.FileExists(t, filepath.Join(dir, filepath.FromSlash(f)))
		}
	}
	assert.Contains(t, read(t, dir, "app.js"), workerConst(t, js, "VERSION")[1:17], "go-app's page and the worker name the same release")
}

func TestANewReleaseGetsANewCache(t *testing.T) {
	version := func(t *testing.T, o Options, wasm string) string {
		o.Dir = t.TempDir()
		o.WebDir = filepath.Join("..", "..", "web")
		require.NoError(t, os.MkdirAll(filepath.Join(o.Dir, "web"), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(o.Dir, "web", "app.wasm"), []byte(wasm), 0o644))
		require.NoError(t, Build(o))
		return workerConst(t, read(t, o.Dir, workerFile), "VERSION")
	}
	one := version(t, Options{}, "release one")
	assert.Equal(t, one, version(t, Options{}, "release one"), "the same build, the same cache")
	assert.NotEqual(t, one, version(t, Options{}, "release two"), "a new wasm, a new cache")
	assert.NotEqual(t, one, version(t, Options{Prefix: "/other/"}, "release one"), "two sites on one origin keep their caches apart")
}
