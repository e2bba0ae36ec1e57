package extbuild

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTheSourcePackageRebuildsTheStorePackagesByteForByte is what Mozilla's
// reviewer does (REBUILD.md): unzip the source package, run `make dist`, and
// get the Firefox package that was submitted. Done twice, in two folders of
// different paths, the packages must be the same bytes, and so must the
// source package each build writes of itself. Both builds share the go
// tool's build cache: the compiler's own reproducibility is Go's (since
// 1.21); this checks ours (paths, VCS stamps, zip times and order, the
// site's version hash).
func TestTheSourcePackageRebuildsTheStorePackagesByteForByte(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the extension twice (-short)")
	}
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("no make here")
	}
	tmp := t.TempDir()
	src := filepath.Join(tmp, "jobscope-source.zip")
	require.NoError(t, WriteSource(filepath.Join("..", ".."), src))
	srcBytes, err := os.ReadFile(src)
	require.NoError(t, err)
	names := unzipTo(t, srcBytes, filepath.Join(tmp, "unused"))
	assert.Equal(t, "REBUILD.md", names[0], "the instructions come first")
	for _, want := range []string{"go.mod", "go.sum", "Makefile", "extension/wasm/main.go", "internal/cmd/extbuild/main.go", "web/app.css"} {
		assert.Contains(t, names, want)
	}
	for _, n := range names {
		assert.False(t, strings.HasPrefix(n, "dist/") || strings.HasPrefix(n, ".git"), "%s is no source", n)
	}

	var firefox, chromium, source [][]byte
	for _, dir := range []string{filepath.Join(tmp, "a"), filepath.Join(tmp, "somewhere", "else", "jobscope")} {
		unzipTo(t, srcBytes, dir)
		cmd := exec.Command("make", "dist")
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "make dist in %s:\n%s", dir, out)
		read := func(name string) []byte {
			b, err := os.ReadFile(filepath.Join(dir, "dist", name))
			require.NoError(t, err)
			return b
		}
		firefox = append(firefox, read("jobscope-firefox.zip"))
		chromium = append(chromium, read("jobscope-chromium.zip"))
		source = append(source, read("jobscope-source.zip"))
	}
	t.Logf("jobscope-firefox.zip: %d bytes; jobscope-source.zip: %d bytes", len(firefox[0]), len(srcBytes))
	assert.True(t, bytes.Equal(firefox[0], firefox[1]), "the Firefox package is the same bytes from both folders")
	assert.True(t, bytes.Equal(chromium[0], chromium[1]), "and the Chromium one")
	assert.True(t, bytes.Equal(srcBytes, source[0]) && bytes.Equal(source[0], source[1]), "the source package writes itself again, the same bytes")
}

// unzipTo extracts z into dir and returns its entries' names in order.
func unzipTo(t *testing.T, z []byte, dir string) []string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	require.NoError(t, err)
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		require.True(t, strings.HasPrefix(p, dir+string(filepath.Separator)), "entry %s stays in the folder", f.Name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		rc, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		rc.Close()
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(p, b, 0o644))
	}
	return names
}
