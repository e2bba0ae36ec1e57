package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/app"
	"github.com/jobscope/jobscope/internal/browsertest/protocol"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/jobscope/jobscope/internal/site"
)

// The log over a real network (issue 12), in `make bench`: chromium's
// network throttled by DevTools, the log opened in jobscope and in a
// reference page measured in the same run that does what GitLab's job
// page does: it asks for the last 500 KB of the log as JSON lines (GitLab's
// trace.json, lib/gitlab/ci/trace/stream.rb's limit) and puts every line in
// the DOM at once.

// netHook adds to benchHook: when the trace's answer starts (its fetch
// resolves with the headers) and when the log's last line is on screen,
// known by its text (the failure): while a failed job's end shows first,
// its line numbers count from the end's first line, not the log's.
const netHook = `
(() => {
  const f = window.fetch;
  window.fetch = function (...a) {
    const b = window.__bench;
    const first = String(a[0]).includes('/trace') && !b.traceCall;
    if (first) b.traceCall = performance.now();
    const p = f.apply(this, a);
    if (first) {
      p.then(r => {
        b.traceStart = performance.now();
        // The first bytes of the body as the page gets them: throttling
        // hands the body over in chunks, the first some time after the
        // headers.
        const body = r.body, getReader = body && body.getReader;
        if (!getReader) return;
        body.getReader = function (...x) {
          const reader = getReader.apply(this, x), read = reader.read;
          reader.read = function () {
            return read.call(this).then(v => {
              if (!b.traceBody && v.value) { b.traceBody = performance.now(); b.traceFirstChunk = v.value.byteLength; }
              return v;
            });
          };
          return reader;
        };
      }, () => {});
    }
    return p;
  };
  new MutationObserver(() => {
    const b = window.__bench;
    if (b.last || !window.__lastText) return;
    for (const row of document.querySelectorAll('#log-rows > div:not([hidden]) .tx, #ref-log > div')) {
      if (row.textContent.includes(window.__lastText)) { b.last = performance.now(); return; }
    }
  }).observe(document, {subtree: true, childList: true, characterData: true});
})();`

// tailRefScript is the reference: the last 500 KB as JSON lines, every
// line an element, as GitLab's job page.
const tailRefScript = `
(async () => {
  const q = new URLSearchParams(location.search);
  const r = await fetch(q.get('tail'));
  const body = await r.json();
  const frag = document.createDocumentFragment();
  for (const line of body.lines) {
    const div = document.createElement('div');
    div.className = 'js-line log-line';
    const a = document.createElement('a');
    a.className = 'gl-link d-inline-block log-line-number ln';
    a.textContent = line.number;
    div.append(a);
    for (const c of line.content) { const s = document.createElement('span'); s.textContent = c.text; div.append(s); }
    frag.append(div);
  }
  document.getElementById('ref-log').append(frag);
  await new Promise(r => requestAnimationFrame(r));
  window.__bench.full = window.__bench.first = performance.now();
})();`

// gitlabTail is the last 500 KB of raw as GitLab's job page receives it:
// whole lines, numbered, escape sequences and section markers dropped.
func gitlabTail(raw []byte, total int) []byte {
	const limit = 500 << 10
	start := max(len(raw)-limit, 0)
	if i := strings.IndexByte(string(raw[start:]), '\n'); start > 0 && i >= 0 {
		start += i + 1
	}
	lines := strings.Split(strings.TrimSuffix(string(raw[start:]), "\n"), "\n")
	type content struct {
		Text string `json:"text"`
	}
	type line struct {
		Number  int       `json:"number"`
		Content []content `json:"content"`
	}
	out := struct {
		Lines []line `json:"lines"`
	}{}
	first := total - len(lines) + 1
	for i, l := range lines {
		out.Lines = append(out.Lines, line{Number: first + i, Content: []content{{Text: stripEscapes(l)}}})
	}
	b, _ := json.Marshal(out)
	return b
}

