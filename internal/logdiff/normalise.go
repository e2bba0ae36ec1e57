package logdiff

import "bytes"

// Normalise appends to dst the line with what differs on every run of the
// same job replaced by a fixed placeholder, so that two runs' lines compare
// equal when only their noise differs. One pass, no regexp (it runs on
// every line of two logs). What counts as noise (docs/design.md §7):
//
//   - timestamps: 2026-01-21T09:47:05.123Z, 2026-01-21 09:47:05, 09:47:05.123;
//   - durations and elapsed times: 0.512s, 340ms, 1m23.4s, 2h3m, 12 µs;
//   - hex ids and SHAs: 7 or more hex digits holding a digit (a6f3e01,
//     sha256:…), and UUIDs;
//   - random tokens: 8 or more letters and digits mixing upper case, lower
//     case and digits (a runner's t3_AbC9xyZ1);
//   - temporary paths: /tmp/…, /var/folders/…, /private/var/folders/…;
//   - ports: :34567 after a host (4 or 5 digits);
//   - what the runner says of an upload: id=<job id>, token=<job token>;
//   - the runner's short token, in gitlab-runner's "on <name> <token>, system
//     ID:" line and its docker containers' runner-<token>-project-… names;
//   - counters inside names: runner-3, concurrent-0, go-build123456;
//   - percentages of progress: 45%.
//
// Numbers standing alone (exit code 1, got 3 want 4, Makefile:42) are kept:
// they are what a failure says.
func Normalise(dst, line []byte) []byte {
	for i := 0; i < len(line); {
		c := line[i]
		boundary := i == 0 || !isWord(line[i-1])
		if boundary && (isDigit(c) || isLetter(c)) {
			n, what := 0, ""
			if isDigit(c) {
				n, what = timestamp(line[i:]), "<time>"
				if n == 0 {
					n, what = duration(line[i:]), "<dur>"
				}
				if n == 0 {
					n, what = percent(line[i:]), "<pct>"
				}
			}
			if n == 0 && isHex(c) {
				n, what = uuid(line[i:]), "<uuid>"
				if n == 0 {
					n, what = hexID(line[i:]), "<hex>"
				}
			}
			if n == 0 {
				n, what = token(line[i:]), "<id>"
			}
			if n == 0 {
				n, what = runnerName(line[i:])
			}
			if n == 0 {
				n, what = keyValue(line[i:])
			}
			if n > 0 {
				dst = append(dst, what...)
				i += n
				continue
			}
		}
		if c == '/' && (i == 0 || !isPathByte(line[i-1])) {
			if n := tempPath(line[i:]); n > 0 {
				dst = append(dst, "<tmp>"...)
				i += n
				continue
			}
		}
		if c == ':' && i > 0 && (isWord(line[i-1]) || line[i-1] == ']') {
			if n := digits(line[i+1:]); n >= 4 && n <= 5 && (i+1+n == len(line) || !isWord(line[i+1+n])) {
				dst = append(dst, ":<port>"...)
				i += 1 + n
				continue
			}
		}
		if isDigit(c) && i > 0 && (isLetter(line[i-1]) || (line[i-1] == '-' || line[i-1] == '_') && i > 1 && isWord(line[i-2])) {
			// A counter inside a name: the digits of runner-3 or go-build123456.
			n := digits(line[i:])
			if i+n == len(line) || !isLetter(line[i+n]) {
				dst = append(dst, '0')
				i += n
				continue
			}
		}
		// Copy the rest of a word at once, so a boundary is only ever
		// tested at a word's start.
		if isWord(c) {
			j := i + 1
			for j < len(line) && isWord(line[j]) && !isDigit(line[j]) {
				j++
			}
			dst = append(dst, line[i:j]...)
			i = j
			continue
		}
		dst = append(dst, c)
		i++
	}
	return dst
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isWord(c byte) bool   { return isDigit(c) || isLetter(c) || c >= 0x80 }
func isHex(c byte) bool    { return isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'f' }

// isPathByte: bytes that continue a path (a / after one is not a path's start).
func isPathByte(c byte) bool {
	return isWord(c) || c == '_' || c == '.' || c == '-' || c == '/' || c == '~'
}

func digits(b []byte) int {
	n := 0
	for n < len(b) && isDigit(b[n]) {
		n++
	}
	return n
}

// ends reports whether b[n:] does not continue a word.
func ends(b []byte, n int) bool { return n == len(b) || !isWord(b[n]) }

// fixed matches a pattern where 'd' is a digit, 'x' a hex digit and any
// other byte itself.
func fixed(b []byte, pattern string) bool {
	if len(b) < len(pattern) {
		return false
	}
	for k := 0; k < len(pattern); k++ {
		switch p := pattern[k]; p {
		case 'd':
			if !isDigit(b[k]) {
				return false
			}
		case 'x':
			if !isHex(b[k]) {
				return false
			}
		default:
			if b[k] != p {
				return false
			}
		}
	}
	return true
}

// timestamp matches a date with an optional time, or a clock time, with
// optional fractions and zone; it returns its length or 0.
func timestamp(b []byte) int {
	n := 0
	switch {
	case fixed(b, "dddd-dd-dd"):
		n = 10
		if len(b) > n+1 && (b[n] == 'T' || b[n] == ' ') && fixed(b[n+1:], "dd:dd") {
			n += 1 + clock(b[n+1:])
		}
	case fixed(b, "d:dd:dd"):
		n = clock(b)
	case fixed(b, "dd:dd:dd"):
		n = clock(b)
	default:
		return 0
	}
	// Zone: Z, +01:00, -0700.
	switch {
	case n < len(b) && b[n] == 'Z':
		n++
	case n < len(b) && (b[n] == '+' || b[n] == '-') && fixed(b[n+1:], "dd:dd"):
		n += 6
	case n < len(b) && (b[n] == '+' || b[n] == '-') && fixed(b[n+1:], "dddd") && ends(b, n+5):
		n += 5
	}
	if !ends(b, n) {
		return 0
	}
	return n
}

// clock matches h:mm, hh:mm, hh:mm:ss and their fractions.
func clock(b []byte) int {
	n := digits(b)
	if n == 0 || n > 2 {
		return 0
	}
	for part := 0; part < 2 && n+2 < len(b) && b[n] == ':' && fixed(b[n+1:], "dd"); part++ {
		n += 3
	}
	if n+1 < len(b) && (b[n] == '.' || b[n] == ',') && isDigit(b[n+1]) {
		n += 1 + digits(b[n+1:])
	}
	return n
}

func uuid(b []byte) int {
	const p = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
	if fixed(b, p) && ends(b, len(p)) {
		return len(p)
	}
	return 0
}

// hexID matches 7 or more hex digits holding at least one digit, as a word
// of its own (a commit, a digest, a container id).
func hexID(b []byte) int {
	n, digit := 0, false
	for n < len(b) && isHex(b[n]) {
		digit = digit || isDigit(b[n])
		n++
	}
	if n < 7 || !digit || !ends(b, n) {
		return 0
	}
	return n
}

// duration matches a number with a unit of time, compound ones included
// (1m23.456s, 1h2m3s), with an optional space before a spelled unit.
func duration(b []byte) int {
	n := 0
	for {
		d := digits(b[n:])
		if d == 0 {
			break
		}
		m := n + d
		if m+1 < len(b) && b[m] == '.' && isDigit(b[m+1]) {
			m += 1 + digits(b[m+1:])
		}
		u := unit(b[m:])
		if u == 0 {
			break
		}
		n = m + u
	}
	if n == 0 || !ends(b, n) {
		return 0
	}
	return n
}

var units = []string{"ns", "us", "µs", "ms", "s", "m", "h", "sec", "secs", "seconds", "second", "min", "mins", "minutes", "minute"}

// unit is the length of the longest time unit b starts with that no letter
// follows (a digit may: 1m23s), allowing one space before a unit of two letters or more.
func unit(b []byte) int {
	best := 0
	for _, u := range units {
		if len(b) >= len(u) && string(b[:len(u)]) == u && notLetter(b, len(u)) && len(u) > best {
			best = len(u)
		}
		if len(u) >= 2 && len(b) > len(u) && b[0] == ' ' && string(b[1:1+len(u)]) == u && notLetter(b, 1+len(u)) && 1+len(u) > best {
			best = 1 + len(u)
		}
	}
	return best
}

func notLetter(b []byte, n int) bool { return n == len(b) || !isLetter(b[n]) && b[n] < 0x80 }

func percent(b []byte) int {
	n := digits(b)
	if n > 0 && n+2 < len(b) && b[n] == '.' && isDigit(b[n+1]) {
		n += 1 + digits(b[n+1:])
	}
	if n == 0 || n >= len(b) || b[n] != '%' {
		return 0
	}
	return n + 1
}

// token matches a random token: 8 or more letters, digits and _ mixing
// upper case, lower case and digits.
func token(b []byte) int {
	n := 0
	var up, low, dig bool
	for n < len(b) && (isDigit(b[n]) || isLetter(b[n]) || b[n] == '_') {
		c := b[n]
		up = up || c >= 'A' && c <= 'Z'
		low = low || c >= 'a' && c <= 'z'
		dig = dig || isDigit(c)
		n++
	}
	if n < 8 || !(up && low && dig) || !ends(b, n) {
		return 0
	}
	return n
}

var tempRoots = []string{"/tmp/", "/var/tmp/", "/var/folders/", "/private/var/folders/", "/private/tmp/"}

// tempPath matches a path under a temporary directory, up to a space, a
// quote or a closing bracket.
func tempPath(b []byte) int {
	for _, r := range tempRoots {
		if len(b) >= len(r) && string(b[:len(r)]) == r {
			n := len(r)
			for n < len(b) && b[n] > ' ' && b[n] != '"' && b[n] != '\'' && b[n] != ')' && b[n] != ']' && b[n] != ',' && b[n] != ':' {
				n++
			}
			return n
		}
	}
	return 0
}

// runnerName matches what names a runner of gitlab-runner's: the short
// token before ", system ID:" in the preamble, and the token in a docker
// executor's container name, runner-<token>-project-<id>-concurrent-<n>.
// It returns the length matched and its placeholder.
func runnerName(b []byte) (int, string) {
	n := 0
	for n < len(b) && (isDigit(b[n]) || isLetter(b[n]) || b[n] == '_' || b[n] == '-') {
		n++
	}
	if w := n; w > 0 && bytes.HasPrefix(b[w:], []byte(", system ID:")) {
		return w, "<id>"
	}
	const prefix = "runner-"
	if !bytes.HasPrefix(b, []byte(prefix)) {
		return 0, ""
	}
	m := len(prefix)
	for m < len(b) && (isDigit(b[m]) || isLetter(b[m]) || b[m] == '_') {
		m++
	}
	if m > len(prefix) && bytes.HasPrefix(b[m:], []byte("-project-")) {
		return m, "runner-<id>"
	}
	return 0, ""
}

// keyValue matches id=<digits> and token=<anything up to a space>, as the
// runner's artifact upload line carries them (its job's id and token).
func keyValue(b []byte) (int, string) {
	switch {
	case bytes.HasPrefix(b, []byte("id=")):
		if d := digits(b[3:]); d > 0 && ends(b, 3+d) {
			return 3 + d, "id=<n>"
		}
	case bytes.HasPrefix(b, []byte("token=")):
		n := len("token=")
		for n < len(b) && b[n] > ' ' {
			n++
		}
		return n, "token=<id>"
	}
	return 0, ""
}
