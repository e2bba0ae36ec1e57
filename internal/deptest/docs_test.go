package deptest

// The reference the code cites lives in docs/ (gitlab-api.md, gitlab-oauth.md,
// joblog.md). These tests keep the citations honest: every "§N" names a
// heading that exists in the doc it means, every "choice N" an item of
// joblog.md's list, and nothing committed points at notes outside the repo
// by a machine path.

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const root = "../.."

// skipDirs are never walked: build output, dependencies, git's own files.
var skipDirs = map[string]bool{".git": true, "dist": true, "bin": true, "node_modules": true}

// The reference docs, as named in citations.
const (
	apiDoc    = "gitlab-api.md"
	oauthDoc  = "gitlab-oauth.md"
	joblogDoc = "joblog.md"
)

// citedBy maps the word written just before "§" to the doc it cites. A word
// not listed here (or none) makes the citation bare.
var citedBy = map[string]string{
	"gitlab-api.md":   apiDoc,
	"oauth":           oauthDoc,
	"gitlab-oauth.md": oauthDoc,
	"joblog":          joblogDoc,
	"joblog.md":       joblogDoc,
	"style.md":        "style.md",
	"design.md":       "design.md",
}

// bareDefault is what a bare "§N" means in files under a directory; anywhere
// else it is gitlab-api.md. A reference doc's bare citations are its own.
var bareDefault = map[string]string{
	"internal/joblog/":  joblogDoc, // the parser's comments cite the log reference throughout (doc.go)
	"docs/" + apiDoc:    apiDoc,
	"docs/" + oauthDoc:  oauthDoc,
	"docs/" + joblogDoc: joblogDoc,
}

func defaultDoc(rel string) string {
	for prefix, doc := range bareDefault {
		if strings.HasPrefix(rel, prefix) {
			return doc
		}
	}
	return apiDoc
}

// citation is one "§N" (or "choice N") found in a file.
type citation struct {
	doc     string // docs/ file name; "" for an outside reference (an RFC)
	section string // "5.7"; for a choice, "choice 4"
	line    int
}

var (
	sectionRe = regexp.MustCompile(`§(\d+(?:\.\d+)*)`)
	// the word before "§": an RFC, or a doc's name or short name.
	wordRe = regexp.MustCompile(`(RFC \d+|[A-Za-z][\w.-]*)\s*$`)
	// a doc named in passing, which bare citations after it in the same
	// comment then mean (`gitlab-oauth.md "Recommended flows (a)"` ... (§6)).
	mentionRe = regexp.MustCompile(`\b(gitlab-api|gitlab-oauth|joblog)\.md\b`)
	// a Markdown link around the citation: [§5.7](gitlab-api.md)
	linkRe   = regexp.MustCompile(`^\]\((?:[\w./-]*/)?([\w.-]+\.md)\)`)
	choiceRe = regexp.MustCompile(`\bchoices? (\d+)(?: and (\d+))?`)
	quotedRe = regexp.MustCompile(`\b(gitlab-api|gitlab-oauth|joblog)\.md "([^"\n]+)"`)
)

// scope is a run of text whose bare citations may follow a doc named
// earlier in it: a block of // comment lines, or one other line.
type scope struct {
	text    string
	lines   []int // line number of each byte's line, by offset into text
	comment bool
}

func (s scope) lineAt(off int) int { return s.lines[off] }

// scopes splits a file into scopes. Comment lines of a Go file join into
// blocks (without their "//"), so a citation's doc may sit on the line above.
func scopes(rel, src string) []scope {
	var out []scope
	var cur *scope
	for i, l := range strings.Split(src, "\n") {
		n := i + 1
		t := strings.TrimSpace(l)
		if strings.HasSuffix(rel, ".go") && strings.HasPrefix(t, "//") {
			t = strings.TrimSpace(strings.TrimPrefix(t, "//"))
			if cur == nil {
				out = append(out, scope{comment: true})
				cur = &out[len(out)-1]
			} else {
				cur.text += " "
				cur.lines = append(cur.lines, n)
			}
			cur.text += t
			for k := 0; k < len(t); k++ {
				cur.lines = append(cur.lines, n)
			}
			continue
		}
		cur = nil
		s := scope{text: l, lines: make([]int, len(l)+1)}
		for k := range s.lines {
			s.lines[k] = n
		}
		out = append(out, s)
	}
	for i := range out {
		out[i].lines = append(out[i].lines, out[i].lines[len(out[i].lines)-1]) // end of text
	}
	return out
}