// stripEscapes drops CSI sequences, OSC links and section markers, as the
// reference page of log_bench_test.go does.
func stripEscapes(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';') {
				j++
			}
			i = j
			continue
		}
		if s[i] == '\r' {
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

type netCase struct {
	name      string
	down, lat float64 // bytes/s, ms
}

var benchNetworks = []netCase{
	{"100Mbit-30ms", 100e6 / 8, 30},
	{"20Mbit-80ms", 20e6 / 8, 80},
}

// netRun is one page load's marks, ms from navigation start.
type netRun struct {
	first, last float64
	// The trace: its fetch called, its headers in, its body's first chunk
	// in (and that chunk's size), its last byte in.
	traceCall, traceStart, traceBody, traceFirstChunk, traceEnd float64
}

func BenchmarkLogOverNetwork(b *testing.B) {
	if reason := Skip(); reason != "" {
		b.Skip(reason)
	}
	plain := gitlabfake.New(gitlabfake.Options{Frozen: true})
	plainAPI := httptest.NewServer(plain)
	defer plainAPI.Close()
	project, huge := findJobNamed(b, plainAPI.URL, plain.Info().Projects[:1], "huge-log")
	c, err := gitlab.New(plainAPI.URL, gitlab.PrivateToken(gitlabfake.DefaultToken), gitlab.WithBackoff(gitlab.NoBackoff))
	must(b, err)
	hugeRaw, err := c.JobLog(context.Background(), gitlab.ProjectPath(project), huge.ID)
	must(b, err)

	// A failed job with a 60 MB log: huge-log's, then the failure.
	dir := b.TempDir()
	const failure = "ERROR: Job failed: exit code 1"
	failedRaw := append(append([]byte(nil), hugeRaw...), "\x1b[31;1m"+failure+"\x1b[0;m\n"...)
	must(b, os.WriteFile(filepath.Join(dir, "big.log"), failedRaw, 0o644))
	seed := `{"projects":[{"path_with_namespace":"bench/big-failure","pipelines":[{"ref":"main","jobs":[` +
		`{"name":"big-failure","stage":"test","status":"failed","id":9990001,"log_file":"big.log"}]}]}]}`
	must(b, os.WriteFile(filepath.Join(dir, "seed.json"), []byte(seed), 0o644))

	srv := httptest.NewServer(site.FileServer(siteDir, site.ServeOptions{}))
	defer srv.Close()
	hugeLines, failedLines := traceOf(b, plainAPI.URL, project, huge.ID).Len(), 0

	type server struct {
		name   string
		ranges gitlabfake.TraceRanges
		api    *httptest.Server
		tail   []byte
	}
	var servers []*server
	for _, s := range []struct {
		name   string
		ranges gitlabfake.TraceRanges
	}{{"GitLab (no ranges)", gitlabfake.RangesNone}, {"ranges served", gitlabfake.RangesFinished}} {
		emu, err := gitlabfake.Open(gitlabfake.Options{Frozen: true, SeedFile: filepath.Join(dir, "seed.json"), Trace: gitlabfake.TraceOptions{Ranges: s.ranges}})
		must(b, err)
		api := httptest.NewServer(emu)
		defer api.Close()
		servers = append(servers, &server{name: s.name, ranges: s.ranges, api: api})
	}
	failedLines = traceOf(b, servers[0].api.URL, "bench/big-failure", 9990001).Len()
	ref := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ref.js":
			w.Header().Set("Content-Type", "text/javascript")
			fmt.Fprint(w, tailRefScript)
		case "/tail-huge.json", "/tail-failed.json":
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Access-Control-Allow-Origin", "*")
			if r.URL.Path == "/tail-huge.json" {
				w.Write(gitlabTail(hugeRaw, hugeLines))
			} else {
				w.Write(gitlabTail(failedRaw, failedLines))
			}
		default:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, refPage)
		}
	}))
	defer ref.Close()

	// open opens a log in jobscope; last is when its last line is on screen
	// (a failed job opens at its end) or, for a log that opens at its top,
	// when every line is in (the status line counts them all).
	open := func(net netCase, api, project string, id int64, lastLine int, failed bool) netRun {
		ctx := benchTab(b, thousands(lastLine)+" lines")
		defer closeTab(ctx)
		must(b, chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/open"), connectTo(api, gitlabfake.DefaultToken)))
		must(b, chromedp.Do(ctx, addHook(netHook+`;window.__lastText = `+jsString(failure)+`;`)))
		must(b, chromedp.Do(ctx, setNetwork(b, protocol.Conditions{Latency: net.lat, DownloadThroughput: net.down, UploadThroughput: net.down})))
		must(b, chromedp.Do(ctx, chromedp.Navigate(srv.URL+app.Route{Screen: app.ScreenLog, Project: project, ID: id}.Path())))
		var r netRun
		var err error
		r.first, err = waitBench(ctx, "first", 3*time.Minute)
		must(b, err)
		if failed {
			r.last, err = waitBench(ctx, "last", 5*time.Minute)
		} else {
			r.last, err = waitBench(ctx, "full", 5*time.Minute)
		}
		must(b, err)
		r.traceCall, _ = waitBench(ctx, "traceCall", time.Second)
		r.traceStart, _ = waitBench(ctx, "traceStart", time.Second)
		r.traceBody, _ = waitBench(ctx, "traceBody", time.Second)
		r.traceFirstChunk, _ = waitBench(ctx, "traceFirstChunk", time.Second)
		r.traceEnd, err = chromedp.Run(ctx, chromedp.Evaluate[float64](`Math.max(0, ...performance.getEntriesByType('resource').filter(e => e.name.includes('/trace')).map(e => e.responseEnd))`))
		must(b, err)
		return r
	}
	// fromList opens the failed job the way a user of the running app does:
	// its job list is on screen, and the user clicks the job. The time runs
	// from the click: the app has started, as a GitLab tab's page has.
	fromList := func(net netCase, api string) netRun {
		ctx := benchTab(b, "")
		defer closeTab(ctx)
		must(b, chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/open"), connectTo(api, gitlabfake.DefaultToken)))
		must(b, chromedp.Do(ctx, addHook(netHook+`;window.__lastText = `+jsString(failure)+`;`)))
		must(b, chromedp.Do(ctx, setNetwork(b, protocol.Conditions{Latency: net.lat, DownloadThroughput: net.down, UploadThroughput: net.down})))
		must(b, chromedp.Do(ctx, chromedp.Navigate(srv.URL+app.Route{Screen: app.ScreenJobs, Project: "bench/big-failure"}.Path()),
			chromedp.WaitVisible(chromedp.CSS(`#job-list li.job[data-id="9990001"] .job-name`))))
		click, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`(() => {
  const t = performance.now();
  document.querySelector('#job-list li.job[data-id="9990001"] .job-name').click();
  return t;
})()`))
		must(b, err)
		var r netRun
		r.last, err = waitBench(ctx, "last", 5*time.Minute)
		must(b, err)
		r.traceCall, _ = waitBench(ctx, "traceCall", time.Second)
		r.traceStart, _ = waitBench(ctx, "traceStart", time.Second)
		r.traceBody, _ = waitBench(ctx, "traceBody", time.Second)
		r.last, r.traceCall, r.traceStart, r.traceBody = r.last-click, r.traceCall-click, r.traceStart-click, r.traceBody-click
		return r
	}
	openRef := func(net netCase, tail string) netRun {
		ctx := benchTab(b, "")
		defer closeTab(ctx)
		must(b, chromedp.Do(ctx, addHook(netHook+`;window.__lastText = `+jsString(failure)+`;`)))
		must(b, chromedp.Do(ctx, chromedp.Navigate(ref.URL+"/blank")))
		must(b, chromedp.Do(ctx, setNetwork(b, protocol.Conditions{Latency: net.lat, DownloadThroughput: net.down, UploadThroughput: net.down})))
		must(b, chromedp.Do(ctx, chromedp.Navigate(ref.URL+"/?tail="+url.QueryEscape(ref.URL+tail))))
		var r netRun
		var err error
		r.first, err = waitBench(ctx, "full", 5*time.Minute)
		must(b, err)
		r.last = r.first
		return r
	}

	for _, net := range benchNetworks {
		b.Run(net.name, func(b *testing.B) {
			for b.Loop() {
				// huge-log, 500,000 lines, success: the first lines.
				js := open(net, servers[0].api.URL, project, huge.ID, hugeLines, false)
				rf := openRef(net, "/tail-huge.json")
				fmt.Printf("%-13s huge-log (%s, %d lines): first lines %6.0f ms (%4.0f ms after the trace's headers, %4.0f ms after its body's first chunk of %.0f KB), all %6.0f ms; GitLab-like page (last 500 KB, every line in the DOM) %6.0f ms: ×%.2f\n",
					net.name, size(len(hugeRaw)), hugeLines, js.first, js.first-js.traceStart, js.first-js.traceBody, js.traceFirstChunk/1024, js.last, rf.first, rf.first/js.first)
				b.ReportMetric(js.first-js.traceStart, "ms-first-lines-after-first-byte")
				b.ReportMetric(js.first-js.traceBody, "ms-first-lines-after-first-chunk")
				b.ReportMetric(rf.first/js.first, "x-first-lines-vs-gitlab")

				// The failed job with a 60 MB log, on each kind of GitLab.
				rf = openRef(net, "/tail-failed.json")
				for _, s := range servers {
					js := open(net, s.api.URL, "bench/big-failure", 9990001, failedLines, true)
					fmt.Printf("%-13s failed job (%s) on %-18s: last line %6.0f ms (%5.0f ms after the trace's first byte; download ends %6.0f ms: %+5.0f ms); GitLab-like page %6.0f ms: ×%.2f\n",
						net.name, size(len(failedRaw)), s.name, js.last, js.last-js.traceStart, js.traceEnd, js.last-js.traceEnd, rf.last, rf.last/js.last)
					if s.ranges == gitlabfake.RangesNone {
						b.ReportMetric(js.last-js.traceEnd, "ms-last-line-after-download")
					} else {
						b.ReportMetric(rf.last/js.last, "x-last-line-vs-gitlab-ranges")
						l := fromList(net, s.api.URL)
						fmt.Printf("%-13s failed job (%s) on %-18s, clicked in the job list: last line %6.0f ms after the click (the end's fetch called at %4.0f ms, its headers %4.0f ms, its body %4.0f ms); GitLab-like page %6.0f ms: ×%.2f\n",
							net.name, size(len(failedRaw)), s.name, l.last, l.traceCall, l.traceStart, l.traceBody, rf.last, rf.last/l.last)
						b.ReportMetric(rf.last/l.last, "x-last-line-vs-gitlab-ranges-from-list")
					}
				}
			}
		})
	}
}

// closeTab closes a measure's tab once it is measured: a tab left open goes
// on downloading (the whole failed log) and parsing, and would slow the
// next measure.
func closeTab(ctx context.Context) { _ = chromedp.Cancel(ctx) }

// addHook runs src first in every page the tab loads from now on.
func addHook(src string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: src})
		return err
	})
}

func size(n int) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }
