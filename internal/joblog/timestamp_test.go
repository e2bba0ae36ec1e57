package joblog

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rec writes one runner record header (joblog.md §5): 27-byte timestamp,
// space, stream, O/E, then ' ' for a new line or '+' for a continuation.
func rec(sec int, stream string, cont bool) string {
	mark := " "
	if cont {
		mark = "+"
	}
	return fmt.Sprintf("2024-03-05T10:%02d:%02d.123456Z %s%s", sec/60, sec%60, stream, mark)
}

func stamp(sec int) string { return fmt.Sprintf("2024-03-05T10:%02d:%02d.123456Z", sec/60, sec%60) }

func TestTimestamps(t *testing.T) {
	type want struct{ text, ts string }
	cases := []struct {
		name string
		in   string
		want []want
	}{
		{"prefixes are removed and kept per line when the first line has one",
			rec(1, "00O", false) + "Running with gitlab-runner\n" + rec(2, "01E", false) + "$ make\n",
			[]want{{"Running with gitlab-runner", stamp(1)}, {"$ make", stamp(2)}}},
		{"without a prefix on the first line, prefixes stay text",
			"plain\n" + rec(2, "01O", false) + "x\n",
			[]want{{"plain", ""}, {rec(2, "01O", false) + "x", ""}}},
		{"a first line needs a complete runner header",
			"2024-03-05T10:00:01.123456Z 00X x\n", []want{{"2024-03-05T10:00:01.123456Z 00X x", ""}}},
		{"a + record joins the line and keeps the first timestamp",
			rec(1, "01O", false) + "abc\n" + rec(2, "01O", true) + "def\n" + rec(3, "01O", false) + "next\n",
			[]want{{"abcdef", stamp(1)}, {"next", stamp(3)}}},
		{"a progress bar flushed at CR shows its last state",
			rec(1, "01O", false) + "10%\r\n" + rec(2, "01O", true) + "20%\r\n" + rec(3, "01O", true) + "done\n",
			[]want{{"done", stamp(1)}}},
		{"lines without a prefix render as they are",
			rec(1, "01O", false) + "a\n\x1b[33;1mJob's log exceeded limit\n",
			[]want{{"a", stamp(1)}, {"Job's log exceeded limit", ""}}},
		{"a prefix after a lone CR is skipped and its timestamp shown, GitLab showing the last added",
			rec(1, "01O", false) + "abc\r" + rec(2, "01O", false) + "def\n",
			[]want{{"def", stamp(2)}}},
		{"any next line with + at byte 31 continues the line, its 32 bytes dropped",
			rec(1, "01O", false) + "abc\n" + "not a timestamp header at all!!+def\n",
			[]want{{"abcdef", stamp(1)}}},
		{"GitLab checks only bytes 4, 7, 10, 13 and 26 after the first line",
			rec(1, "01O", false) + "a\nXXXX-XX-XXTXX:XX:XX.XXXXXXZ 01O b\n",
			[]want{{"a", stamp(1)}, {"b", ""}}},
		{"lines split by a section marker keep the record's timestamp",
			rec(1, "01O", false) + "pre " + start(5, "s", "") + "hdr\n",
			[]want{{"pre ", stamp(1)}, {"hdr", stamp(1)}}},
		{"a short last line is text",
			rec(1, "01O", false) + "a\n2024-03", []want{{"a", stamp(1)}, {"2024-03", ""}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := parseAll(tc.in)
			var got []want
			for i := 0; i < s.Len(); i++ {
				l := s.Line(i)
				got = append(got, want{string(l.Text), string(l.AppendTimestamp(nil))})
			}
			assert.Equal(t, tc.want, got)
			requireSplitsAgree(t, tc.in)
		})
	}
}

func TestParseTimestamp(t *testing.T) {
	cases := []struct {
		name string
		in   string
		ok   bool
	}{
		{"a runner timestamp parses", "2024-02-29T23:59:59.999999Z", true},
		{"February 30th is not a time", "2024-02-30T00:00:00.000000Z", false},
		{"hour 24 is not a time", "2024-01-01T24:00:00.000000Z", false},
		{"letters are not digits", "2024-0a-01T00:00:00.000000Z", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := parseTimestamp([]byte(tc.in))
			require.Equal(t, tc.ok, ts != tsNone)
			if tc.ok {
				assert.Equal(t, tc.in, string(Line{ts: ts}.AppendTimestamp(nil)), "round trip")
			}
		})
	}
}

func TestTimestampRoundTrip(t *testing.T) {
	// Formatting and parsing agree from year 0 to 9999 (the 4-digit range).
	rng := rand.New(rand.NewPCG(5, 6))
	lo, hi := parseTimestamp([]byte("0000-01-01T00:00:00.000000Z")), parseTimestamp([]byte("9999-12-31T23:59:59.999999Z"))
	require.NotEqual(t, int64(tsNone), lo)
	for range 10000 {
		ts := lo + rng.Int64N(hi-lo+1)
		text := Line{ts: ts}.AppendTimestamp(nil)
		require.Len(t, text, 27)
		require.Equal(t, ts, parseTimestamp(text), "%s", text)
	}
}
