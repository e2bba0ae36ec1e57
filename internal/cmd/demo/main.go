// Command demo is `make run`: the built static site and the GitLab Jobs API
// emulator on two loopback ports, the site already connected (see package
// demo). It runs until Ctrl-C (SIGINT) or SIGTERM, which stop both.
//
//	go run ./internal/cmd/demo -site dist/site
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/jobscope/jobscope/internal/demo"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := demo.Run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}
