package joblog

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// e writes ESC as ^[ so the tables stay readable.
func e(s string) string { return strings.ReplaceAll(s, "^[", "\x1b") }

type lineCase struct {
	name string
	in   string
	want []string // markup(line) per displayed line
}

func runLineCases(t *testing.T, cases []lineCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := e(tc.in)
			assert.Equal(t, tc.want, lines(parseAll(in)))
			requireSplitsAgree(t, in)
		})
	}
}

func TestLines(t *testing.T) {
	runLineCases(t, []lineCase{
		// joblog.md §1
		{"an LF ends a line", "a\nb\n", []string{"a", "b"}},
		{"the last line needs no LF", "a\nb", []string{"a", "b"}},
		{"CR LF is one line break", "a\r\nb\r\n", []string{"a", "b"}},
		{"several CRs then LF are one line break", "a\r\r\r\nb", []string{"a", "b"}},
		{"a lone CR discards the line so far", "hello\rb\n", []string{"b"}},
		{"a lone CR keeps the SGR state", "^[[31mred\rnew", []string{"<fg=red>new</>"}},
		{"a lone CR discards every styled piece", "^[[31mred^[[0m plain\rx", []string{"x"}},
		{"a CR at the end of the log clears its line", "a\nhello\r", []string{"a"}},
		{"empty lines are not shown and get no number", "a\n\n\nb", []string{"a", "b"}},
		{"a line holding only escape sequences is not shown", "^[[31m^[[0m^[[K\nb", []string{"b"}},
		{"a line of one space is kept", " \nb", []string{" ", "b"}},
		// choice 4: unterminated at a line end keeps the break, at the end waits/drops.
		{"a CSI unterminated at the line end is dropped and the break stays", "abc^[[31\ndef", []string{"abc", "def"}},
		{"an OSC unterminated at the line end is dropped and the break stays", "a^[]0;title\nb", []string{"a", "b"}},
		{"an escape unterminated at the end of the log is dropped", "abc^[[31", []string{"abc"}},
		{"a lone ESC at the end of the log is dropped", "abc^[", []string{"abc"}},
		{"an ESC before an LF is dropped and the break stays", "a^[\nb", []string{"a", "b"}},
	})
}

func TestSGR(t *testing.T) {
	runLineCases(t, []lineCase{
		// joblog.md §2
		{"1 3 4 8 9 turn on bold, italic, underline, conceal, strike", "^[[1;3;4;8;9mx", []string{"<bold italic underline conceal strike>x</>"}},
		{"22 23 24 28 29 turn them off", "^[[1;3;4;8;9m^[[22;23;24;28;29mx", []string{"x"}},
		{"21 turns bold off", "^[[1m^[[21mx", []string{"x"}},
		{"0 resets all", "^[[1;31;42mx^[[0my", []string{"<fg=bright-red bg=green bold>x</>y"}},
		{"an empty list resets all", "^[[31mx^[[my", []string{"<fg=red>x</>y"}},
		{"only empty items reset all, as Ruby's split drops them", "^[[31mx^[[;;my", []string{"<fg=red>x</>y"}},
		{"an empty item before 1 is ignored", "^[[;1mx", []string{"<bold>x</>"}},
		{"01 is not an exact match and is ignored", "^[[01mx", []string{"x"}},
		{"faint, blink, inverse and 1000 are ignored", "^[[31;2;5;7;1000mx", []string{"<fg=red>x</>"}},
		{"30-37 set and 39 clears the foreground", "^[[34mx^[[39my", []string{"<fg=blue>x</>y"}},
		{"40-47 set and 49 clears the background", "^[[43mx^[[49my", []string{"<bg=yellow>x</>y"}},
		{"90-97 are bright foregrounds", "^[[90mx^[[97my", []string{"<fg=bright-black>x</><fg=bright-white>y</>"}},
		{"bold brightens a basic colour set before it", "^[[32;1mx", []string{"<fg=bright-green bold>x</>"}},
		{"bold brightens a basic colour set after it", "^[[1;32mx", []string{"<fg=bright-green bold>x</>"}},
		{"22 does not undo the brightening", "^[[1;31m^[[22mx", []string{"<fg=bright-red>x</>"}},
		{"bold does not brighten 256 colours", "^[[1;38;5;1mx", []string{"<fg=256:1 bold>x</>"}},
		{"bold does not brighten backgrounds", "^[[1;41mx", []string{"<bg=red bold>x</>"}},
		// choice 3
		{"100-107 are bright backgrounds and keep the foreground", "^[[31;101mx", []string{"<fg=red bg=bright-red>x</>"}},
		{"a foreground after 101 keeps the background", "^[[101;32mx", []string{"<fg=green bg=bright-red>x</>"}},
		{"49 clears a bright background", "^[[101m^[[49mx", []string{"x"}},
		{"38;5;N is a 256-colour foreground", "^[[38;5;208mx", []string{"<fg=256:208>x</>"}},
		{"48;5;N is a 256-colour background", "^[[48;5;17mx", []string{"<bg=256:17>x</>"}},
		{"an index above 255 clears the colour (v1)", "^[[31m^[[38;5;300mx", []string{"x"}},
		{"38;5;N reads N as Ruby's to_i", "^[[38;5;7:9mx", []string{"<fg=256:7>x</>"}},
		{"38 without 5 clears and the rest are codes: 38;1 is bold", "^[[31;38;1mx", []string{"<bold>x</>"}},
		{"38;5 with no index clears the colour", "^[[31;38;5mx", []string{"x"}},
		// choice 2
		{"38;2;R;G;B is a 24-bit foreground", "^[[38;2;255;136;0mx", []string{"<fg=#ff8800>x</>"}},
		{"48;2;R;G;B is a 24-bit background", "^[[48;2;1;2;3mx", []string{"<bg=#010203>x</>"}},
		{"38:5:N works", "^[[38:5:208mx", []string{"<fg=256:208>x</>"}},
		{"38:2::R:G:B works", "^[[38:2::255:136:0mx", []string{"<fg=#ff8800>x</>"}},
		{"38:2:R:G:B works", "^[[38:2:255:136:0mx", []string{"<fg=#ff8800>x</>"}},
		{"48:2:CS:R:G:B works", "^[[48:2:0:1:2:3mx", []string{"<bg=#010203>x</>"}},
		{"a bad colon form is ignored", "^[[31;38:5:300mx", []string{"<fg=red>x</>"}},
		{"a bad 24-bit colour falls back to GitLab: its numbers leak as codes", "^[[38;2;300;1;3mx", []string{"<bold italic>x</>"}},
		{"bold brightens a basic colour but not 24-bit", "^[[1;38;2;1;2;3mx", []string{"<fg=#010203 bold>x</>"}},
		{"SGR state carries across lines", "^[[31ma\nb", []string{"<fg=red>a</>", "<fg=red>b</>"}},
		{"neighbouring spans of one style are merged", "a^[[0mb^[[31m^[[32mc", []string{"ab<fg=green>c</>"}},
		{"a private CSI ending in m is not SGR", "^[[>4;1mx", []string{"x"}},
		{"a CSI with an intermediate ending in m is not SGR", "^[[1 mx", []string{"x"}},
	})
}

