package firefox

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The Makefile installs the puppeteer-core this package expects.
func TestTheMakefilePinsThePuppeteerVersion(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "..", "Makefile"))
	require.NoError(t, err)
	m := regexp.MustCompile(`(?m)^PUPPETEER := (\S+)$`).FindSubmatch(raw)
	require.NotNil(t, m, "the Makefile sets PUPPETEER")
	assert.Equal(t, PuppeteerVersion, string(m[1]))
}

// A missing or other client is said in words, with the command that fixes it.
func TestMissingSaysWhatToInstall(t *testing.T) {
	repo := t.TempDir()
	t.Setenv("JOBSCOPE_FIREFOX", os.Args[0]) // a file that exists
	assert.Contains(t, Missing(repo), "puppeteer-core is missing: `make test` installs it")
	dir := filepath.Join(Tools(repo), "node_modules", "puppeteer-core")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"version": "23.0.0"}`), 0o644))
	assert.Contains(t, Missing(repo), "puppeteer-core 23.0.0 is installed, not "+PuppeteerVersion)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"version": "`+PuppeteerVersion+`"}`), 0o644))
	assert.Empty(t, Missing(repo))
	t.Setenv("JOBSCOPE_FIREFOX", filepath.Join(repo, "no-firefox"))
	assert.Contains(t, Missing(repo), "no-firefox is missing")
}
