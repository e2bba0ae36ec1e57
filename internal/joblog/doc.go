// Package joblog parses GitLab CI job traces into a compact, searchable line
// store for jobscope's log view, following docs/joblog.md: GitLab's
// job page semantics (lines, CR, SGR quirks, sections, durations, runner
// timestamps) with jobscope's choices (the whole log, 24-bit and colon
// colours, bright backgrounds, escapes removed whole, a live last line).
//
// Parsing is one streaming pass (parser.go documents the state machine):
//
//	var s joblog.Store
//	restarted := s.Update(trace) // each poll: the whole trace; only new bytes are parsed
//	s.Append(chunk)              // or feed chunks directly
//	s.Finish()                   // the job is complete
//
// Reading is by index and allocates nothing, for a scroll handler:
//
//	fold := s.Fold(toggled)      // visible row <-> line, with sections collapsed
//	l := s.Line(fold.Line(row))  // text, spans, section, header, timestamp, offset
//	for k := range l.NumSpans() { text, style := l.Span(k) ... }
//	links = l.Links(links[:0])
//
// Sections (Section, NumSections), search (Search, Failures: incremental
// with a budget per Step) and stable addresses (Line.Addr, Resolve) complete
// the API. The package uses no browser API and runs natively and under
// GOOS=js GOARCH=wasm alike.
package joblog
