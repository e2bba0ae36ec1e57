package browsertest

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/app"
	"github.com/jobscope/jobscope/internal/site"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// offerInstall plays the browser offering to install the app: headless
// Chromium never fires beforeinstallprompt by itself (it waits for user
// engagement), so the test dispatches one with a prompt that records its use.
const offerInstall = `(() => {
  const e = new Event("beforeinstallprompt", { cancelable: true });
  e.prompt = () => { window.__installPrompted = (window.__installPrompted || 0) + 1; };
  e.userChoice = Promise.resolve({ outcome: "dismissed" });
  window.dispatchEvent(e);
})()`

// onlyOurOffers keeps Chromium's own beforeinstallprompt, which it fires
// when it likes, from reaching the page: it would take the place of the
// test's offer, whose prompt records its use.
const onlyOurOffers = `window.addEventListener("beforeinstallprompt", (e) => {
  if (e.isTrusted) e.stopImmediatePropagation();
}, true);`

// offerInstallEarly makes the offer as Chromium may on its own: before the
// wasm has started (go-app's app.js keeps the event for later).
const offerInstallEarly = `window.addEventListener("DOMContentLoaded", () => ` + offerInstall + `);`

// TestTheInstallPromptIsOfferedOnce: the browser's install offer becomes a
// notice with an Install button, once per device (issue 5), whether the
// browser made it over a log or before the app had started.
func TestTheInstallPromptIsOfferedOnce(t *testing.T) {
	requireBrowser(t)
	for _, tc := range []struct {
		name  string
		early bool // offered before the wasm started, else once the log screen is up
	}{
		{"offered over a log", false},
		// Before the fix, the page's first frame (route not yet known)
		// took this offer, marked it made, and dropped it.
		{"offered before the app started", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := serveSite(t, site.ServeOptions{})
			hook, offer := xssHook+"\n"+onlyOurOffers, chromedp.Evaluate[chromedp.Void](offerInstall)
			if tc.early {
				hook, offer = hook+"\n"+offerInstallEarly, chromedp.Evaluate[chromedp.Void](`undefined`)
			}
			ctx := newTabWith(t, hook) // a device never offered the install

			// Over a log the offer waits: the lines have the window (issue 13).
			require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(srv.URL+app.Route{Screen: app.ScreenOpenFile}.Path()), waitApp,
				chromedp.WaitVisible(chromedp.ID("log-file")),
				offer,
				chromedp.WaitVisible(chromedp.ID("log-live")),
			))
			waiting, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#install-offer").length`))
			require.NoError(t, err)
			assert.Zero(t, waiting, "no offer over a log")
			// The next list screen makes it.
			require.NoError(t, chromedp.Do(ctx,
				chromedp.Click(chromedp.CSS(`.topbar a.brand`)),
				chromedp.WaitVisible(chromedp.ID("install-offer")),
			))
			// The offer sticks to the window's bottom edge, but the page's end
			// scrolls above it: a Load more button or a failed log's last lines are
			// never left under it.
			require.NoError(t, chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, document.body.scrollHeight)`)))
			gap, err := chromedp.Run(ctx, chromedp.Evaluate[float64](
				`document.querySelector(".app-notices").getBoundingClientRect().top - document.getElementById("main").getBoundingClientRect().bottom`))
			require.NoError(t, err)
			assert.GreaterOrEqual(t, gap, 0.0, "the page's end is not under the offer")
			if !tc.early {
				require.NoError(t, Screenshots(ctx, "install-offer", chromedp.WaitVisible(chromedp.ID("install-offer"))))
			}
			require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.ID("install")), chromedp.WaitNotPresent(chromedp.ID("install-offer"))))
			prompted, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.__installPrompted || 0`))
			require.NoError(t, err)
			assert.Equal(t, 1, prompted, "Install opens the browser's own prompt")

			require.NoError(t, chromedp.Do(ctx, chromedp.Reload(), waitApp, offer))
			shown, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#install-offer").length`))
			require.NoError(t, err)
			assert.Zero(t, shown, "the offer is not made a second time")
		})
	}
}
