package logrow

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jobscope/jobscope/internal/joblog"
	"github.com/jobscope/jobscope/internal/words"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

func storeOf(log string) *joblog.Store {
	var s joblog.Store
	s.Append([]byte(log))
	s.Finish()
	return &s
}

func TestRow(t *testing.T) {
	cases := []struct {
		name string
		log  string
		row  func(l joblog.Line) Row
		want string
	}{
		{
			name: "a plain line is a numbered permalink and escaped text",
			log:  "a<b>&\"c'\n",
			want: `<a class="ln" href="#L1" tabindex="-1">1</a><span class="tx"><span>a&lt;b&gt;&amp;&#34;c&#39;</span></span>`,
		},
		{
			name: "direction controls show as their names, not as reordering",
			log:  "invoice\u202Egnp.exe\u202C \u2066x\u2069\u200F\u061C\n",
			want: `<a class="ln" href="#L1" tabindex="-1">1</a><span class="tx"><span>invoice[U+202E]gnp.exe[U+202C] [U+2066]x[U+2069][U+200F][U+061C]</span></span>`,
		},
		{
			name: "a hit that ends inside a control takes the whole control, which is named",
			log:  "a\u202Eb\n",
			row: func(l joblog.Line) Row {
				return Row{Line: l, Hits: []Hit{{0, 2, false}}}
			},
			want: `<a class="ln" href="#L1" tabindex="-1">1</a><span class="tx"><span class="hit">a[U+202E]</span><span>b</span></span>`,
		},
		{
			name: "a failed test's line carries a fixed button naming the test by index only",
			log:  "--- FAIL: <b>TestX</b>\n",
			row:  func(l joblog.Line) Row { return Row{Line: l, Mark: 5} },
			want: `<a class="ln" href="#L1" tabindex="-1">1</a><button type="button" class="tm" tabindex="-1" data-t="4" aria-label="Show the failed test"></button><span class="tx"><span>--- FAIL: &lt;b&gt;TestX&lt;/b&gt;</span></span>`,
		},
		{
			name: "a red span gets GitLab's class from the style table",
			log:  "\x1b[31merr\x1b[0m ok\n",
			want: `<a class="ln" href="#L1" tabindex="-1">1</a><span class="tx"><span class="term-fg-red">err</span><span> ok</span></span>`,
		},
		{
			name: "a hit splits a span and the current one is marked",
			log:  "needle in needle\n",
			row: func(l joblog.Line) Row {
				return Row{Line: l, Hits: []Hit{{0, 6, false}, {10, 16, true}}}
			},
			want: `<a class="ln" href="#L1" tabindex="-1">1</a><span class="tx"><span class="hit">needle</span><span> in </span><span class="hit cur">needle</span></span>`,
		},
		{
			name: "hits out of range are clipped, empty ones ignored",
			log:  "abc\n",
			row: func(l joblog.Line) Row {
				return Row{Line: l, Hits: []Hit{{1, 1, false}, {2, 99, false}}}
			},
			want: `<a class="ln" href="#L1" tabindex="-1">1</a><span class="tx"><span>ab</span><span class="hit">c</span></span>`,
		},
		{
			name: "an https URL becomes a safe link",
			log:  "see https://x.test/a?b=1&c=2 now\n",
			want: `<a class="ln" href="#L1" tabindex="-1">1</a><span class="tx"><span>see </span><a href="https://x.test/a?b=1&amp;c=2" rel="nofollow noopener noreferrer" target="_blank"><span>https://x.test/a?b=1&amp;c=2</span></a><span> now</span></span>`,
		},
		{
			name: "an OSC 8 javascript: link stays text",
			log:  "\x1b]8;;javascript:alert(1)\x1b\\click\x1b]8;;\x1b\\\n",
			want: `<a class="ln" href="#L1" tabindex="-1">1</a><span class="tx"><span>click</span></span>`,
		},
		{
			name: "a 24-bit colour gets a class built from its value",
			log:  "\x1b[38;2;255;136;0mo\x1b[0m\n",
			want: `<a class="ln" href="#L1" tabindex="-1">1</a><span class="tx"><span class="rgb-f-ff8800">o</span></span>`,
		},
		{
			name: "a collapsed header has a toggle with aria-expanded false and its duration",
			log:  "section_start:1700000000:build[collapsed=true]\r\x1b[0KBuild\nx\nsection_end:1700000062:build\r\x1b[0K\n",
			row:  func(l joblog.Line) Row { return Row{Line: l, Duration: "01:02"} },
			want: `<a class="ln" href="#L1" tabindex="-1">1</a><button type="button" class="tg" tabindex="-1" aria-expanded="false" data-s="0" aria-label="Expand section"></button><span class="tx"><span>Build</span></span><span class="dur">01:02</span>`,
		},
		{
			name: "a timestamp is shown before the text",
			log:  "2024-01-02T03:04:05.123456Z 00O hello\n",
			row: func(l joblog.Line) Row {
				return Row{Line: l, Stamp: AppendStamp(nil, l, TimeUTC, nil, time.Time{})}
			},
			want: `<a class="ln" href="#L1" tabindex="-1">1</a><span class="ts">2024-01-02 03:04:05.123Z</span><span class="tx"><span>hello</span></span>`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := storeOf(tc.log)
			require.Positive(t, s.Len())
			r := Row{Line: s.Line(0)}
			if tc.row != nil {
				r = tc.row(s.Line(0))
			}
			var b Builder
			assert.Equal(t, tc.want, string(b.Append(nil, r)))
			checkHTML(t, b.Append(nil, r), string(r.Line.Text))
		})
	}
}

