// Command joblogdump prints a GitLab job trace as jobscope displays it, as
// JSON Lines: one object per displayed line, in display order, so output
// line n is the log's #Ln.
//
//	go run ./internal/joblog/cmd/joblogdump < trace.log
//
// Schema (joblog.md; field order as below). Fields every line has are always
// present, null when unset; flags appear only when true; header fields appear
// exactly on header lines:
//
//	text          string   the displayed text (timestamps removed)
//	spans         array    [{text, fg?, bg?, bold?, italic?, underline?, conceal?, strike?}],
//	                       only attributes that are set; adjacent spans of one style
//	                       are merged; colours as displayed: "red", "bright-red",
//	                       "256:208", "#ff8800" (bold red is "bright-red")
//	section       string|null  innermost section name, sanitised; on a header line,
//	                       the section it opens
//	header        true     only on a section's header line (the toggle)
//	duration      string|null  on header lines: "MM:SS" or "HH:MM:SS", null while open
//	hide_duration true     on header lines with hide_duration=true
//	collapsed     bool     on header lines
//	hidden        true     when a collapsed section hides the line at first
//	timestamp     string|null  the runner's 27-character timestamp (UTC)
//	links         array    http(s) URLs linked on the line, only when there are any
//	truncated     number   text bytes dropped beyond the line cap, only when any
//
// The whole input is one complete log: what waits at the end (a CR, an
// unterminated escape) is resolved as the end of the log.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/jobscope/jobscope/internal/joblog"
)

func main() {
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "joblogdump:", err)
		os.Exit(1)
	}
}

func run(in io.Reader, out io.Writer) error {
	var s joblog.Store
	buf := make([]byte, 1<<20)
	for {
		n, err := in.Read(buf)
		s.Append(buf[:n])
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("read trace: %w", err)
		}
	}
	s.Finish()
	w := bufio.NewWriter(out)
	if err := s.WriteJSONLines(w); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return w.Flush()
}
