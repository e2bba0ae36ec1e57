package gitlab

import "strings"

// Link is one entry of an RFC 8288 Link header.
type Link struct {
	URL string
	Rel string // one relation, lower case
}

// parseLinks reads a Link header such as
//
//	<https://gitlab.example/api/v4/projects/1/jobs?page=2&per_page=20>; rel="next", <...>; rel="first"
//
// It returns one Link per relation (rel="next last" gives two), in order.
// Malformed entries are skipped, never fatal: the header is untrusted and
// only "next" matters to the client. Quoted parameter values may hold
// commas and semicolons.
func parseLinks(h string) []Link {
	var links []Link
	i := 0
	for i < len(h) {
		// Find the next '<' that starts an entry.
		lt := strings.IndexByte(h[i:], '<')
		if lt < 0 {
			break
		}
		i += lt + 1
		gt := strings.IndexByte(h[i:], '>')
		if gt < 0 {
			break
		}
		url := strings.TrimSpace(h[i : i+gt])
		i += gt + 1
		var rels []string
		// Parameters until ',' (outside quotes) or the end.
		for i < len(h) {
			c := h[i]
			switch {
			case c == ',':
				i++
				goto entryDone
			case c == ';' || c == ' ' || c == '\t':
				i++
				continue
			}
			name, value, n := parseParam(h[i:])
			i += n
			if strings.EqualFold(name, "rel") {
				rels = append(rels, strings.Fields(strings.ToLower(value))...)
			}
		}
	entryDone:
		for _, r := range rels {
			links = append(links, Link{URL: url, Rel: r})
		}
	}
	return links
}

// parseParam reads `name[=value]` where value is a token or a quoted string,
// and returns how many bytes it consumed (at least 1). It stops before the
// ',' or ';' that ends the parameter.
func parseParam(s string) (name, value string, n int) {
	for n < len(s) && !strings.ContainsRune("=;,", rune(s[n])) {
		n++
	}
	name = strings.TrimSpace(s[:n])
	if n >= len(s) || s[n] != '=' {
		return name, "", max(n, 1)
	}
	n++ // '='
	for n < len(s) && (s[n] == ' ' || s[n] == '\t') {
		n++
	}
	if n < len(s) && s[n] == '"' {
		var b strings.Builder
		n++
		for n < len(s) && s[n] != '"' {
			if s[n] == '\\' && n+1 < len(s) {
				n++
			}
			b.WriteByte(s[n])
			n++
		}
		if n < len(s) {
			n++ // closing quote
		}
		return name, b.String(), n
	}
	start := n
	for n < len(s) && s[n] != ';' && s[n] != ',' {
		n++
	}
	return name, strings.TrimSpace(s[start:n]), n
}

// formatLinks writes links back as a Link header (tests and the fuzz
// target's round trip).
func formatLinks(links []Link) string {
	var b strings.Builder
	for i, l := range links {
		if i > 0 {
			b.WriteString(", ")
		}
		rel := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(l.Rel)
		b.WriteString("<" + l.URL + `>; rel="` + rel + `"`)
	}
	return b.String()
}

// linkRel returns the URL of the first link with relation rel, or "".
func linkRel(links []Link, rel string) string {
	for _, l := range links {
		if l.Rel == rel {
			return l.URL
		}
	}
	return ""
}
