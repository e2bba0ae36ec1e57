package gitlab

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseLinks(t *testing.T) {
	cases := []struct {
		name, header string
		want         []Link
	}{
		{"GitLab's offset header (§7.1)",
			`<https://gitlab.example.com/api/v4/projects/8/jobs?page=1&per_page=3>; rel="prev", <https://gitlab.example.com/api/v4/projects/8/jobs?page=3&per_page=3>; rel="next", <https://gitlab.example.com/api/v4/projects/8/jobs?page=1&per_page=3>; rel="first"`,
			[]Link{
				{"https://gitlab.example.com/api/v4/projects/8/jobs?page=1&per_page=3", "prev"},
				{"https://gitlab.example.com/api/v4/projects/8/jobs?page=3&per_page=3", "next"},
				{"https://gitlab.example.com/api/v4/projects/8/jobs?page=1&per_page=3", "first"},
			}},
		{"GitLab's keyset header (§7.2)",
			`<https://gitlab.example.com/api/v4/projects/8/jobs?cursor=eyJpZCI6IjQyIiwiX2tkIjoibiJ9&pagination=keyset&per_page=2>; rel="next"`,
			[]Link{{"https://gitlab.example.com/api/v4/projects/8/jobs?cursor=eyJpZCI6IjQyIiwiX2tkIjoibiJ9&pagination=keyset&per_page=2", "next"}}},
		{"an unquoted rel and odd spacing", "<a>;rel=next ,<b> ;  rel = last", []Link{{"a", "next"}, {"b", "last"}}},
		{"several relations in one rel", `<a>; rel="next last"`, []Link{{"a", "next"}, {"a", "last"}}},
		{"relation names are case-insensitive", `<a>; REL="Next"`, []Link{{"a", "next"}}},
		{"commas and semicolons inside quotes are not separators", `<a>; title="x, y; z"; rel="next", <b>; rel="prev"`, []Link{{"a", "next"}, {"b", "prev"}}},
		{"a comma inside the URL is part of it", `<https://h/p?scope[]=a,b>; rel="next"`, []Link{{"https://h/p?scope[]=a,b", "next"}}},
		{"an entry without rel is skipped", `<a>; title="t", <b>; rel="next"`, []Link{{"b", "next"}}},
		{"an unterminated URL ends the header", `<a>; rel="next", <b; rel="last"`, []Link{{"a", "next"}}},
		{"an unterminated quote ends the entry", `<a>; rel="next`, []Link{{"a", "next"}}},
		{"empty is nothing", "", nil},
		{"garbage is nothing", "no links here; rel=next", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, parseLinks(tc.header))
		})
	}
}

// Seeds: GitLab's headers and the malformed shapes above. Properties: no
// panic; no URL contains '>'; relations are lower-case single words; and
// formatting what was parsed parses back to the same links (the parser
// agrees with the formatter on every input).
func FuzzParseLinks(f *testing.F) {
	for _, s := range []string{
		`<https://gitlab.example.com/api/v4/projects/8/jobs?page=1&per_page=3>; rel="prev", <https://gitlab.example.com/api/v4/projects/8/jobs?page=3&per_page=3>; rel="next"`,
		`<https://gitlab.example.com/api/v4/projects/8/jobs?cursor=eyJpZCI6IjQyIiwiX2tkIjoibiJ9&pagination=keyset&per_page=2>; rel="next"`,
		`<a>; title="x, y; z"; rel="next", <b>; rel="prev"`,
		`<a>; rel="next last"`,
		`<a>; rel="n\"e\\xt"`,
		`<a>; rel=`,
		`<<>>`,
		`<a>; rel="next`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		links := parseLinks(h)
		for _, l := range links {
			assert.NotContains(t, l.URL, ">")
			assert.Equal(t, strings.ToLower(l.Rel), l.Rel)
			assert.NotEmpty(t, l.Rel)
			assert.Equal(t, strings.Fields(l.Rel), []string{l.Rel}, "rel %q is one word", l.Rel)
		}
		assert.Equal(t, links, parseLinks(formatLinks(links)), "round trip of %q", h)
	})
}
