// Command pwabench prints the PWA's Lighthouse scores, load times and
// transfer size (see package pwabench). `make bench` runs it on dist/site:
//
//	go run ./internal/cmd/pwabench -site dist/site
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/jobscope/jobscope/internal/pwabench"
	"github.com/jobscope/jobscope/internal/site"
)

func main() {
	dir := flag.String("site", "dist/site", "the built site (make build)")
	chromium := flag.String("chromium", "/usr/bin/chromium", "Debian's chromium")
	tools := flag.String("tools", filepath.Join("dist", "_tools", "lighthouse"), "where Lighthouse is installed from npm")
	serve := flag.String("serve", "", "only serve the site on this address (for a manual look)")
	flag.Parse()
	if err := run(*dir, *chromium, *tools, *serve); err != nil {
		fmt.Fprintln(os.Stderr, "pwabench:", err)
		os.Exit(1)
	}
}

func run(dir, chromium, tools, serve string) error {
	ctx := context.Background()
	if serve != "" {
		return pwabench.ListenAndServe(serve, dir)
	}
	counter := pwabench.NewCounter(site.FileServer(dir, site.ServeOptions{}))
	srv := httptest.NewServer(counter)
	defer srv.Close()
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
	app, err := pwabench.MeasureLoad(ctx, srv.URL+"/", counter, runs)
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

	cli, err := pwabench.InstallLighthouse(ctx, tools)
	if err != nil {
		return err
	}
	// The pages that need no GitLab: the start page (Connect) and the log
	// file opener, at 360 px.
	for _, page := range []string{"/", "/open"} {
		cats, err := pwabench.RunLighthouse(ctx, cli, chromium, srv.URL+page)
		if err != nil {
			return err
		}
		for _, c := range cats {
			fmt.Printf("lighthouse %s %s: %.0f\n", page, c.ID, c.Score*100)
			for _, a := range c.Failed {
				fmt.Printf("  failed %s (%.2f): %s\n", a.ID, a.Score, a.Title)
			}
		}
	}
	return nil
}
