package browsertest

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/internal/site"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTheAppLoadsOnTheConnectScreen(t *testing.T) {
	requireBrowser(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)

	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"), waitApp))

	heading, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main h1")))
	require.NoError(t, err)
	assert.Equal(t, "Connect to GitLab", heading)
	base, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("base-url")))
	require.NoError(t, err)
	assert.Equal(t, "https://gitlab.com", base, "gitlab.com is the default instance")
	instance, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("instance")))
	require.NoError(t, err)
	assert.Equal(t, "Not connected", instance)
	title, err := chromedp.Run(ctx, chromedp.Title())
	require.NoError(t, err)
	assert.Equal(t, "Connect · jobscope", title)
	assert.Empty(t, xssHits(t, ctx), "the page itself breaks no CSP rule")

	require.NoError(t, Screenshots(ctx, "connect", waitApp))
}

func TestADeepLinkOpensItsScreenFromTheStaticSite(t *testing.T) {
	requireBrowser(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)

	// No file exists for this path: the static host answers 404.html, which
	// is the same shell, and the app routes from the URL.
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/projects/group/sub/project/-/pipelines/42"), waitApp))

	heading, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main h1")))
	require.NoError(t, err)
	assert.Equal(t, "Pipeline #42", heading)
	project, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main .project")))
	require.NoError(t, err)
	assert.Equal(t, "group/sub/project", project)
}