func TestEscapes(t *testing.T) {
	runLineCases(t, []lineCase{
		// joblog.md §3 and choice 4: removed whole, never mangled.
		{"erase and cursor sequences are removed", "a^[[0Kb^[[2Kc^[[Kd^[[?25le^[[1;1Hf^[[2J", []string{"abcdef"}},
		{"a CSI is cut at its final byte, not a lazy match", "^[[12 nom", []string{"om"}},
		{"two-byte escapes drop both bytes and nothing more", "a^[7b^[Mc^[=d", []string{"abcd"}},
		{"a charset designation drops three bytes", "a^[(Bb", []string{"ab"}},
		{"an OSC title ending in BEL is removed", "a^[]0;title\ab", []string{"ab"}},
		{"an OSC title ending in ST is removed", "a^[]0;title^[\\b", []string{"ab"}},
		{"a DCS string is removed", "a^[Pq#0;2;0;0;0^[\\b", []string{"ab"}},
		{"an ESC inside an OSC starts a new escape", "a^[]0;t^[[31mb", []string{"a<fg=red>b</>"}},
		{"ESC ESC drops the first", "a^[^[[31mb", []string{"a<fg=red>b</>"}},
		{"a control byte ends a CSI and stays as text", "a^[[3\x01b", []string{"a\x01b"}},
		{"BS, TAB, BEL and NUL are kept as characters", "a\bb\tc\ad\x00e\x7f", []string{"a\bb\tc\ad\x00e\x7f"}},
	})
}

func TestUTF8(t *testing.T) {
	runLineCases(t, []lineCase{
		// joblog.md §6
		{"valid UTF-8 is kept", "héllo ✓ 🐀", []string{"héllo ✓ 🐀"}},
		{"an invalid byte becomes U+FFFD", "a\xffb\xfe", []string{"a\uFFFDb\uFFFD"}},
		{"a truncated sequence is one U+FFFD", "\xf0\x9f\x90A", []string{"\uFFFDA"}},
		{"a bad second byte ends the subpart", "\xe0\x80", []string{"\uFFFD\uFFFD"}},
		{"surrogates are invalid", "\xed\xa0\x80", []string{"\uFFFD\uFFFD\uFFFD"}},
		{"a character split by SGR becomes several U+FFFD", "\xf0\x9f^[[31m\x90\x80", []string{"\uFFFD<fg=red>\uFFFD\uFFFD</>"}},
		{"a character split by another escape survives", "\xf0\x9f^[[K\x90\x80", []string{"🐀"}},
		{"a truncated character at the end of the log is U+FFFD", "ab\xe2\x82", []string{"ab\uFFFD"}},
		{"a truncated character before an LF is U+FFFD", "ab\xe2\x82\ncd", []string{"ab\uFFFD", "cd"}},
		{"U+FFFD in the trace stays", "\uFFFD", []string{"\uFFFD"}},
	})
}
