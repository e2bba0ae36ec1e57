package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/app"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/jobscope/jobscope/internal/joblog"
	"github.com/jobscope/jobscope/internal/site"
)

// The browser part of `make bench` for the log view (issue 4): the
// 500,000-line huge-log opened, scrolled and searched in jobscope, and the
// same in a reference page measured in the same run that puts every line in
// the DOM the way GitLab's job page does (a div per line with a line-number
// link and a span per text run). Times are from navigation start
// (performance.now), so they include the wasm's download and start.

// benchHook records, from the first script of the page, when the first log
// rows exist and when the status line counts every line (the store is
// complete, so search covers the whole log).
const benchHook = `
window.__bench = {};
new MutationObserver(() => {
  const b = window.__bench;
  if (!b.first && document.querySelector('#log-rows a.ln, #ref-log a.ln')) b.first = performance.now();
  const live = document.getElementById('log-live');
  if (!b.full && live && window.__want && live.textContent.includes(window.__want)) b.full = performance.now();
}).observe(document, {subtree: true, childList: true, characterData: true});`

// refPage is the reference: fetch the trace, drop escape sequences and
// section markers as GitLab's parser would, and append one element per line.
const refPage = `<!doctype html><meta charset=utf-8><title>reference</title>
<style>#ref-log{font:13px/20px monospace;white-space:pre}.log-line{display:flex}.log-line a{width:5em;color:#888}</style>
<div id=ref-log></div><script src="ref.js"></script>`

const refScript = `
(async () => {
  const q = new URLSearchParams(location.search);
  const r = await fetch(q.get('trace'), {headers: {'PRIVATE-TOKEN': q.get('token')}});
  const text = await r.text();
  const lines = text.split('\n');
  const frag = document.createDocumentFragment();
  const esc = /\x1b\[[0-9;]*[A-Za-z]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|section_(start|end):\d+:[^\r\n]*?\r/g;
  let n = 0;
  for (const raw of lines) {
    const line = raw.replace(esc, '');
    const div = document.createElement('div');
    div.className = 'js-line log-line';
    const a = document.createElement('a');
    a.className = 'gl-link d-inline-block log-line-number ln';
    a.href = '#L' + (++n);
    a.textContent = n;
    const span = document.createElement('span');
    span.textContent = line;
    div.append(a, span);
    frag.append(div);
  }
  document.getElementById('ref-log').append(frag);
  await new Promise(r => requestAnimationFrame(r));
  window.__bench.full = performance.now();
  window.__refLines = n;
})();`

// sweep scrolls el (a JS expression) by step px per frame for frames frames
// and returns the frame times in ms.
func sweep(el string, step, frames int) string {
	return fmt.Sprintf(`(async () => {
  const el = %s; const times = []; let last = performance.now();
  for (let i = 0; i < %d; i++) {
    el.scrollTop += %d;
    await new Promise(r => requestAnimationFrame(r));
    const now = performance.now(); times.push(now - last); last = now;
  }
  return times;
})()`, el, frames, step)
}

func quantile(ms []float64, q float64) float64 {
	s := append([]float64(nil), ms...)
	sort.Float64s(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

// waitBench polls window.__bench.<key> until it is set.
func waitBench(ctx context.Context, key string, limit time.Duration) (float64, error) {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`(window.__bench && window.__bench.`+key+`) || 0`))
		if err == nil && v > 0 {
			return v, nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return 0, fmt.Errorf("%s never came within %s", key, limit)
}

func benchTab(b *testing.B, want string) context.Context {
	tab, cancel := chromedp.NewContext(browser)
	b.Cleanup(cancel)
	hook := benchHook + "\nwindow.__want = " + jsString(want) + ";"
	if err := chromedp.Do(tab, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: hook})
		return err
	})); err != nil {
		b.Fatal(err)
	}
	ctx, cancelT := context.WithTimeout(tab, 10*time.Minute)
	b.Cleanup(cancelT)
	return ctx
}

