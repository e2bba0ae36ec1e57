package browsertest

import (
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/jobscope/jobscope/internal/site"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// requestLog records every request the tab sends, in order.
type requestLog struct {
	mu   sync.Mutex
	reqs []*network.Request
}

func (l *requestLog) listen(ev any) {
	if e, ok := ev.(*network.EventRequestWillBeSent); ok {
		l.mu.Lock()
		l.reqs = append(l.reqs, e.Request)
		l.mu.Unlock()
	}
}

func (l *requestLog) all() []*network.Request {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]*network.Request(nil), l.reqs...)
}

// The token goes only to the configured GitLab origin, in a header; never in
// a URL, never to storage in memory-only mode (issue 4, "Everywhere").
func TestTheTokenGoesOnlyToGitLabInAHeader(t *testing.T) {
	requireBrowser(t)
	_, api := serveEmulator(t)
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)
	var log requestLog
	require.NoError(t, chromedp.Listen(ctx, log.listen))

	steps := []struct {
		name string
		do   []chromedp.Action[chromedp.Void]
	}{
		{"connect, memory only", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(srv.URL + "/"), waitApp,
			fill("base-url", api.URL),
			fill("token", gitlabfake.DefaultToken),
			chromedp.Click(chromedp.ID("memory-only")),
			chromedp.Click(chromedp.ID("check")),
			chromedp.WaitVisible(chromedp.CSS("#connect-status .notice-ok")),
		}},
		{"follow the link to the projects", []chromedp.Action[chromedp.Void]{
			// The install offer Chromium may fire sits at the window's
			// bottom, over whatever is there: bring the link above it.
			chromedp.Evaluate[chromedp.Void](`document.querySelector("#connect-status a").scrollIntoView({block: "center"})`),
			chromedp.Click(chromedp.CSS("#connect-status a")),
			chromedp.WaitVisible(chromedp.CSS("#project-list li a")),
		}},
		{"open a job list", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.CSS("#project-list li a")),
			chromedp.WaitVisible(chromedp.CSS("#job-list li.job:not(.skeleton)")),
		}},
	}
	// In-app navigation only: a full page load forgets a memory-only token.
	for _, s := range steps {
		require.NoError(t, chromedp.Do(ctx, s.do...), s.name)
	}
	stored, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie`))
	require.NoError(t, err)
	assert.NotContains(t, stored, gitlabfake.DefaultToken, "memory only: the token is in no storage")
	assert.Contains(t, stored, api.URL, "the instance itself is remembered")
	// Nor are the replies it fetched: its offline copies stay in memory.
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.ID("instance")), chromedp.WaitVisible(chromedp.ID("offline-usage"))))
	usage, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("offline-usage")))
	require.NoError(t, err)
	assert.Contains(t, usage, " in 0 copies", "memory only: no copy of GitLab's replies on the device")
	require.NoError(t, chromedp.Do(ctx, chromedp.NavigateBack(), chromedp.WaitVisible(chromedp.CSS("#job-list li.job:not(.skeleton)"))))

	apiOrigin, _ := url.Parse(api.URL)
	var withToken int
	for _, r := range log.all() {
		assert.NotContains(t, r.URL, gitlabfake.DefaultToken, "never in a URL: %s", r.URL)
		assert.NotContains(t, r.URL, "private_token", "never as a query parameter")
		sent := false
		for k, v := range r.Headers {
			if s, ok := v.(string); ok && strings.Contains(s, gitlabfake.DefaultToken) {
				sent = true
				assert.Equal(t, "authorization", strings.ToLower(k), "in Authorization (gitlab-api.md §2.1, §10)")
				assert.Equal(t, "Bearer "+gitlabfake.DefaultToken, s)
			}
		}
		if sent {
			withToken++
			u, err := url.Parse(r.URL)
			require.NoError(t, err)
			assert.Equal(t, apiOrigin.Host, u.Host, "the token goes only to the GitLab origin: %s", r.URL)
		}
	}
	assert.Positive(t, withToken, "the API was called with the token")

	// A reload forgets a memory-only token: the app asks for it again
	// rather than calling GitLab without it.
	require.NoError(t, chromedp.Do(ctx, chromedp.Reload(), waitApp, chromedp.WaitVisible(chromedp.ID("connect-first"))))
	msg, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("connect-first")))
	require.NoError(t, err)
	assert.Contains(t, msg, "kept in memory only")
}
