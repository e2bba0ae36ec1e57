package demo

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jobscope/jobscope/app"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeSite writes the minimum FileServer needs: an index page.
func fakeSite(t *testing.T) string {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "index.html"), []byte("<html><head></head><body>shell</body></html>"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "404.html"), []byte("<html><head></head><body>shell</body></html>"), 0o644))
	return dir
}

// startDemo runs the demo on free ports and returns its printed lines' reader.
func startDemo(t *testing.T, args ...string) (lines *bufio.Scanner, stop func() error) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := Run(ctx, append([]string{"-site-listen=127.0.0.1:0", "-api-listen=127.0.0.1:0"}, args...), pw)
		pw.CloseWithError(io.EOF)
		done <- err
	}()
	t.Cleanup(cancel)
	return bufio.NewScanner(pr), func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			return context.DeadlineExceeded
		}
	}
}

func TestTheDemoPrintsTheSiteFirstAndServesBothOrigins(t *testing.T) {
	lines, stop := startDemo(t, "-site="+fakeSite(t))

	require.True(t, lines.Scan())
	siteLine := lines.Text()
	require.True(t, lines.Scan())
	apiLine := lines.Text()
	go func() { // drain the rest so the demo never blocks on the pipe
		for lines.Scan() {
		}
	}()

	siteURL, ok := strings.CutPrefix(siteLine, "site: ")
	require.True(t, ok, "first line is the site's: %q", siteLine)
	assert.Regexp(t, `^http://127\.0\.0\.1:\d+/$`, siteURL)
	apiURL, ok := strings.CutPrefix(apiLine, "api: ")
	require.True(t, ok, "second line is the API's: %q", apiLine)
	assert.Regexp(t, `^http://127\.0\.0\.1:\d+/api/v4$`, apiURL)
	apiOrigin := strings.TrimSuffix(apiURL, "/api/v4")
	assert.NotEqual(t, strings.TrimSuffix(siteURL, "/"), apiOrigin, "two origins, so CORS is real")

	page, err := http.Get(siteURL)
	require.NoError(t, err)
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	assert.Contains(t, string(body), `<meta name="`+app.DemoMetaName+`"`, "pages carry the demo marker")
	assert.Contains(t, page.Header.Get("Content-Security-Policy"), "connect-src 'self' "+apiOrigin+";", "the page may call only itself and the emulator")
	assert.NotContains(t, string(body), gitlabfake.DefaultToken, "the token is not in the page")

	deep, err := http.Get(siteURL + "projects/g/p/-/jobs/1")
	require.NoError(t, err)
	deep.Body.Close()
	assert.Equal(t, http.StatusOK, deep.StatusCode, "a job's address is a page, not a 404 in the console")

	resp, err := http.Get(siteURL + strings.TrimPrefix(app.DemoConfigPath, "/"))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	cfg, err := app.ParseDemoConfig(raw)
	require.NoError(t, err)
	assert.Equal(t, apiOrigin, cfg.BaseURL)
	assert.Equal(t, gitlabfake.DefaultToken, cfg.Token)
	assert.Equal(t, gitlabfake.DemoClientID, cfg.ClientID, "both sign-in kinds: the emulator's public OAuth application too")
	assert.Equal(t, app.ScreenJobs, app.ParsePath(cfg.Start).Screen, "the demo opens on a job list")

	req, err := http.NewRequest(http.MethodGet, apiURL+"/user", nil)
	require.NoError(t, err)
	req.Header.Set("PRIVATE-TOKEN", cfg.Token)
	user, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	user.Body.Close()
	assert.Equal(t, http.StatusOK, user.StatusCode, "the emulator accepts the demo token")

	require.NoError(t, stop(), "cancelling stops both servers cleanly")
	_, err = http.Get(siteURL)
	assert.Error(t, err, "the site is down after stop")
}

func TestTheDemoListensOnLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0"} {
		t.Run(addr, func(t *testing.T) {
			err := Run(context.Background(), []string{"-site=" + fakeSite(t), "-site-listen=" + addr}, io.Discard)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "loopback")
		})
	}
}

func TestTheDemoNeedsABuiltSite(t *testing.T) {
	err := Run(context.Background(), []string{"-site=" + t.TempDir()}, io.Discard)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "make build")
}

func TestTheDemoConfigNamesTheRichestProject(t *testing.T) {
	emu := gitlabfake.New(gitlabfake.Options{Frozen: true})
	cfg, err := demoConfig(emu, "http://127.0.0.1:1")
	require.NoError(t, err)
	r := app.ParsePath(cfg.Start)
	assert.Equal(t, emu.Info().Projects[0], r.Project)
	assert.NotEmpty(t, cfg.User, "the demo user's name is asked from the emulator")
	_, err = json.Marshal(cfg)
	require.NoError(t, err)
}

func TestABusyPortGivesWayToAFreeOne(t *testing.T) {
	busy, err := listenLoopback("127.0.0.1:0")
	require.NoError(t, err)
	defer busy.Close()
	ln, err := listenLoopback(busy.Addr().String())
	require.NoError(t, err)
	defer ln.Close()
	assert.NotEqual(t, busy.Addr().String(), ln.Addr().String())
	assert.Contains(t, ln.Addr().String(), "127.0.0.1:")
}