func BenchmarkLogView(b *testing.B) {
	if reason := Skip(); reason != "" {
		b.Skip(reason)
	}
	emu := gitlabfake.New(gitlabfake.Options{Frozen: true})
	api := httptest.NewServer(emu)
	defer api.Close()
	srv := httptest.NewServer(site.FileServer(siteDir, site.ServeOptions{}))
	defer srv.Close()
	ref := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/ref.js" {
			w.Header().Set("Content-Type", "text/javascript")
			fmt.Fprint(w, refScript)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, refPage)
	}))
	defer ref.Close()
	project, job := findJobNamed(b, api.URL, emu.Info().Projects[:1], "huge-log")
	store := traceOf(b, api.URL, project, job.ID)
	want := thousands(store.Len()) + " lines"
	trace := url.QueryEscape(fmt.Sprintf("%s/api/v4/projects/%s/jobs/%d/trace", api.URL, url.PathEscape(project), job.ID))

	var m struct{ first, full, refFull, p50, p95, refP50, refP95, search, refSearch, nodes, refNodes float64 }
	// One run of each: a fresh tab per page (-benchtime=1x is the sensible setting).
	for b.Loop() {
		// jobscope.
		ctx := benchTab(b, want)
		must(b, chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/open"), connectTo(api.URL, gitlabfake.DefaultToken)))
		must(b, chromedp.Do(ctx, chromedp.Navigate(srv.URL+app.Route{Screen: app.ScreenLog, Project: project, ID: job.ID}.Path())))
		var err error
		m.first, err = waitBench(ctx, "first", 2*time.Minute)
		must(b, err)
		m.full, err = waitBench(ctx, "full", 2*time.Minute)
		must(b, err)
		frames, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](sweep(`document.getElementById('log-port')`, 2500, 200), chromedp.EvalAwaitPromise))
		must(b, err)
		m.p50, m.p95 = quantile(frames, .5), quantile(frames, .95)
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.getElementsByTagName('*').length`))
		must(b, err)
		m.nodes = float64(n)
		start := time.Now()
		must(b, chromedp.Do(ctx, fill("log-search", "warning")))
		want := "1 of " + thousands(searchCount(store, "warning"))
		for {
			s, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("log-count")))
			must(b, err)
			if s == want {
				break
			}
			if time.Since(start) > time.Minute {
				b.Fatalf("search count %q, want %q", s, want)
			}
			time.Sleep(5 * time.Millisecond)
		}
		m.search = float64(time.Since(start).Milliseconds())

		// The reference page.
		rctx := benchTab(b, "")
		must(b, chromedp.Do(rctx, chromedp.Navigate(ref.URL+"/?trace="+trace+"&token="+gitlabfake.DefaultToken)))
		m.refFull, err = waitBench(rctx, "full", 5*time.Minute)
		must(b, err)
		// Far fewer frames: each takes about a second (log-viewport-probe.md).
		frames, err = chromedp.Run(rctx, chromedp.Evaluate[[]float64](sweep(`document.scrollingElement`, 2500*20, 10), chromedp.EvalAwaitPromise))
		must(b, err)
		m.refP50, m.refP95 = quantile(frames, .5), quantile(frames, .95)
		n, err = chromedp.Run(rctx, chromedp.Evaluate[int](`document.getElementsByTagName('*').length`))
		must(b, err)
		m.refNodes = float64(n)
		refSearch, err := chromedp.Run(rctx, chromedp.Evaluate[float64](`(() => {
  const t0 = performance.now(); let hits = 0;
  for (const el of document.querySelectorAll('#ref-log .log-line')) {
    if (el.textContent.toLowerCase().includes('warning')) { hits++; el.classList.add('hit'); }
  }
  document.querySelector('#ref-log .hit').scrollIntoView();
  return performance.now() - t0;
})()`))
		must(b, err)
		m.refSearch = refSearch
	}
	b.ReportMetric(m.first, "ms-first-lines")
	b.ReportMetric(m.full, "ms-searchable")
	b.ReportMetric(m.refFull, "ref-ms-first-lines")
	b.ReportMetric(m.refFull/m.first, "x-faster-first-lines")
	b.ReportMetric(m.refFull/m.full, "x-faster-searchable")
	b.ReportMetric(m.p50, "ms-frame-p50")
	b.ReportMetric(m.p95, "ms-frame-p95")
	b.ReportMetric(m.refP95, "ref-ms-frame-p95")
	b.ReportMetric(m.refP95/m.p95, "x-faster-frame-p95")
	b.ReportMetric(m.search, "ms-search")
	b.ReportMetric(m.refSearch, "ref-ms-search")
	b.ReportMetric(m.refSearch/m.search, "x-faster-search")
	b.ReportMetric(m.nodes, "dom-nodes")
	b.ReportMetric(m.refNodes, "ref-dom-nodes")
	b.Logf("jobscope: first lines %.0f ms, searchable %.0f ms, frames p50 %.1f / p95 %.1f ms, search %.0f ms, %.0f nodes", m.first, m.full, m.p50, m.p95, m.search, m.nodes)
	b.Logf("reference: all lines %.0f ms, frames p50 %.1f / p95 %.1f ms, search %.0f ms, %.0f nodes", m.refFull, m.refP50, m.refP95, m.refSearch, m.refNodes)
}

func searchCount(s *joblog.Store, q string) int {
	sr, err := s.Search(joblog.Query{Text: q})
	if err != nil {
		return -1
	}
	for !sr.Step(1 << 30) {
	}
	return sr.Count()
}

func must(b *testing.B, err error) {
	b.Helper()
	if err != nil {
		b.Fatal(err)
	}
}
