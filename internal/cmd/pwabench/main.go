// Command pwabench prints the PWA's Lighthouse scores, load times and
// transfer size (see package pwabench). `make bench` runs it on dist/site:
//
//	go run ./internal/cmd/pwabench -site dist/site
//
// Lighthouse audits the pages that need no GitLab on the site alone, and the
// job screens of a running, a succeeded and a failed job on the demo
// (package demo: the site connected to the emulator), at a phone's and a
// desk's size.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/jobscope/jobscope/internal/demo"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/pwabench"
	"github.com/jobscope/jobscope/internal/site"
)

func main() {
	dir := flag.String("site", "dist/site", "the built site (make build)")
	chromium := flag.String("chromium", "/usr/bin/chromium", "Debian's chromium")
	tools := flag.String("tools", filepath.Join("dist", "_tools", "lighthouse"), "where Lighthouse is installed from npm")
	serve := flag.String("serve", "", "only serve the site on this address (for a manual look)")
	auditOnly := flag.Bool("lighthouse-only", false, "skip the load measurements (while fixing what Lighthouse finds)")
	flag.Parse()
	if err := run(*dir, *chromium, *tools, *serve, *auditOnly); err != nil {
		fmt.Fprintln(os.Stderr, "pwabench:", err)
		os.Exit(1)
	}
}

func run(dir, chromium, tools, serve string, auditOnly bool) error {
	ctx := context.Background()
	if serve != "" {
		return pwabench.ListenAndServe(serve, dir)
	}
	counter := pwabench.NewCounter(site.FileServer(dir, site.ServeOptions{}))
	srv := httptest.NewServer(counter)
	defer srv.Close()
	if !auditOnly {
		if err := measureLoads(ctx, srv.URL, counter); err != nil {
			return err
		}
	}

	cli, err := pwabench.InstallLighthouse(ctx, tools)
	if err != nil {
		return err
	}
	// The pages that need no GitLab: the start page (Connect) and the log
	// file opener, on the phone.
	for _, page := range []string{"/", "/open"} {
		if err := audit(ctx, cli, chromium, page, srv.URL+page, pwabench.Phone); err != nil {
			return err
		}
	}
	// The job screen, the app's most used, needs a GitLab: the demo's.
	d, err := demo.Start(dir, "127.0.0.1:0", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer d.Close()
	info := d.Emulator.Info()
	pages, err := pwabench.JobPages(ctx, d.APIURL, info.Token, info.Projects[0], gitlab.StatusRunning, gitlab.StatusSuccess, gitlab.StatusFailed)
	if err != nil {
		return err
	}
	for _, p := range pages {
		for _, screen := range []pwabench.Screen{pwabench.Phone, pwabench.Desk} {
			if err := audit(ctx, cli, chromium, "demo "+p.Name+" "+screen.Name, d.SiteURL+p.Path, screen); err != nil {
				return err
			}
		}
	}
	return nil
}

// audit prints Lighthouse's scores of url and every failed audit.
func audit(ctx context.Context, cli, chromium, name, url string, screen pwabench.Screen) error {
	cats, err := pwabench.RunLighthouse(ctx, cli, chromium, url, screen)
	if err != nil {
		return err
	}
	for _, c := range cats {
		fmt.Printf("lighthouse %s %s: %.0f\n", name, c.ID, c.Score*100)
		for _, a := range c.Failed {
			fmt.Printf("  failed %s (%.2f): %s\n", a.ID, a.Score, a.Title)
			const shown = 3 // a failing row class repeats on every row
			for i, it := range a.Items {
				if i == shown {
					fmt.Printf("    … and %d more\n", len(a.Items)-shown)
					break
				}
				fmt.Printf("    %s\n", it)
			}
		}
	}
	return nil
}

// measureLoads prints the shell's cold and warm loads and first-visit bytes
// against the minimal go-app app's, served the same way.
func measureLoads(ctx context.Context, siteURL string, counter *pwabench.Counter) error {
	minimalDir, err := os.MkdirTemp("", "jobscope-minimal-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(minimalDir)
	if err := pwabench.BuildMinimal(ctx, ".", minimalDir); err != nil {
		return err
	}
	refCounter := pwabench.NewCounter(site.FileServer(minimalDir, site.ServeOptions{}))
	ref := httptest.NewServer(refCounter)
	defer ref.Close()

	const runs = 3
	app, err := pwabench.MeasureLoad(ctx, siteURL+"/", counter, runs)
	if err != nil {
		return err
	}
	min, err := pwabench.MeasureLoad(ctx, ref.URL+"/", refCounter, runs)
	if err != nil {
		return err
	}
	ms := func(d time.Duration) string { return fmt.Sprintf("%d ms", d.Milliseconds()) }
	mb := func(n int64) string { return fmt.Sprintf("%.2f MB", float64(n)/1e6) }
	fmt.Printf("shell cold load (median of %d, fresh profile): jobscope %s, minimal go-app %s: %.2fx\n", runs, ms(app.Cold), ms(min.Cold), float64(app.Cold)/float64(min.Cold))
	fmt.Printf("shell warm load (service worker):              jobscope %s, minimal go-app %s: %.2fx\n", ms(app.Warm), ms(min.Warm), float64(app.Warm)/float64(min.Warm))
	fmt.Printf("first visit transfer (brotli, page + worker):  jobscope %s, minimal go-app %s: %.2fx\n", mb(app.FirstVisit), mb(min.FirstVisit), float64(app.FirstVisit)/float64(min.FirstVisit))

	return nil
}
