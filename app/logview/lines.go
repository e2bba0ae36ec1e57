package logview

import (
	"strconv"
	"strings"
)

// parseLineHash reads a line fragment in GitLab's forms: "#L12" (a job log
// line, a blob line) or "#L10-20" (a blob's range; "#L10-L20" is taken
// too). first and last are 0-based, first <= last.
func parseLineHash(h string) (first, last int, ok bool) {
	rest, found := strings.CutPrefix(h, "#L")
	if !found {
		return 0, 0, false
	}
	a, b, isRange := strings.Cut(rest, "-")
	first, ok = lineNumber(a)
	if !ok {
		return 0, 0, false
	}
	if !isRange {
		return first, first, true
	}
	last, ok = lineNumber(strings.TrimPrefix(b, "L"))
	if !ok {
		return 0, 0, false
	}
	return min(first, last), max(first, last), true
}

// lineNumber is the 0-based index of a 1-based line number of digits only.
func lineNumber(s string) (int, bool) {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, false
	}
	return n - 1, true
}

// lineHash is the fragment of the 0-based lines a..b (in either order):
// "#L12" for one line, "#L10-20" for a range, as GitLab writes a blob's.
func lineHash(a, b int) string {
	first, last := min(a, b)+1, max(a, b)+1
	if first == last {
		return "#L" + strconv.Itoa(first)
	}
	return "#L" + strconv.Itoa(first) + "-" + strconv.Itoa(last)
}
