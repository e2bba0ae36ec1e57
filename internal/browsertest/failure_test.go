package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// pageState is what a failed test's log shows of its page: where it was,
// what it said and what it was waiting on. A wait that times out says only
// "context deadline exceeded"; this says what the page showed instead.
const pageState = `(() => {
  const q = (s) => document.querySelector(s);
  const text = (s) => (q(s) ? q(s).innerText.slice(0, 300) : null);
  return JSON.stringify({
    url: location.href,
    ready: document.readyState,
    app: q('.shell') ? q('.shell').dataset.app : null,
    visibility: document.visibilityState,
    heading: text('main h1'),
    live: text('#log-live'),
    note: text('#log-note'),
    notices: text('.app-notices'),
    main: text('main'),
  });
})()`

// recentMax bounds what a tab keeps of its console and network failures.
const recentMax = 40

// recordFailures keeps the tab's last console lines, uncaught exceptions
// and failed requests, and when t has failed by its end, logs them with the
// page's state and saves a screenshot (dist/screenshots/failed-<test>.png).
func recordFailures(t *testing.T, tab context.Context) {
	t.Helper()
	var mu sync.Mutex
	var recent []string
	keep := func(line string) {
		mu.Lock()
		defer mu.Unlock()
		recent = append(recent, time.Now().Format("15:04:05.000 ")+line)
		if len(recent) > recentMax {
			recent = recent[len(recent)-recentMax:]
		}
	}
	err := chromedp.Listen(tab, func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			var b strings.Builder
			for _, a := range e.Args {
				v := string(a.Value)
				if v == "" {
					v = a.Description
				}
				b.WriteString(" " + v)
			}
			keep("console." + string(e.Type) + ":" + b.String())
		case *runtime.EventExceptionThrown:
			d := e.ExceptionDetails
			if d.Exception != nil {
				keep("exception: " + d.Text + " " + d.Exception.Description)
			} else {
				keep("exception: " + d.Text)
			}
		case *network.EventLoadingFailed:
			keep(fmt.Sprintf("request %s failed: %s (cancelled %v)", e.RequestID, e.ErrorText, e.Canceled))
		}
	})
	if err != nil {
		t.Logf("cannot record the tab's console: %v", err)
		return
	}
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		ctx, cancel := context.WithTimeout(tab, 15*time.Second)
		defer cancel()
		state, err := chromedp.Run(ctx, chromedp.Evaluate[string](pageState))
		t.Logf("the page at the failure: %s (%v)", state, err)
		mu.Lock()
		t.Logf("its last console lines and failed requests:\n%s", strings.Join(recent, "\n"))
		mu.Unlock()
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Logf("no screenshot: %v", err)
			return
		}
		name := "failed-" + strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()) + ".png"
		file := filepath.Join(ScreenshotDir(), name)
		if os.MkdirAll(ScreenshotDir(), 0o755) == nil && os.WriteFile(file, png, 0o644) == nil {
			t.Logf("screenshot %s", file)
		}
	})
}
