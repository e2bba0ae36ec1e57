package browsertest

import (
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/jobscope/jobscope/internal/site"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// serveEmulator serves a frozen emulator on its own loopback origin, so the
// browser applies CORS between the site and it (gitlab-api.md §10).
func serveEmulator(t *testing.T) (*gitlabfake.Server, *httptest.Server) {
	t.Helper()
	emu := gitlabfake.New(gitlabfake.Options{Frozen: true})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return emu, srv
}

// fill sets a form field as a user would: value, then input and change events
// (go-app's OnChange listens to change).
func fill(id, value string) chromedp.Action[chromedp.Void] {
	v, _ := json.Marshal(value)
	return chromedp.Evaluate[chromedp.Void](`(() => {
  const el = document.getElementById(` + jsString(id) + `);
  el.value = ` + string(v) + `;
  el.dispatchEvent(new Event('input', {bubbles: true}));
  el.dispatchEvent(new Event('change', {bubbles: true}));
})()`)
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestConnect(t *testing.T) {
	requireBrowser(t)
	cases := []struct {
		name     string
		token    string
		status   string // CSS selector of the expected notice
		want     []string
		instance string // header text after the check
		shot     string
	}{
		{
			name:     "the emulator's token connects and shows who you are",
			token:    gitlabfake.DefaultToken,
			status:   "#connect-status .notice-ok",
			want:     []string{"Connected to 127.0.0.1:", " as ", "(@"},
			instance: "@",
			shot:     "connect-ok",
		},
		{
			name:     "an unknown token says 401 and what to do",
			token:    "glpat-not-a-real-token",
			status:   "#connect-status .notice-error",
			want:     []string{"refused the token (401 Unauthorized)", "create a new one"},
			instance: "Not connected",
			shot:     "connect-401",
		},
		{
			name:     "an expired token says so in GitLab's words",
			token:    gitlabfake.ExpiredToken,
			status:   "#connect-status .notice-error",
			want:     []string{"401 Unauthorized: Token is expired"},
			instance: "Not connected",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, api := serveEmulator(t)
			srv := serveSite(t, site.ServeOptions{})
			ctx := newTab(t)

			require.NoError(t, chromedp.Do(ctx,
				chromedp.Navigate(srv.URL+"/"), waitApp,
				fill("base-url", api.URL),
				fill("token", tc.token),
				chromedp.Click(chromedp.ID("check")),
				chromedp.WaitVisible(chromedp.CSS(tc.status)),
			))
			text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(tc.status)))
			require.NoError(t, err)
			for _, w := range tc.want {
				assert.Contains(t, text, w)
			}
			assert.NotContains(t, text, tc.token, "the token is never shown")
			instance, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("instance")))
			require.NoError(t, err)
			assert.Contains(t, instance, tc.instance)
			if tc.shot != "" {
				require.NoError(t, Screenshots(ctx, tc.shot, chromedp.WaitVisible(chromedp.CSS(tc.status))))
			}
		})
	}
}

func TestAnUnreachableInstanceIsSaidInWords(t *testing.T) {
	requireBrowser(t)
	_, api := serveEmulator(t)
	api.Close() // nothing listens there any more
	srv := serveSite(t, site.ServeOptions{})
	ctx := newTab(t)

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/"), waitApp,
		fill("base-url", api.URL),
		fill("token", gitlabfake.DefaultToken),
		chromedp.Click(chromedp.ID("check")),
		chromedp.WaitVisible(chromedp.CSS("#connect-status .notice-error")),
	))
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#connect-status .notice-error")))
	require.NoError(t, err)
	assert.Contains(t, text, "Could not reach 127.0.0.1:")
	assert.Contains(t, text, "CORS")
}
