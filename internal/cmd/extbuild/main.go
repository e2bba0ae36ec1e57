// Command extbuild writes jobscope's extension packages (see package
// extbuild). `make dist` runs it after building ./extension/wasm:
//
//	go run ./internal/cmd/extbuild -wasm dist/extension/app.wasm -dist dist -source .
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/jobscope/jobscope/internal/extbuild"
)

func main() {
	var o extbuild.Options
	flag.StringVar(&o.Wasm, "wasm", "dist/extension/app.wasm", "the extension's wasm, built from ./extension/wasm")
	flag.StringVar(&o.WebDir, "web", "web", "folder of the site's static assets")
	flag.StringVar(&o.Dist, "dist", "dist", "output folder: <dist>/extension/<browser>/ and <dist>/jobscope-<browser>.zip")
	source := flag.String("source", "", "also write <dist>/jobscope-source.zip, the sources under this module root (AMO's review)")
	flag.Parse()
	if err := extbuild.Build(o); err != nil {
		fmt.Fprintln(os.Stderr, "extbuild:", err)
		os.Exit(1)
	}
	for _, b := range extbuild.Browsers {
		fmt.Println(extbuild.Zip(o.Dist, b))
	}
	if *source != "" {
		if err := extbuild.WriteSource(*source, extbuild.SourceZip(o.Dist)); err != nil {
			fmt.Fprintln(os.Stderr, "extbuild:", err)
			os.Exit(1)
		}
		fmt.Println(extbuild.SourceZip(o.Dist))
	}
}
