package browsertest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/app"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/jobscope/jobscope/internal/loggen"
	"github.com/jobscope/jobscope/internal/site"
)

// Following a running job (issue 12), in `make bench`: a log that grows to
// 10 MB over five minutes of the emulator's clock (real time here), followed
// by jobscope in chromium against a GitLab that sends the whole log each
// time and against one that serves ranges, and, in the same run, the same
// follow done glab's way (`glab ci trace`: the whole log every 3 s) as the
// reference. Counted at the emulator's door: requests and body bytes.
// BENCH_FOLLOW shortens the five minutes (a Go duration) for a quick look.

// doorCounter counts a server's trace requests and the body bytes it sends.
type doorCounter struct {
	next     http.Handler
	requests atomic.Int64
	bytes    atomic.Int64

	mu      sync.Mutex
	last    time.Time
	longest time.Duration // the longest time between two trace requests
}

func (d *doorCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, "/trace") {
		d.requests.Add(1)
		d.mu.Lock()
		if now := time.Now(); !d.last.IsZero() {
			d.longest = max(d.longest, now.Sub(d.last))
			d.last = now
		} else {
			d.last = now
		}
		d.mu.Unlock()
		w = &countingWriter{ResponseWriter: w, n: &d.bytes}
	}
	d.next.ServeHTTP(w, r)
}

func (d *doorCounter) reset() {
	d.requests.Store(0)
	d.bytes.Store(0)
	d.mu.Lock()
	d.last, d.longest = time.Time{}, 0
	d.mu.Unlock()
}

type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.ResponseWriter.Write(p)
	c.n.Add(int64(n))
	return n, err
}

func (c *countingWriter) Flush() {
	if f, ok := c.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// follower is one followed job behind its counted door, and the site
// that follows it: one origin each, as the settings live in the origin's
// localStorage and the tabs share one browser.
type follower struct {
	name string
	door *doorCounter
	emu  *gitlabfake.Server
	api  *httptest.Server
	site *httptest.Server
	job  int64
}

func BenchmarkLogFollow(b *testing.B) {
	if reason := Skip(); reason != "" {
		b.Skip(reason)
	}
	span := 5 * time.Minute
	if d, err := time.ParseDuration(os.Getenv("BENCH_FOLLOW")); err == nil && d > 0 {
		span = d
	}
	full := loggen.Generate(loggen.Options{Seed: 12, Lines: 100_000, Timestamps: true, Start: time.Now()})
	for len(full) < 10<<20 {
		full = append(full, full...)
	}
	full = full[:10<<20]

	newFollower := func(name string, ranges gitlabfake.TraceRanges) *follower {
		emu := gitlabfake.New(gitlabfake.Options{Trace: gitlabfake.TraceOptions{Ranges: ranges}})
		door := &doorCounter{next: emu}
		api := httptest.NewServer(door)
		b.Cleanup(api.Close)
		srv := httptest.NewServer(site.FileServer(siteDir, site.ServeOptions{}))
		b.Cleanup(srv.Close)
		return &follower{name: name, door: door, emu: emu, api: api, site: srv, job: runningJob(b, api.URL, emu.Info().Projects[0])}
	}

	for b.Loop() {
		whole := newFollower("GitLab (whole log)", gitlabfake.RangesNone)
		ranged := newFollower("ranges served", gitlabfake.RangesAll)
		glab := newFollower("glab's way", gitlabfake.RangesNone)
		for _, f := range []*follower{whole, ranged, glab} {
			must(b, f.emu.GrowLog(f.job, full, span))
			f.door.reset()
		}
		ctx, cancel := context.WithTimeout(context.Background(), span+time.Minute)
		var wg sync.WaitGroup
		// glab's way: the whole log every 3 s until the job ends.
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &http.Client{}
			trace := fmt.Sprintf("%s/api/v4/projects/%s/jobs/%d/trace", glab.api.URL, url.PathEscape(glab.emu.Info().Projects[0]), glab.job)
			t := time.NewTicker(3 * time.Second)
			defer t.Stop()
			for !jobDone(glab) {
				req, _ := http.NewRequestWithContext(ctx, "GET", trace, nil)
				req.Header.Set("PRIVATE-TOKEN", gitlabfake.DefaultToken)
				if resp, err := c.Do(req); err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
			}
		}()
		// jobscope in a tab per kind of GitLab, until the job has ended and
		// the view shows it.
		for _, f := range []*follower{whole, ranged} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				tab := benchTab(b, "")
				project := f.emu.Info().Projects[0]
				must(b, chromedp.Do(tab, chromedp.Navigate(f.site.URL+"/open"), connectTo(f.api.URL, gitlabfake.DefaultToken)))
				must(b, chromedp.Do(tab, chromedp.Navigate(f.site.URL+app.Route{Screen: app.ScreenLog, Project: project, ID: f.job}.Path())))
				for ctx.Err() == nil && !jobDone(f) {
					time.Sleep(time.Second)
				}
			}()
		}
		wg.Wait()
		cancel()
		minutes := span.Minutes()
		glabBytes := float64(glab.door.bytes.Load())
		fmt.Printf("follow a log growing to 10 MB over %s; glab's way (whole log every 3 s): %5.1f req/min, %7.1f MB/min\n",
			span, float64(glab.door.requests.Load())/minutes, glabBytes/1e6/minutes)
		for _, f := range []*follower{whole, ranged} {
			bytes := float64(f.door.bytes.Load())
			fmt.Printf("  jobscope on %-18s: %5.1f req/min, %7.2f MB/min: ×%.3f of glab's bytes; a new line waits at most %s for the next poll\n",
				f.name, float64(f.door.requests.Load())/minutes, bytes/1e6/minutes, bytes/glabBytes, f.door.longest.Round(100*time.Millisecond))
			b.ReportMetric(bytes/glabBytes, "x-bytes-vs-glab-"+map[bool]string{true: "ranges", false: "whole"}[f == ranged])
		}
	}
}

// jobDone reports whether the follower's job has finished (asked natively,
// not through the counted door).
func jobDone(f *follower) bool {
	c, err := gitlab.New(f.api.URL, gitlab.PrivateToken(gitlabfake.DefaultToken), gitlab.WithBackoff(gitlab.NoBackoff))
	if err != nil {
		return true
	}
	j, err := c.GetJob(context.Background(), gitlab.ProjectPath(f.emu.Info().Projects[0]), f.job)
	return err != nil || j.Status.Finished()
}

// runningJob is the id of a running job of project.
func runningJob(b testing.TB, apiURL, project string) int64 {
	c, err := gitlab.New(apiURL, gitlab.PrivateToken(gitlabfake.DefaultToken), gitlab.WithBackoff(gitlab.NoBackoff))
	if err != nil {
		b.Fatal(err)
	}
	scope, _ := gitlab.ScopeSetOf(gitlab.StatusRunning)
	for j, err := range c.AllProjectJobs(context.Background(), gitlab.ProjectPath(project), gitlab.ListProjectJobsOptions{Scope: scope, Keyset: true}) {
		if err != nil {
			b.Fatal(err)
		}
		return j.ID
	}
	b.Fatalf("no running job in %s", project)
	return 0
}
