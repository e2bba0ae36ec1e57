// Package testmatch finds where a job's failed tests show up in its log, so
// the job screen can link each test to its line and mark those lines.
//
// A test report (gitlab-api.md §14) says which tests failed but not where
// in the log; frameworks print a failed test's name on a line of its own
// ("--- FAIL: TestX (0.1s)", "FAILED tests/a.py::test_x", "rspec
// ./a_spec.rb:3 # A does b"). So a test's line is a line holding its name,
// not inside a longer word, preferably one that also says it failed; tests
// of the same name take such lines in order. A name the log never prints
// has no line: the report alone cannot say where it ran (README.md).
//
// One pass over the log: each test is indexed by the longest word of its
// name, and only lines holding that word are checked for the whole name.
package testmatch

import (
	"bytes"
	"math"
	"unicode/utf8"
)

// Log is the text of a job's log, line by line.
type Log interface {
	Len() int
	LineText(i int) []byte
}

// None is the line of a test whose name is not in the log.
const None = -1

// failWords mark a line that says a test failed, in the words of go test,
// pytest, JUnit runners, RSpec, Jest and Mocha.
var failWords = [][]byte{
	[]byte("FAIL"), []byte("Fail"), []byte("fail"), []byte("ERROR"), []byte("Error"),
	[]byte("error"), []byte("✕"), []byte("✗"), []byte("✖"), []byte("# "),
}

// Lines returns, for each name, the index of its line in log, or None.
func Lines(log Log, names []string) []int {
	out := make([]int, len(names))
	byKey := map[string][]int{} // longest word of a name → the tests with it
	for i, n := range names {
		out[i] = None
		if k := longestWord(n); k != "" {
			byKey[k] = append(byKey[k], i)
		}
	}
	if len(byKey) == 0 {
		return out
	}
	// A cheap sieve before the map: most words of a log are shorter or
	// longer than any key, or start and end with other bytes.
	minLen, maxLen := math.MaxInt, 0
	var ends sieve
	for k := range byKey {
		minLen, maxLen = min(minLen, len(k)), max(maxLen, len(k))
		ends.add(k[0], k[len(k)-1])
	}
	// Per distinct name: its failing lines in order, and its first mention.
	type found struct {
		failing []int
		first   int
	}
	seen := map[string]*found{}
	lastChecked := map[string]int{} // name → last line checked, so a line counts once
	for li := range log.Len() {
		text := log.LineText(li)
		// Words by byte: ASCII by the table, every byte of a multi-byte
		// rune a word byte (holds checks the boundaries by rune).
		start := -1
		for i := 0; i <= len(text); i++ {
			if i < len(text) && wordByte[text[i]] {
				if start < 0 {
					start = i
				}
				continue
			}
			if start < 0 {
				continue
			}
			w := text[start:i]
			start = -1
			if len(w) < minLen || len(w) > maxLen || !ends.has(w[0], w[len(w)-1]) {
				continue
			}
			tests, ok := byKey[string(w)]
			if !ok {
				continue
			}
			for _, ti := range tests {
				name := names[ti]
				if last, ok := lastChecked[name]; ok && last == li {
					continue
				}
				lastChecked[name] = li
				if !holds(text, name) {
					continue
				}
				f := seen[name]
				if f == nil {
					f = &found{first: li}
					seen[name] = f
				}
				if saysFailed(text, name) {
					f.failing = append(f.failing, li)
				}
			}
		}
	}
	taken := map[string]int{}
	for i, n := range names {
		f := seen[n]
		if f == nil {
			continue
		}
		switch k := taken[n]; {
		case k < len(f.failing):
			out[i] = f.failing[k]
		case len(f.failing) > 0:
			out[i] = f.failing[len(f.failing)-1]
		default:
			out[i] = f.first
		}
		taken[n]++
	}
	return out
}

// holds reports whether text contains name not inside a longer word.
func holds(text []byte, name string) bool {
	for from := 0; ; {
		i := bytes.Index(text[from:], []byte(name))
		if i < 0 {
			return false
		}
		start, end := from+i, from+i+len(name)
		before, _ := utf8.DecodeLastRune(text[:start])
		after, _ := utf8.DecodeRune(text[end:])
		first, _ := utf8.DecodeRuneInString(name)
		last, _ := utf8.DecodeLastRuneInString(name)
		if (start == 0 || !wordRune(first) || !wordRune(before)) && (end == len(text) || !wordRune(last) || !wordRune(after)) {
			return true
		}
		from = start + 1
	}
}

// saysFailed reports whether the line, outside the name, says it failed.
func saysFailed(text []byte, name string) bool {
	rest := bytes.Replace(text, []byte(name), nil, 1)
	for _, w := range failWords {
		if bytes.Contains(rest, w) {
			return true
		}
	}
	return false
}

// wordByte is wordRune by byte: ASCII word bytes, and every byte of a
// multi-byte rune.
var wordByte = func() (t [256]bool) {
	for b := range 256 {
		t[b] = b >= utf8.RuneSelf || wordRune(rune(b))
	}
	return t
}()

func wordRune(r rune) bool {
	return r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= utf8.RuneSelf && r != utf8.RuneError
}

// words yields the runs of word runes of text.
func words(text []byte) func(func([]byte) bool) {
	return func(yield func([]byte) bool) {
		start := -1
		for i := 0; i < len(text); {
			r, size := rune(text[i]), 1
			if r >= utf8.RuneSelf {
				r, size = utf8.DecodeRune(text[i:])
			}
			switch {
			case wordRune(r) && start < 0:
				start = i
			case !wordRune(r) && start >= 0:
				if !yield(text[start:i]) {
					return
				}
				start = -1
			}
			i += size
		}
		if start >= 0 {
			yield(text[start:])
		}
	}
}

// longestWord is the name's longest run of word runes, its index key.
func longestWord(name string) string {
	best := ""
	for w := range words([]byte(name)) {
		if len(w) > len(best) {
			best = string(w)
		}
	}
	return best
}

// sieve is the set of (first byte, last byte) pairs of the keys.
type sieve [256 * 256 / 64]uint64

func (s *sieve) add(first, last byte) {
	i := int(first)<<8 | int(last)
	s[i/64] |= 1 << (i % 64)
}

func (s *sieve) has(first, last byte) bool {
	i := int(first)<<8 | int(last)
	return s[i/64]&(1<<(i%64)) != 0
}
