// Command buildsite writes jobscope's static site (see package site). `make
// build` runs it after `make wasm`:
//
//	go run ./internal/cmd/buildsite -dir dist/site -prefix /tools/jobscope/
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/jobscope/jobscope/internal/site"
)

func main() {
	o := site.Options{Compress: true}
	connect := flag.String("connect-src", strings.Join(site.DefaultConnectSrc, " "),
		"origins the page may call besides its own (CSP connect-src), space separated")
	flag.StringVar(&o.Dir, "dir", "dist/site", "output folder; its web/app.wasm must exist")
	flag.StringVar(&o.WebDir, "web", "web", "folder of static assets (CSS, SVG)")
	flag.StringVar(&o.Prefix, "prefix", "/", "path prefix the site is served under, with both slashes")
	flag.BoolVar(&o.Compress, "compress", true, "write .br and .gz beside each asset")
	flag.Parse()
	o.ConnectSrc = strings.Fields(*connect)
	if err := site.Build(o); err != nil {
		fmt.Fprintln(os.Stderr, "buildsite:", err)
		os.Exit(1)
	}
}