func TestNewColoursAreReportedOnceWithTheirRule(t *testing.T) {
	s := storeOf("\x1b[38;2;255;136;0;48;2;0;0;1mo\x1b[0m\n\x1b[38;2;255;136;0mo\x1b[0m\n")
	var b Builder
	b.Append(nil, Row{Line: s.Line(0)})
	b.Append(nil, Row{Line: s.Line(1)})
	got := b.NewColours()
	require.Len(t, got, 2)
	assert.Equal(t, []string{
		".rgb-f-ff8800{color:#ad5c00}", // #ff8800 is 2.2:1 on the light log
		"@media (prefers-color-scheme: dark){.rgb-f-ff8800{color:#ff8800}}",
	}, got[0].Rules(), "text as each scheme draws it")
	assert.Equal(t, []string{".rgb-b-000001{background-color:#000001}"}, got[1].Rules(), "a background as it is")
	assert.Empty(t, b.NewColours(), "drained")
}

func TestAppendStamp(t *testing.T) {
	s := storeOf("2024-01-02T03:04:05.123456Z 00O a\nno stamp\n")
	start := time.Date(2024, 1, 2, 3, 0, 0, 0, time.UTC)
	zone := time.FixedZone("X", 2*3600)
	cases := []struct {
		name string
		mode TimeMode
		line int
		want string
	}{
		{"off shows nothing", TimeOff, 0, ""},
		{"UTC shows the runner's time", TimeUTC, 0, "2024-01-02 03:04:05.123Z"},
		{"local shows the browser's zone", TimeLocal, 0, "2024-01-02 05:04:05.123"},
		{"relative counts from the job's start", TimeRelative, 0, "+04:05.123"},
		{"a line without a timestamp shows nothing", TimeUTC, 1, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, string(AppendStamp(nil, s.Line(tc.line), tc.mode, zone, start)))
		})
	}
}

// TestGolden renders every line of testdata/*.log, one row per line.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.log")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			require.NoError(t, err)
			got := renderAll(storeOf(string(raw)))
			golden := strings.TrimSuffix(f, ".log") + ".golden"
			if *update {
				require.NoError(t, os.WriteFile(golden, got, 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run with -update to create it")
			assert.Equal(t, string(want), string(got))
		})
	}
}

func renderAll(s *joblog.Store) []byte {
	var b Builder
	var out []byte
	for i := range s.Len() {
		l := s.Line(i)
		r := Row{Line: l, Expanded: true}
		if l.Header && l.Section >= 0 {
			sec := s.Section(l.Section)
			r.Expanded = !sec.Collapsed
			if sec.Closed && !sec.HideDuration {
				r.Duration = joblog.FormatDuration(sec.Duration)
			}
		}
		out = b.Append(out, r)
		out = append(out, '\n')
	}
	for _, c := range b.NewColours() {
		for _, r := range c.Rules() {
			out = append(out, r...)
			out = append(out, '\n')
		}
	}
	return out
}

// The log's controls are the ones words.ShowControls names in job names:
// one set, checked over every rune.
func TestLogTextNamesTheControlsNamesDo(t *testing.T) {
	for r := rune(0); r <= 0x10FFFF; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		_, ok := directionControl([]byte(string(r)))
		require.Equal(t, words.ShowControls(string(r)) != string(r), ok, "U+%04X", r)
	}
}
