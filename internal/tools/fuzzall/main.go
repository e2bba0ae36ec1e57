// Command fuzzall runs every fuzz target of the given packages for a short
// time each. `go test -fuzz` accepts one target in one package per run, so a
// plain `go test` line cannot do this; CI uses it to keep the fuzzers honest
// (new crashers land in the package's testdata/fuzz/ and fail later runs).
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

var fuzzFunc = regexp.MustCompile(`^func (Fuzz\w+)\(\w+ \*testing\.F\)`)

func main() {
	fuzztime := flag.String("fuzztime", "10s", "time per fuzz target")
	flag.Parse()
	patterns := flag.Args()
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	out, err := exec.Command("go", append([]string{"list", "-f", "{{.Dir}} {{.ImportPath}}"}, patterns...)...).Output()
	if err != nil {
		fail("go list: %v", err)
	}
	ran, failed := 0, 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		dir, pkg, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		for _, target := range targets(dir) {
			ran++
			fmt.Printf("fuzz %s %s (%s)\n", pkg, target, *fuzztime)
			cmd := exec.Command("go", "test", "-run=^$", "-fuzz=^"+target+"$", "-fuzztime="+*fuzztime, pkg)
			cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
			if err := cmd.Run(); err != nil {
				failed++
				fmt.Printf("FAIL fuzz %s %s: %v\n", pkg, target, err)
			}
		}
	}
	fmt.Printf("fuzz: %d passed, %d failed\n", ran-failed, failed)
	if failed > 0 {
		os.Exit(1)
	}
}

// targets lists the Fuzz functions declared in the package's _test.go files.
func targets(dir string) []string {
	files, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
	var names []string
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			fail("%v", err)
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			if m := fuzzFunc.FindStringSubmatch(sc.Text()); m != nil {
				names = append(names, m[1])
			}
		}
		fh.Close()
	}
	sort.Strings(names)
	return names
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "fuzzall: "+format+"\n", args...)
	os.Exit(2)
}