// citations finds every § and choice citation in a file (rel is its path
// from the repo root, with slashes).
func citations(rel, src string) []citation {
	var out []citation
	def := defaultDoc(rel)
	for _, sc := range scopes(rel, src) {
		cur := def
		prevEnd, prevDoc := -1, ""
		mentions := mentionRe.FindAllStringSubmatchIndex(sc.text, -1)
		for _, m := range sectionRe.FindAllStringSubmatchIndex(sc.text, -1) {
			start, end := m[0], m[1]
			if sc.comment {
				for len(mentions) > 0 && mentions[0][1] <= start {
					cur = sc.text[mentions[0][2]:mentions[0][3]] + ".md"
					mentions = mentions[1:]
				}
			}
			before := sc.text[:start]
			doc := ""
			switch w := wordRe.FindStringSubmatch(before); {
			case prevEnd >= 0 && (strings.HasSuffix(before, "-") || strings.HasSuffix(before, "–")) &&
				prevEnd == start-len(before[strings.LastIndexAny(before, "-–"):]):
				doc = prevDoc // a range: §1-§6
			case w != nil && strings.HasPrefix(w[1], "RFC "):
				doc = "" // RFC 6749 §4.1.2: not ours
			case w != nil && citedBy[w[1]] != "":
				doc = citedBy[w[1]]
				if sc.comment {
					cur = doc
				}
			case sc.comment:
				doc = cur
			default:
				doc = def
			}
			if l := linkRe.FindStringSubmatch(sc.text[end:]); l != nil {
				doc = l[1]
			}
			prevEnd, prevDoc = end, doc
			out = append(out, citation{doc: doc, section: sc.text[m[2]:m[3]], line: sc.lineAt(start)})
		}
		for _, m := range choiceRe.FindAllStringSubmatchIndex(sc.text, -1) {
			if !strings.HasPrefix(rel, "internal/joblog/") && !strings.HasSuffix(sc.text[:m[0]], "joblog.md ") {
				continue
			}
			for g := 2; g < len(m); g += 2 {
				if m[g] >= 0 {
					out = append(out, citation{doc: joblogDoc, section: "choice " + sc.text[m[g]:m[g+1]], line: sc.lineAt(m[0])})
				}
			}
		}
	}
	return out
}

// anchors lists what a doc can be cited by: its numbered headings ("5.7"),
// the items of its choice list ("choice 4") and every heading's text.
type anchors struct {
	sections map[string]bool
	headings []string
}

var (
	numberedRe   = regexp.MustCompile(`^#{1,6}\s+(\d+(?:\.\d+)*)\.?\s`)
	headingRe    = regexp.MustCompile(`^#{1,6}\s+(.*)$`)
	choiceItemRe = regexp.MustCompile(`^(\d+)\.\s`)
)

func readAnchors(src string) anchors {
	a := anchors{sections: map[string]bool{}}
	inChoices := false
	for _, l := range strings.Split(src, "\n") {
		if h := headingRe.FindStringSubmatch(l); h != nil {
			a.headings = append(a.headings, h[1])
			inChoices = strings.Contains(strings.ToLower(h[1]), "chooses differently")
		}
		if m := numberedRe.FindStringSubmatch(l); m != nil {
			a.sections[m[1]] = true
		}
		if m := choiceItemRe.FindStringSubmatch(l); m != nil && inChoices {
			a.sections["choice "+m[1]] = true
		}
	}
	return a
}

func (a anchors) hasHeading(q string) bool {
	for _, h := range a.headings {
		if strings.Contains(h, q) {
			return true
		}
	}
	return false
}

// repoFiles returns the repo's files whose names end in one of exts, as
// slash paths from the repo root.
func repoFiles(t *testing.T, exts ...string) []string {
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if skipDirs[d.Name()] {
				return filepath.SkipDir
			}
			return nil
		}
		for _, e := range exts {
			if strings.HasSuffix(d.Name(), e) {
				rel, err := filepath.Rel(root, p)
				require.NoError(t, err)
				out = append(out, filepath.ToSlash(rel))
				break
			}
		}
		return nil
	})
	require.NoError(t, err)
	return out
}

func read(t *testing.T, rel string) string {
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	require.NoError(t, err)
	return string(b)
}

func TestNoMachinePaths(t *testing.T) {
	// Split so that this file does not match itself.
	banned := []struct{ s, why string }{
		{"/" + "work/", "a machine path: a clone has no such folder"},
		{"../" + "shared/", "the notes folder beside the repo: the reference is in docs/"},
	}
	files := repoFiles(t, ".go", ".md", ".js", ".html", ".css", ".json", "Makefile")
	require.NotEmpty(t, files)
	for _, f := range files {
		for i, l := range strings.Split(read(t, f), "\n") {
			for _, b := range banned {
				assert.NotContains(t, l, b.s, "%s:%d mentions %q: %s", f, i+1, b.s, b.why)
			}
		}
	}
}

