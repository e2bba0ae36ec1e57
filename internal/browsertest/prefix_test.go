package browsertest

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/internal/site"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTheSiteWorksUnderAPathPrefix builds the site for /tools/jobscope/
// (make build PREFIX=/tools/jobscope/, issue 5) and serves it there.
func TestTheSiteWorksUnderAPathPrefix(t *testing.T) {
	requireBrowser(t)
	const prefix = "/tools/jobscope/"
	dir := t.TempDir()
	wasm, err := os.ReadFile(filepath.Join(siteDir, "web", "app.wasm"))
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "web"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "web", "app.wasm"), wasm, 0o644))
	require.NoError(t, site.Build(site.Options{Dir: dir, WebDir: filepath.Join(RepoRoot(), "web"), Prefix: prefix}))
	mux := http.NewServeMux()
	mux.Handle(prefix, http.StripPrefix(strings.TrimSuffix(prefix, "/"), site.FileServer(dir, site.ServeOptions{})))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	ctx := newTab(t)

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+prefix+"projects/group/project/-/pipelines/42"), waitApp))
	heading, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main h1")))
	require.NoError(t, err)
	assert.Equal(t, "Pipeline #42", heading, "a deep link under the prefix routes")

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`nav a[href$="/projects"]`)),
		chromedp.WaitVisible(chromedp.CSS(`nav a[aria-current="page"]`)),
	))
	loc, err := chromedp.Run(ctx, chromedp.Location())
	require.NoError(t, err)
	assert.Equal(t, srv.URL+prefix+"projects", loc, "links keep the prefix")
	heading, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main h1")))
	require.NoError(t, err)
	assert.Equal(t, "Projects", heading)
}
