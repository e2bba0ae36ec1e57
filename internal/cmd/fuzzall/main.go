// Command fuzzall runs every fuzz target of the given packages for a short
// time each. `go test -fuzz` accepts one target in one package per run, so a
// plain `go test` line cannot do this; CI uses it to keep the fuzzers honest
// (new crashers land in the package's testdata/fuzz/ and fail later runs).
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
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
			var out bytes.Buffer
			cmd := exec.Command("go", "test", "-run=^$", "-fuzz=^"+target+"$", "-fuzztime="+*fuzztime, pkg)
			cmd.Stdout = io.MultiWriter(os.Stdout, &out)
			cmd.Stderr = cmd.Stdout
			err := cmd.Run()
			switch {
			case err == nil:
			case coordinatorRace(out.String(), target):
				fmt.Printf("fuzz %s %s: passed; its FAIL above is Go's -fuzztime race (golang/go#75804, fixed in Go 1.27): no input failed\n", pkg, target)
			default:
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

// coordinatorRace tells Go's own fuzz coordinator bug from a real failure.
// Before Go 1.27 the -fuzztime deadline can escape the coordinator's
// "expected stop" check (golang/go#75804): the target then FAILs with a bare
// "context deadline exceeded" at the deadline, with no failing input written.
// A real failure (a crasher, a t.Fatal, a panic) always writes its input.
func coordinatorRace(out, target string) bool {
	return strings.Contains(out, "--- FAIL: "+target+" (") &&
		strings.Contains(out, "\n    context deadline exceeded\n") &&
		!strings.Contains(out, "Failing input written to") &&
		!strings.Contains(out, "panic:")
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
