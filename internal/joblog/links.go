package joblog

import "bytes"

// Link is a link on a line: Text[Start:End] links to URL (aliasing the store).
type Link struct {
	Start, End int
	URL        []byte
	OSC8       bool // from an OSC 8 hyperlink rather than a URL in the text
}

// isWebURL accepts OSC 8 targets: http or https, printable ASCII, bounded.
func isWebURL(u []byte) bool {
	if len(u) > 2048 || !(hasPrefixFold(u, "http://") || hasPrefixFold(u, "https://")) {
		return false
	}
	for _, c := range u {
		if c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}

func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && bytes.EqualFold(b[:len(prefix)], []byte(prefix))
}

// Links appends the line's links to dst, in order: OSC 8 hyperlinks, and
// http(s) URLs found in the text as GitLab links them (joblog.md §1): not on
// header lines, one span at a time, `https?://` then bytes other than
// whitespace and "'<>()\^`{|}, not ending in .,:;!?[]. Found on demand: no
// memory per line, no allocation when dst has room.
func (l Line) Links(dst []Link) []Link {
	from := 0
	for _, r := range l.links {
		start, end := int(r.start-l.base), int(r.end-l.base)
		dst = l.autoLinks(dst, from, start)
		dst = append(dst, Link{Start: start, End: end, URL: l.urls[r.url[0]:r.url[1]:r.url[1]], OSC8: true})
		from = end
	}
	return l.autoLinks(dst, from, len(l.Text))
}

// autoLinks appends the URLs found in Text[from:limit].
func (l Line) autoLinks(dst []Link, from, limit int) []Link {
	if l.Header {
		return dst
	}
	for k := 0; k < l.NumSpans(); k++ {
		off, end := l.spanRange(k)
		lo, hi := max(from, off), min(limit, end)
		for lo < hi {
			seg := l.Text[lo:hi]
			i := bytes.Index(seg, []byte("http"))
			if i < 0 {
				break
			}
			n := urlLen(seg[i:])
			if n == 0 {
				lo += i + 4
				continue
			}
			start := lo + i
			dst = append(dst, Link{Start: start, End: start + n, URL: l.Text[start : start+n : start+n]})
			lo = start + n
		}
	}
	return dst
}

// urlLen is the length of the URL at the start of b, or 0.
func urlLen(b []byte) int {
	n := 0
	switch {
	case bytes.HasPrefix(b, []byte("https://")):
		n = 8
	case bytes.HasPrefix(b, []byte("http://")):
		n = 7
	default:
		return 0
	}
	end := n
	for end < len(b) && urlByte(b[end]) {
		end++
	}
	for end > n && bytes.IndexByte([]byte(".,:;!?[]"), b[end-1]) >= 0 {
		end--
	}
	if end == n {
		return 0
	}
	return end
}

func urlByte(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '\f', '\v', '"', '\'', '<', '>', '(', ')', '\\', '^', '`', '{', '|', '}':
		return false
	}
	return true
}
