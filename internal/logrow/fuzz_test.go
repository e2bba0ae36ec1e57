package logrow

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jobscope/jobscope/internal/joblog"
	"github.com/jobscope/jobscope/internal/words"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"
)

// allowedClass is every class the builder may write: this package's names,
// joblog's style table and the 24-bit colour classes.
var allowedClass = regexp.MustCompile(`^(ln|ts|tg|tx|dur|tr|hit|cur|term-(fg|bg)(-l)?-(black|red|green|yellow|blue|magenta|cyan|white)|xterm-(fg|bg)-([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])|term-(bold|italic|underline|conceal|cross)|rgb-[fb]-[0-9a-f]{6})$`)

// allowedAttrs lists, per tag, the attributes and a check of their value.
var allowedAttrs = map[string]map[string]*regexp.Regexp{
	"a": {
		"class":    regexp.MustCompile(`^ln$`),
		"href":     regexp.MustCompile(`^(#L[1-9][0-9]*|(?i:https?)://.*)$`),
		"rel":      regexp.MustCompile(`^nofollow noopener noreferrer$`),
		"target":   regexp.MustCompile(`^_blank$`),
		"tabindex": regexp.MustCompile(`^-1$`),
	},
	"span": {"class": regexp.MustCompile(`.`)},
	"button": {
		"type":          regexp.MustCompile(`^button$`),
		"class":         regexp.MustCompile(`^(tg|tm)$`),
		"tabindex":      regexp.MustCompile(`^-1$`),
		"aria-expanded": regexp.MustCompile(`^(true|false)$`),
		"data-s":        regexp.MustCompile(`^[0-9]+$`),
		"data-t":        regexp.MustCompile(`^[0-9]+$`),
		"aria-label":    regexp.MustCompile(`^((Expand|Collapse) section|Show the failed test)$`),
	},
}

// checkHTML tokenizes a row and checks the security contract of the package
// doc: only a/span/button, only allowed attributes and classes, balanced
// tags, and the line's text comes back as text.
func checkHTML(t *testing.T, row []byte, lineText string) {
	t.Helper()
	z := html.NewTokenizer(bytes.NewReader(row))
	var text strings.Builder
	var open []string
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			require.ErrorIs(t, z.Err(), io.EOF, "row %q", row)
			break
		}
		tok := z.Token()
		switch tt {
		case html.TextToken:
			text.WriteString(tok.Data)
		case html.StartTagToken:
			attrs, ok := allowedAttrs[tok.Data]
			require.True(t, ok, "tag %q in %q", tok.Data, row)
			for _, a := range tok.Attr {
				re, ok := attrs[a.Key]
				require.True(t, ok, "attribute %s on %s in %q", a.Key, tok.Data, row)
				assert.Regexp(t, re, a.Val, "attribute %s", a.Key)
				if a.Key == "class" && tok.Data == "span" {
					for _, c := range strings.Fields(a.Val) {
						assert.Regexp(t, allowedClass, c)
					}
				}
			}
			open = append(open, tok.Data)
		case html.EndTagToken:
			require.NotEmpty(t, open, "unbalanced </%s> in %q", tok.Data, row)
			require.Equal(t, open[len(open)-1], tok.Data, "misnested in %q", row)
			open = open[:len(open)-1]
		default:
			t.Fatalf("unexpected %v token %q in %q", tt, tok.String(), row)
		}
	}
	assert.Empty(t, open, "unclosed tags in %q", row)
	// The line's text is the row's text after the line number (and stamp,
	// duration, truncation marker, which contain no log bytes).
	// Direction controls show as their names, as in job names.
	assert.Contains(t, text.String(), words.ShowControls(strings.ToValidUTF8(lineText, "\uFFFD")))
	assert.False(t, strings.ContainsAny(text.String(), "\u061C\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069"), "no direction control reaches the page")
}

func FuzzRow(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.log")
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		require.NoError(f, err)
		f.Add(b, "e")
	}
	f.Add([]byte("<script>__xss(1)</script>\n\"><img src=x onerror=__xss(2)>\n"), "<")
	f.Add([]byte("\x1b]8;;https://a.test/\"onmouseover=x\x1b\\a\x1b]8;;\x1b\\\n"), "a")
	f.Add([]byte("\x1b]8;;JaVaScRiPt:alert(1)\x1b\\a\x1b]8;;\x1b\\\n"), "a")
	f.Fuzz(func(t *testing.T, log []byte, query string) {
		var s joblog.Store
		s.Append(log)
		s.Finish()
		var hits []joblog.Hit
		if query != "" {
			// A query joblog refuses (invalid UTF-8) highlights nothing.
			if sr, err := s.Search(joblog.Query{Text: query}); err == nil {
				for !sr.Step(1 << 20) {
				}
				for i := range sr.Len() {
					hits = append(hits, sr.Hit(i))
				}
			}
		}
		var b Builder
		for i := range min(s.Len(), 200) {
			l := s.Line(i)
			r := Row{Line: l, Stamp: AppendStamp(nil, l, TimeUTC, nil, timeZero), Mark: i % 3}
			for k, h := range hits {
				if h.Line == i {
					r.Hits = append(r.Hits, Hit{Start: h.Start, End: h.End, Current: k == 0})
				}
			}
			checkHTML(t, b.Append(nil, r), string(l.Text))
		}
		for _, c := range b.NewColours() {
			for _, r := range c.Rules() {
				assert.Regexp(t, `^(@media \(prefers-color-scheme: dark\)\{)?\.rgb-[fb]-[0-9a-f]{6}\{(background-)?color:#[0-9a-f]{6}\}\}?$`, r)
			}
		}
	})
}

var timeZero time.Time
