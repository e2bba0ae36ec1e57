package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/app"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/jobscope/jobscope/internal/site"
)

// The request budget of live lists (issue 16, README "Requests"), in `make
// bench`: ten tabs, five on the job list of the demo's richest project and
// five on the page of its pipeline with running jobs, against an emulator
// whose clock runs (jobs start, run and end meanwhile) and whose rate
// limiters are GitLab's defaults (§9: 600 GET /projects/:id/jobs a minute
// per user; 2,000 API requests a minute, GitLab.com's). Five minutes
// visible, then five minutes hidden; requests counted at the emulator's
// door, per screen and tab, against the budget of 6 a minute, and every
// 429. BENCH_LIVE shortens the five minutes (a Go duration).

const liveBudgetPerMinute = 6.0

func BenchmarkLiveLists(b *testing.B) {
	if reason := Skip(); reason != "" {
		b.Skip(reason)
	}
	span := 5 * time.Minute
	if d, err := time.ParseDuration(os.Getenv("BENCH_LIVE")); err == nil && d > 0 {
		span = d
	}
	for b.Loop() {
		emu := gitlabfake.New(gitlabfake.Options{RateLimit: gitlabfake.RateLimit{ProjectJobsPerMinute: 600, RequestsPerMinute: 2000}})
		d := &door{next: emu}
		api := httptest.NewServer(d)
		srv := httptest.NewServer(site.FileServer(siteDir, site.ServeOptions{}))
		project := emu.Info().Projects[0]
		running := runningJob(b, api.URL, project)
		job := getJob(b, api.URL, project, running)
		screens := []struct{ name, path, live string }{
			{"job list", app.Route{Screen: app.ScreenJobs, Project: project}.Path(), "section.jobs[data-live]"},
			{"pipeline page", app.Route{Screen: app.ScreenPipeline, Project: project, ID: job.Pipeline.ID}.Path(), "section.pipeline[data-live]"},
		}
		const tabs = 10
		ctxs, errs := make([]context.Context, tabs), make([]error, tabs)
		var wg sync.WaitGroup
		for i := range tabs {
			tab, cancel := chromedp.NewContext(browser)
			b.Cleanup(cancel)
			ctx, cancelT := context.WithTimeout(tab, 2*span+5*time.Minute)
			b.Cleanup(cancelT)
			ctxs[i] = ctx
			s := screens[i%2]
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/open"), connectTo(api.URL, gitlabfake.DefaultToken),
					chromedp.Navigate(srv.URL+s.path), waitApp, chromedp.WaitVisible(chromedp.CSS(s.live)))
			}()
		}
		wg.Wait()
		for _, err := range errs {
			must(b, err)
		}

		start := len(d.requests())
		time.Sleep(span)
		visible := d.requests()[start:]
		for _, ctx := range ctxs {
			must(b, chromedp.Do(ctx, setHidden(true)))
		}
		start = len(d.requests())
		time.Sleep(span)
		hidden := d.requests()[start:]
		api.Close()
		srv.Close()

		minutes := span.Minutes()
		fmt.Printf("live lists, %d tabs (%d per screen), %s visible then %s hidden, GitLab's rate limits; budget %.0f req/min per tab visible, 0 hidden\n",
			tabs, tabs/len(screens), span, span, liveBudgetPerMinute)
		tooMany := 0
		for _, r := range append(visible, hidden...) {
			if r.Status == http.StatusTooManyRequests {
				tooMany++
			}
		}
		for _, s := range screens {
			v := float64(countScreen(visible, s.name)) / minutes / (tabs / float64(len(screens)))
			h := float64(countScreen(hidden, s.name)) / minutes / (tabs / float64(len(screens)))
			fmt.Printf("  %-13s: %5.2f req/min per tab visible (×%.2f of the budget), %5.2f hidden\n", s.name, v, v/liveBudgetPerMinute, h)
			b.ReportMetric(v/liveBudgetPerMinute, "x-budget-"+strings.ReplaceAll(s.name, " ", "-"))
			b.ReportMetric(h, "req/min-hidden-"+strings.ReplaceAll(s.name, " ", "-"))
		}
		fmt.Printf("  429s seen: %d\n", tooMany)
		b.ReportMetric(float64(tooMany), "429s")
	}
}

// countScreen counts the requests of one screen: the job list asks for
// the project's jobs, the pipeline page for the pipeline and its lists.
func countScreen(reqs []doorRequest, screen string) int {
	n := 0
	for _, r := range reqs {
		if strings.Contains(r.Path, "/pipelines/") == (screen == "pipeline page") {
			n++
		}
	}
	return n
}

// getJob reads one job natively, outside the counted door's tally of a
// phase (it runs before the phases start).
func getJob(b *testing.B, apiURL, project string, id int64) *gitlab.Job {
	c, err := gitlab.New(apiURL, gitlab.PrivateToken(gitlabfake.DefaultToken), gitlab.WithBackoff(gitlab.NoBackoff))
	must(b, err)
	j, err := c.GetJob(context.Background(), gitlab.ProjectPath(project), id)
	must(b, err)
	return j
}
