package browsertest

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/app"
	"github.com/jobscope/jobscope/internal/joblog"
	"github.com/jobscope/jobscope/internal/loggen"
	"github.com/jobscope/jobscope/internal/site"
	"github.com/jobscope/jobscope/internal/words"
)

// longTasks records, from the first script of the page, every task that
// held the page's main thread for over 50 ms (the Long Tasks API).
const longTasks = `
window.__long = [];
new PerformanceObserver(l => l.getEntries().forEach(e => window.__long.push([e.startTime, e.duration])))
  .observe({type: 'longtask', buffered: true});
window.__said = [];
new MutationObserver(() => {
  const el = document.getElementById('log-changes-said') || document.getElementById('log-changes-count');
  const t = el ? el.textContent : '';
  if (window.__said.length === 0 || window.__said[window.__said.length - 1][1] !== t) window.__said.push([performance.now(), t]);
}).observe(document, {subtree: true, childList: true, characterData: true});`

// BenchmarkCompareInTheBrowser (make bench, issue 14): two 60 MB logs
// compared in the page, "Open a log file" with a second file: the failed
// log opened and parsed first, then the time from picking the passing log
// to the counts (reading it, parsing it, comparing), and how long the page
// was held at most meanwhile (longest-task-ms: the page must not freeze).
func BenchmarkCompareInTheBrowser(b *testing.B) {
	if reason := Skip(); reason != "" {
		b.Skip(reason)
	}
	srv := httptest.NewServer(site.FileServer(siteDir, site.ServeOptions{}))
	b.Cleanup(srv.Close)
	p := loggen.GreenRed(loggen.Options{Seed: 5, Size: 60 << 20, Timestamps: true}, time.Time{})
	dir := b.TempDir()
	redFile, greenFile := filepath.Join(dir, "red.log"), filepath.Join(dir, "green.log")
	if err := os.WriteFile(redFile, p.Red, 0o644); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(greenFile, p.Green, 0o644); err != nil {
		b.Fatal(err)
	}
	var red joblog.Store
	red.Append(p.Red)
	red.Finish()
	loaded := "red.log · " + words.Lines(red.Len())

	var ms, longest, long float64
	for b.Loop() {
		tab, cancelTab := chromedp.NewContext(browser)
		ctx, cancel := context.WithTimeout(tab, 10*time.Minute)
		err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: longTasks})
			return err
		}),
			chromedp.Navigate(srv.URL+app.Route{Screen: app.ScreenOpenFile}.Path()),
			waitApp,
			chromedp.SetUploadFiles(chromedp.ID("log-file"), []string{redFile}),
			chromedp.Poll[chromedp.Void](`(el => !!el && el.textContent === `+jsString(loaded)+`)(document.getElementById('log-live'))`),
		)
		if err != nil {
			b.Fatal(err)
		}
		t0, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`performance.now()`))
		if err == nil {
			err = chromedp.Do(ctx,
				chromedp.SetUploadFiles(chromedp.ID("log-file-base"), []string{greenFile}),
				chromedp.WaitVisible(chromedp.ID("log-changes-count")),
			)
		}
		if err != nil {
			b.Fatal(err)
		}
		type result struct{ Ms, Longest, Long float64 }
		r, err := chromedp.Run(ctx, chromedp.Evaluate[result](`(() => {
  const t0 = `+jsFloat(t0)+`, now = performance.now();
  const during = window.__long.filter(([start]) => start >= t0);
  return {Ms: now - t0, Longest: Math.max(0, ...during.map(([, d]) => d)), Long: during.filter(([, d]) => d > 200).length};
})()`))
		if err != nil {
			b.Fatal(err)
		}
		ms, longest, long = r.Ms, r.Longest, r.Long
		trace, _ := chromedp.Run(ctx, chromedp.Evaluate[any](`({said: window.__said, long: window.__long})`))
		b.Logf("t0 %.0f, phases and long tasks: %v", t0, trace)
		cancel()
		cancelTab()
	}
	b.ReportMetric(ms, "ms-to-counts")
	b.ReportMetric(longest, "longest-task-ms")
	b.ReportMetric(long, "tasks-over-200ms")
	b.ReportMetric(float64(len(p.Green)+len(p.Red))/1e6, "MB")
}

func jsFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
