package joblog

import (
	"bufio"
	"io"
	"strconv"
	"unicode/utf8"
)

// WriteJSONLines writes the store as JSON Lines, one object per displayed
// line in display order (line n is #Ln), for goldens and for comparing with
// GitLab. The schema is documented on the joblogdump command.
func (s *Store) WriteJSONLines(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fold := s.Fold(nil)
	var b []byte
	var links []Link
	for i := 0; i < s.Len(); i++ {
		l := s.Line(i)
		b = append(b[:0], `{"text":`...)
		b = appendJSONString(b, l.Text)
		b = append(b, `,"spans":[`...)
		for k := 0; k < l.NumSpans(); k++ {
			text, st := l.Span(k)
			if k > 0 {
				b = append(b, ',')
			}
			b = appendSpan(b, text, st)
		}
		b = append(b, `],"section":`...)
		if l.Section >= 0 {
			b = appendJSONString(b, s.SectionName(l.Section))
		} else {
			b = append(b, "null"...)
		}
		if l.Header {
			sec := s.Section(l.Section)
			b = append(b, `,"header":true,"duration":`...)
			if sec.Closed {
				b = strconv.AppendQuote(b, FormatDuration(sec.Duration))
			} else {
				b = append(b, "null"...)
			}
			if sec.HideDuration {
				b = append(b, `,"hide_duration":true`...)
			}
			b = append(b, `,"collapsed":`...)
			b = strconv.AppendBool(b, sec.Collapsed)
		}
		if fold.Hidden(i) {
			b = append(b, `,"hidden":true`...)
		}
		b = append(b, `,"timestamp":`...)
		if _, ok := l.Timestamp(); ok {
			b = append(b, '"')
			b = l.AppendTimestamp(b)
			b = append(b, '"')
		} else {
			b = append(b, "null"...)
		}
		links = l.Links(links[:0])
		if len(links) > 0 {
			b = append(b, `,"links":[`...)
			for k, ln := range links {
				if k > 0 {
					b = append(b, ',')
				}
				b = appendJSONString(b, ln.URL)
			}
			b = append(b, ']')
		}
		if l.Truncated > 0 {
			b = append(b, `,"truncated":`...)
			b = strconv.AppendInt(b, int64(l.Truncated), 10)
		}
		b = append(b, "}\n"...)
		if _, err := bw.Write(b); err != nil {
			return err
		}
	}
	return bw.Flush()
}

func appendSpan(b, text []byte, st Style) []byte {
	b = append(b, `{"text":`...)
	b = appendJSONString(b, text)
	if c := st.Fg(); c != 0 {
		b = append(b, `,"fg":"`...)
		b = append(b, c.String()...)
		b = append(b, '"')
	}
	if c := st.Bg(); c != 0 {
		b = append(b, `,"bg":"`...)
		b = append(b, c.String()...)
		b = append(b, '"')
	}
	for _, a := range [...]struct {
		on   bool
		name string
	}{{st.Bold(), "bold"}, {st.Italic(), "italic"}, {st.Underline(), "underline"}, {st.Conceal(), "conceal"}, {st.Strike(), "strike"}} {
		if a.on {
			b = append(b, `,"`...)
			b = append(b, a.name...)
			b = append(b, `":true`...)
		}
	}
	return append(b, '}')
}

// appendJSONString appends s (valid UTF-8, as the store keeps it) as a JSON string.
func appendJSONString(b, s []byte) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c == '\t':
			b = append(b, '\\', 't')
		case c < 0x20 || c == 0x7f:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		case c < 0x80:
			b = append(b, c)
		default:
			r, n := utf8.DecodeRune(s[i:])
			if r == '\u2028' || r == '\u2029' {
				b = append(b, `\u202`...)
				b = append(b, hex[r&15])
			} else {
				b = append(b, s[i:i+n]...)
			}
			i += n
			continue
		}
		i++
	}
	return append(b, '"')
}
