package browsertest

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/jobscope/jobscope/internal/site"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The job page downloads the artifacts archive with the token in a header
// and saves it as a file (gitlab-api.md §11: a link would need the token in
// its URL, which jobscope never builds). GitLab serves the archive itself,
// or redirects to object storage on another origin, which must get the
// archive request and no token (§10: fetch keeps any header but
// Authorization across origins).
func TestTheJobPageDownloadsItsArtifactsArchive(t *testing.T) {
	requireBrowser(t)
	cases := []struct {
		name    string
		storage bool
	}{
		{"served by GitLab", false},
		{"redirected to object storage, which gets no token", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := gitlabfake.Options{Frozen: true}
			if tc.storage {
				opts.ObjectStorage = gitlabfake.NewObjectStorage()
				storage := httptest.NewServer(opts.ObjectStorage)
				t.Cleanup(storage.Close)
				opts.ObjectStorageURL = storage.URL
			}
			emu := gitlabfake.New(opts)
			api := httptest.NewServer(emu)
			t.Cleanup(api.Close)
			srv := serveSite(t, site.ServeOptions{})
			ctx := newTab(t)
			project := emu.Info().Projects[0]
			j := findJob(t, api.URL, project, gitlab.StatusSuccess, func(j gitlab.Job) bool { return j.ArtifactsFile != nil })

			dir := t.TempDir()
			_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
				Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir,
			})
			require.NoError(t, err)
			openJob(t, ctx, srv.URL, api.URL, gitlabfake.DefaultToken, project, j.ID)
			require.NoError(t, chromedp.Do(ctx,
				showDetails,
				chromedp.Click(chromedp.ID("artifacts-download")),
				chromedp.WaitVisible(chromedp.CSS("#job-notice, #job-problem")),
			))
			if tc.storage {
				assert.Empty(t, opts.ObjectStorage.Credentials(), "no credential reached the object storage")
			}
			require.Contains(t, text(t, ctx, ".job-notices"), "Downloaded "+j.ArtifactsFile.Filename)

			saved := filepath.Join(dir, j.ArtifactsFile.Filename)
			var b []byte
			require.Eventually(t, func() bool {
				b, err = os.ReadFile(saved)
				return err == nil && int64(len(b)) == j.ArtifactsFile.Size
			}, 30*time.Second, 100*time.Millisecond, "the archive is saved as %s", saved)
			assert.Equal(t, "PK", string(b[:2]), "a zip archive")
		})
	}
}
