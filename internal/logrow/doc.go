// Package logrow builds the HTML of one row of the log view from a
// joblog.Line: line number (a #L<n> permalink), timestamp, section toggle and
// duration, the styled text with links and search hits. The viewport writes
// the result into a pooled row element with one innerHTML assignment
// (log-viewport-probe.md: the fastest way to update a row from Go).
//
// # Security boundary
//
// A log is hostile input and innerHTML parses markup, so this package is the
// one place where log bytes meet HTML. Its contract, checked by FuzzRow with
// golang.org/x/net/html's tokenizer over arbitrary bytes:
//   - every byte of log text goes through html.EscapeString-equivalent
//     escaping (&, <, >, ", ') and lands in a text node, except bidi and
//     direction controls, written as their names ("[U+202E]") as
//     words.ShowControls does in names, so a line cannot reorder itself;
//   - tags are only a, span and button, built here from constants;
//   - class values come only from fixed tables: joblog.Style.AppendClasses
//     (GitLab's term-fg-red, xterm-fg-208, term-bold …), this package's own
//     names (ln, ts, tg, tx, dur, tr, hit, cur) and the 24-bit colour classes
//     below, whose six hex digits are formatted from a parsed integer, never
//     copied from the log;
//   - the only attribute value taken from the log is an http(s) link target
//     (scheme checked here again, escaped, with rel="nofollow noopener
//     noreferrer" and target="_blank"); every other attribute value is a
//     constant or a number.
//
// # 24-bit colours under a strict CSP
//
// The site's CSP is style-src 'self', which blocks style="…" attributes in
// parsed markup, so a 24-bit colour cannot be inlined. Rounding to the
// nearest xterm-256 colour would be safe but wrong for the brand colours
// tools print. Instead a span gets the class rgb-f-rrggbb (foreground) or
// rgb-b-rrggbb (background) and the Builder records each colour the first
// time it emits it (Builder.NewColours); the view then adds one rule per
// colour through CSSOM (CSSStyleSheet.insertRule), which CSP does not govern
// because no markup or inline style is parsed: the rule text is built from
// the integer ("#%06x"), so a log cannot smuggle CSS either. The number of
// rules is bounded by the distinct colours of a log (at most 2^24, in
// practice a handful). A text colour gets two rules, one per colour scheme,
// each Scheme.Readable on that scheme's background (palette.go), as the
// xterm palette in web/log.css does.
//
// The stylesheet for every class lives in web/log.css.
package logrow
