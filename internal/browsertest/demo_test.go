package browsertest

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMakeRunOpensConnectedOnTheRichestProjectsJobs runs the demo command as
// `make run` does (on free ports) and opens the address it prints first.
func TestMakeRunOpensConnectedOnTheRichestProjectsJobs(t *testing.T) {
	requireBrowser(t)
	bin := filepath.Join(t.TempDir(), "demo")
	build := exec.Command("go", "build", "-o", bin, "./internal/cmd/demo")
	build.Dir = RepoRoot()
	out, err := build.CombinedOutput()
	require.NoError(t, err, "build the demo: %s", out)

	cmd := exec.Command(bin, "-site="+siteDir, "-site-listen=127.0.0.1:0", "-api-listen=127.0.0.1:0")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })

	lines := bufio.NewScanner(stdout)
	require.True(t, lines.Scan(), "the demo prints its address")
	siteURL, ok := strings.CutPrefix(lines.Text(), "site: ")
	require.True(t, ok, "the first line is the site's: %q", lines.Text())
	require.True(t, lines.Scan())
	assert.True(t, strings.HasPrefix(lines.Text(), "api: "), "the second line is the API's: %q", lines.Text())
	go func() { // keep the pipe drained
		for lines.Scan() {
		}
	}()

	ctx := newTab(t)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(siteURL), waitApp,
		chromedp.WaitVisible(chromedp.CSS("#job-list li.job:not(.skeleton)")),
	))
	loc, err := chromedp.Run(ctx, chromedp.Location())
	require.NoError(t, err)
	assert.True(t, strings.HasSuffix(loc, "/-/jobs"), "the demo opens on a job list, not the Connect screen: %s", loc)
	instance, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("instance")))
	require.NoError(t, err)
	assert.Contains(t, instance, "@jobscope-demo", "already connected")
	names, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('#job-list .job-name')].map(a => a.textContent)`))
	require.NoError(t, err)
	assert.Contains(t, names, "huge-log", "the 500,000-line log's job is on the first page (issue 4)")
	token, err := chromedp.Run(ctx, chromedp.Evaluate[string](`localStorage.getItem("jobscope.settings.v1") || ""`))
	require.NoError(t, err)
	assert.NotContains(t, token, "glpat-", "the demo token is kept in memory only")
	assert.Empty(t, xssHits(t, ctx), "the demo's CSP refuses nothing the app needs")
	require.NoError(t, Screenshots(ctx, "demo", chromedp.WaitVisible(chromedp.CSS("#job-list li.job"))))

	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	select {
	case err := <-exited:
		assert.NoError(t, err, "Ctrl-C stops the demo cleanly")
	case <-time.After(10 * time.Second):
		t.Fatal("the demo did not stop on Ctrl-C")
	}
}
