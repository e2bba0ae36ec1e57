// Command demo is `make run`: the built static site and the GitLab Jobs API
// emulator, side by side on two loopback ports (two origins, so the browser
// applies CORS as it does with a real GitLab), the site already connected to
// the emulator with the demo token. It prints
//
//	site: http://127.0.0.1:PORT/
//	api: http://127.0.0.1:PORT/api/v4
//
// first, then runs until Ctrl-C (SIGINT) or SIGTERM, which stop both.
//
// The connection reaches the app without putting the token in a URL: every
// HTML page gets a marker <meta name="jobscope-demo">, and only then does the
// app fetch /demo-config.json (same origin, no-store) holding the emulator's
// address, the demo token (kept in memory only) and the page to open, the
// richest project's job list.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}
