package browsertest

import (
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
	srv := servePrefixed(t, buildPrefixedSite(t, prefix, site.Options{}), prefix)
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