func TestCitationsResolve(t *testing.T) {
	docs := map[string]anchors{}
	for _, d := range []string{apiDoc, oauthDoc, joblogDoc} {
		docs[d] = readAnchors(read(t, "docs/"+d))
		require.NotEmpty(t, docs[d].sections, "docs/%s has no numbered headings", d)
	}
	byDoc := map[string][]string{} // doc -> "file:line: §N" of each citation
	for _, f := range repoFiles(t, ".go", ".md") {
		src := read(t, f)
		for _, c := range citations(f, src) {
			if c.doc == "" {
				continue
			}
			byDoc[c.doc] = append(byDoc[c.doc], f+":"+strconv.Itoa(c.line)+": "+c.section)
		}
		for _, m := range quotedRe.FindAllStringSubmatch(src, -1) {
			byDoc[m[1]+".md"] = append(byDoc[m[1]+".md"], f+`: "`+m[2]+`"`)
		}
	}
	names := make([]string, 0, len(byDoc))
	for d := range byDoc {
		names = append(names, d)
	}
	sort.Strings(names)
	total := 0
	for _, d := range names {
		t.Run(d, func(t *testing.T) {
			a, ok := docs[d]
			if !ok {
				// Another note (style.md, design.md) cited by number: checked
				// once it is in docs/ with numbered headings.
				b, err := os.ReadFile(filepath.Join(root, "docs", d))
				if err != nil || len(readAnchors(string(b)).sections) == 0 {
					t.Skipf("docs/%s has no numbered headings (yet); %d citations unchecked", d, len(byDoc[d]))
				}
				a = readAnchors(string(b))
			}
			for _, c := range byDoc[d] {
				total++
				where, what, _ := strings.Cut(c, `: "`)
				if what != "" { // a quoted heading: "Recommended flows (a)"
					what = strings.TrimSuffix(what, `"`)
					if a.hasHeading(what) {
						continue
					}
					head, sub, ok := strings.Cut(what, " (")
					assert.True(t, ok && a.hasHeading(head) && a.hasHeading("("+sub),
						"%s cites heading %q, not in docs/%s", where, what, d)
					continue
				}
				i := strings.LastIndex(c, ": ")
				label := c[i+2:]
				if !strings.HasPrefix(label, "choice") {
					label = "§" + label
				}
				assert.True(t, a.sections[c[i+2:]], "%s cites %s, which docs/%s does not have", c[:i], label, d)
			}
		})
	}
	t.Logf("%d citations checked", total)
}

// The parser reads the forms the code really uses.
func TestCitationForms(t *testing.T) {
	type c = citation
	cases := []struct {
		name string
		file string
		src  string
		want []citation
	}{
		{"bare means the API reference", "app/job.go", "x := 1 // (§8.3 ⚠)", []c{{apiDoc, "8.3", 1}}},
		{"a doc's short name", "a.go", "// (oauth §2: 43–128 characters)", []c{{oauthDoc, "2", 1}}},
		{"a doc's file name", "a.go", "// joblog.md §4", []c{{joblogDoc, "4", 1}}},
		{"RFCs are not ours", "a.go", "// RFC 6749 §4.1.2.1, RFC 7636 §4.6", []c{{"", "4.1.2.1", 1}, {"", "4.6", 1}}},
		{"a range takes the doc of its start", "a.go", "// (joblog.md §1-§6 and", []c{{joblogDoc, "1", 1}, {joblogDoc, "6", 1}}},
		{"a comment's bare citation follows the doc named before it", "a.go",
			"// (joblog.md §1, §3).", []c{{joblogDoc, "1", 1}, {joblogDoc, "3", 1}}},
		{"across comment lines", "a.go", "// GitLab's API answers any origin (gitlab-api.md\n// §10). Memory only",
			[]c{{apiDoc, "10", 2}}},
		{"a doc named in passing", "a.go", "// (gitlab-oauth.md \"Recommended flows (a)\"):\n// and revokes the old pair (§6)",
			[]c{{oauthDoc, "6", 2}}},
		{"in a test name a bare citation stays the API's", "a_test.go",
			`t.Run("the old access token is revoked (oauth §2, §2.2 body)", func(t *testing.T) {`,
			[]c{{oauthDoc, "2", 1}, {apiDoc, "2.2", 1}}},
		{"a new comment starts over", "a.go", "// oauth §6\nx := 1\n// §7.1", []c{{oauthDoc, "6", 1}, {apiDoc, "7.1", 3}}},
		{"the log engine's bare citations are the log reference's", "internal/joblog/parser.go",
			"// kept as characters (§3).", []c{{joblogDoc, "3", 1}}},
		{"choices of the log reference", "internal/joblog/style.go",
			"// with jobscope's choices 2 and 3:\n// (choice 4)", []c{{joblogDoc, "choice 2", 1}, {joblogDoc, "choice 3", 1}, {joblogDoc, "choice 4", 2}}},
		{"a choice named with its doc", "internal/other/x.go", "// (joblog.md choice 6).", []c{{joblogDoc, "choice 6", 1}}},
		{"a choice elsewhere is just a word", "internal/other/x.go", "// per-job choices 2", nil},
		{"a Markdown link names its doc", "docs/joblog.md", "the endpoint ([§5.7](gitlab-api.md)) and §7",
			[]c{{apiDoc, "5.7", 1}, {joblogDoc, "7", 1}}},
		{"Markdown lines read alone", "internal/gitlabfake/README.md", "(cited \"oauth §N\")\n| Rate limits (§9) |",
			[]c{{apiDoc, "9", 2}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, citations(tc.file, tc.src))
		})
	}
}
