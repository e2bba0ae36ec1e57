// Command gitlabfake serves the GitLab Jobs API emulator on its own
// (`make emulator`). Its first stdout line is one JSON object for scripts:
//
//	{"api_url": ..., "token": ..., "projects": [...], "pipeline_id": N, "job_token": ...}
//
// then a few lines for people. Flags: -listen (default 127.0.0.1:8929; a
// loopback address unless -allow-remote), -token. Environment: FROZEN=1
// stops the clock, SEED_FILE adds fixtures. It serves until SIGINT or
// SIGTERM.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/jobscope/jobscope/internal/gitlabfake"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "gitlabfake:", err)
		os.Exit(1)
	}
}

// run serves until ctx is done.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("gitlabfake", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:8929", "address to serve on (loopback by default)")
	token := fs.String("token", "", "personal access token to accept (default "+gitlabfake.DefaultToken+")")
	baseURL := fs.String("base-url", "", "GitLab external URL for web_url and Link headers (default http://<listen>)")
	remote := fs.Bool("allow-remote", false, "listen on a non-loopback address: whoever reaches it reads the job token, the demo data and the control endpoints")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !*remote {
		if err := loopbackOnly(*listen); err != nil {
			return err
		}
	}
	frozen := getenv("FROZEN") == "1" || strings.EqualFold(getenv("FROZEN"), "true")
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	base := *baseURL
	if base == "" {
		base = "http://" + ln.Addr().String()
	}
	srv, err := gitlabfake.Open(gitlabfake.Options{Token: *token, Frozen: frozen, SeedFile: getenv("SEED_FILE"), BaseURL: base})
	if err != nil {
		_ = ln.Close()
		return err
	}
	info := srv.Info()
	info.APIURL = base + "/api/v4"
	line, err := json.Marshal(info)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s\n", line)
	fmt.Fprintf(stdout, "GitLab API emulator at %s (clock %s)\n", info.APIURL, map[bool]string{true: "frozen", false: "running"}[frozen])
	fmt.Fprintf(stdout, "  token (PRIVATE-TOKEN):  %s\n", info.Token)
	fmt.Fprintf(stdout, "  projects:               %s\n", strings.Join(info.Projects, ", "))
	fmt.Fprintf(stdout, "  pipeline with a retried job and a bridge: %s/%s/-/pipelines/%d\n", base, info.Projects[0], info.PipelineID)
	fmt.Fprintf(stdout, "  running job's token (JOB-TOKEN): %s\n", info.JobToken)
	fmt.Fprintf(stdout, "  control: %s/-/emulator/{info,faults,clock,ratelimit} (see internal/gitlabfake/README.md)\n", base)

	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shut); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

// errNotLoopback is returned for a -listen address off loopback without
// -allow-remote.
var errNotLoopback = errors.New("not a loopback address")

// loopbackOnly refuses a listen address that is not a loopback IP: the
// emulator has no authentication on its control endpoints and a well-known
// token, so by default nothing beyond this machine may reach it. A host
// name, localhost included, is refused too: it may resolve elsewhere.
func loopbackOnly(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-listen %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("-listen %q: %w (use 127.0.0.1 or [::1], or add -allow-remote)", addr, errNotLoopback)
	}
	return nil
}
