package loggen

import (
	"strconv"
	"time"
)

// A unit is a short run of script output (a command's lines, a progress
// bar, a section marker) written within limits: at most maxBytes bytes
// (roughly: only long lines check it) and at most maxLines LF bytes.
type unit struct {
	weight int
	write  func(g *generator, maxBytes, maxLines int)
}

// units are the normal kinds, weighted by how often they start; hostileUnits
// join them when Options.Hostile is set.
var units = []unit{
	{6, (*generator).command},
	{14, (*generator).goTests},
	{5, (*generator).gotestsum},
	{4, (*generator).goDownloads},
	{6, (*generator).cargo},
	{5, (*generator).turbo},
	{14, (*generator).appLogs},
	{5, (*generator).dockerBuild},
	{2, (*generator).progress},
	{1, (*generator).longLine},
	{3, (*generator).warning},
	{2, (*generator).errorLine},
	{2, (*generator).sectionStart},
	{3, (*generator).sectionEnd},
	{2, (*generator).blank},
	{1, (*generator).crlf},
}

var unitWeights, hostileWeights = totalWeight(units), totalWeight(hostileUnits)

func totalWeight(us []unit) int {
	n := 0
	for _, u := range us {
		n += u.weight
	}
	return n
}

// unit writes one randomly chosen unit.
func (g *generator) unit(maxBytes, maxLines int) {
	if g.opts.Hostile && g.r.intn(100000) < 8 {
		// About one in 12,500 units: some ten per 100 MB, 5% of the bytes.
		g.hugeLine(maxBytes, maxLines)
		return
	}
	if g.opts.Hostile && g.r.chance(60) {
		choose(&g.r, hostileUnits, hostileWeights).write(g, maxBytes, maxLines)
		return
	}
	choose(&g.r, units, unitWeights).write(g, maxBytes, maxLines)
}

func choose(r *rng, us []unit, total int) unit {
	n := r.intn(total)
	for _, u := range us {
		if n < u.weight {
			return u
		}
		n -= u.weight
	}
	return us[len(us)-1]
}

// simpleLine writes one short single-record line (under 400 bytes with its
// timestamp), for landing exactly on Size or Lines.
func (g *generator) simpleLine() {
	switch g.r.intn(4) {
	case 0:
		g.appLogs(0, 1)
	case 1:
		g.goDownloads(0, 1)
	case 2:
		g.gotestsum(0, 1)
	default:
		g.warning(0, 1)
	}
}

// filler writes one plain line of exactly n bytes, LF and timestamp
// included, or nothing when n cannot hold one.
func (g *generator) filler(n int) {
	head := 0
	if g.opts.Timestamps {
		head = 32
	}
	text := n - head - 1
	if text < 1 {
		return
	}
	g.rec(scriptOut)
	for text > 0 {
		w := pick(&g.r, words)
		if len(w)+1 > text {
			w = "........"[:min(text, 8)]
			text -= len(w)
			g.buf = append(g.buf, w...)
			break
		}
		g.buf = append(g.buf, w...)
		g.buf = append(g.buf, ' ')
		text -= len(w) + 1
	}
	for text > 0 {
		g.buf = append(g.buf, '.')
		text--
	}
	g.end()
}

// Helpers appending numbers in the shapes tools print them.

func (g *generator) num(v int) { g.buf = strconv.AppendInt(g.buf, int64(v), 10) }

// fixed appends v/10^d with d decimals: fixed(1234, 3) is "1.234".
func (g *generator) fixed(v, d int) {
	p := 1
	for range d {
		p *= 10
	}
	g.num(v / p)
	g.buf = append(g.buf, '.')
	frac := v % p
	for p /= 10; p > 0; p /= 10 {
		g.buf = append(g.buf, byte('0'+frac/p%10))
	}
}

func (g *generator) str(s ...string) {
	for _, x := range s {
		g.buf = append(g.buf, x...)
	}
}

func (g *generator) pkg() {
	g.str(g.job.module, "/", pick(&g.r, pkgNames), pick(&g.r, pkgSubs))
}

func (g *generator) testName() {
	g.str("Test", pick(&g.r, testVerbs), pick(&g.r, testNouns))
}

// command echoes a script command as the runner's shell does, then waits
// for it to start producing output.
func (g *generator) command(_, _ int) {
	g.rec(scriptOut)
	g.str(ansiBoldGreen, "$ ", pick(&g.r, commands), ansiReset)
	g.end()
	g.sleep(50*time.Millisecond, 4*time.Second)
}

// goTests writes `go test -v` output: RUN, log lines, PASS (or FAIL in a
// failing job), then the package's ok line.
func (g *generator) goTests(_, maxLines int) {
	n := min(g.r.between(3, 40), maxLines)
	for n > 1 {
		g.rec(scriptOut)
		g.str("=== RUN   ")
		nameAt := len(g.buf)
		g.testName()
		if g.r.chance(500) {
			g.str("/", pick(&g.r, subCases))
		}
		nameEnd := len(g.buf)
		g.end()
		n--
		for ; n > 1 && g.r.chance(300); n-- {
			g.rec(scriptOut)
			g.str("    ", pick(&g.r, goFiles), ":")
			g.num(g.r.between(10, 400))
			g.str(": ", pick(&g.r, logMessages), " after ")
			g.num(g.r.between(1, 900))
			g.str("ms")
			g.end()
		}
		if n > 1 {
			g.rec(scriptOut)
			if g.opts.Failed && g.r.chance(20) {
				g.str("--- FAIL: ")
			} else {
				g.str("--- PASS: ")
			}
			// The name again, from this unit's own bytes (no flush happens
			// inside a unit).
			g.buf = append(g.buf, g.buf[nameAt:nameEnd]...)
			g.str(" (")
			g.fixed(g.r.between(0, 300), 2)
			g.str("s)")
			g.end()
			n--
		}
	}
	if n > 0 {
		g.rec(scriptOut)
		g.str("ok  \t")
		g.pkg()
		g.str("\t")
		g.fixed(g.r.between(3, 40000), 3)
		g.str("s\tcoverage: ")
		g.fixed(g.r.between(200, 1000), 1)
		g.str("% of statements")
		g.end()
	}
}

// gotestsum writes its compact per-package lines in 8-colour SGR.
func (g *generator) gotestsum(_, maxLines int) {
	for n := min(g.r.between(1, 12), maxLines); n > 0; n-- {
		g.rec(scriptOut)
		if g.r.chance(150) {
			g.str("\x1b[33m∅\x1b[0m  ")
			g.pkg()
		} else {
			g.str("\x1b[32m✓\x1b[0m  ")
			g.pkg()
			g.str(" (")
			g.fixed(g.r.between(10, 90000), 3)
			g.str("s) (coverage: ")
			g.fixed(g.r.between(200, 1000), 1)
			g.str("% of statements)")
		}
		g.end()
	}
}

func (g *generator) goDownloads(_, maxLines int) {
	for n := min(g.r.between(1, 15), maxLines); n > 0; n-- {
		g.rec(scriptErr)
		g.str("go: downloading ", pick(&g.r, modules))
		g.end()
	}
}

// cargo writes Compiling lines and a rustc warning with its 256-colour
// gutter (rustc prints bright blue as 38;5;12), to stderr as cargo does.
func (g *generator) cargo(_, maxLines int) {
	n := min(g.r.between(2, 20), maxLines)
	for ; n > 6; n-- {
		g.rec(scriptErr)
		g.str("\x1b[1m\x1b[32m   Compiling\x1b[0m ", pick(&g.r, crates))
		g.end()
	}
	if n == 6 {
		file, line := pick(&g.r, rustFiles), g.r.between(10, 999)
		g.line(scriptErr, "\x1b[0m\x1b[1m\x1b[33mwarning\x1b[0m\x1b[0m\x1b[1m: "+pick(&g.r, rustWarnings)+"\x1b[0m")
		g.rec(scriptErr)
		g.str("\x1b[0m   \x1b[0m\x1b[0m\x1b[1m\x1b[38;5;12m--> \x1b[0m\x1b[0m", file, ":")
		g.num(line)
		g.str(":13\x1b[0m")
		g.end()
		g.line(scriptErr, "\x1b[0m    \x1b[0m\x1b[0m\x1b[1m\x1b[38;5;12m|\x1b[0m")
		g.rec(scriptErr)
		g.str("\x1b[0m\x1b[1m\x1b[38;5;12m")
		g.num(line)
		g.str("\x1b[0m\x1b[0m \x1b[0m\x1b[0m\x1b[1m\x1b[38;5;12m|\x1b[0m\x1b[0m \x1b[0m\x1b[0m        let chunk = read_chunk(&mut reader)?;\x1b[0m")
		g.end()
		g.line(scriptErr, "\x1b[0m    \x1b[0m\x1b[0m\x1b[1m\x1b[38;5;12m|\x1b[0m\x1b[0m            \x1b[0m\x1b[0m\x1b[1m\x1b[33m^^^^^\x1b[0m \x1b[0m\x1b[0m\x1b[1m\x1b[33mhelp: if this is intentional, prefix it with an underscore: `_chunk`\x1b[0m")
		g.line(scriptErr, "")
		n = 0
	}
	for ; n > 0; n-- {
		g.rec(scriptErr)
		g.str("\x1b[1m\x1b[32m    Finished\x1b[0m `release` profile [optimized] target(s) in ")
		g.fixed(g.r.between(100, 300000), 2)
		g.str("s")
		g.end()
	}
}

// turbo writes a monorepo build: each workspace's output prefixed in its
// own 24-bit colour, vite's asset table in 8-colour with faint text.
func (g *generator) turbo(_, maxLines int) {
	pkg := g.r.intn(len(npmPackages))
	r, gr, b := 80+pkg*40, 200-pkg*30, 120+pkg*25
	prefix := func() {
		g.str("\x1b[38;2;")
		g.num(r)
		g.str(";")
		g.num(gr)
		g.str(";")
		g.num(b)
		g.str("m", npmPackages[pkg], ":build: \x1b[0m")
	}
	n := min(g.r.between(2, 16), maxLines)
	g.rec(scriptOut)
	prefix()
	g.str("\x1b[32m✓\x1b[39m ")
	g.num(g.r.between(40, 4000))
	g.str(" modules transformed.")
	g.end()
	for n--; n > 0; n-- {
		g.rec(scriptOut)
		prefix()
		g.str("\x1b[2mdist/\x1b[22m\x1b[36massets/", pick(&g.r, assets), "-")
		for range 8 {
			g.buf = append(g.buf, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[g.r.intn(62)])
		}
		g.str(pick(&g.r, assetExts), "\x1b[39m  \x1b[1m\x1b[2m")
		size := g.r.between(100, 900000)
		g.fixed(size, 2)
		g.str(" kB\x1b[22m\x1b[1m\x1b[22m\x1b[2m │ gzip: ")
		g.fixed(size/3, 2)
		g.str(" kB\x1b[22m")
		g.end()
	}
}

// appLogs writes zap-style console logs of the service under test, level
// coloured (magenta, blue, yellow, red), some with a JSON payload.
func (g *generator) appLogs(_, maxLines int) {
	for n := min(g.r.between(1, 25), maxLines); n > 0; n-- {
		g.rec(scriptOut)
		g.stamp()
		switch l := g.r.intn(100); {
		case l < 10:
			g.str("\t\x1b[35mDEBUG\x1b[0m\t")
		case l < 85:
			g.str("\t\x1b[34mINFO\x1b[0m\t")
		case l < 95:
			g.str("\t\x1b[33mWARN\x1b[0m\t")
		default:
			g.str("\t\x1b[31mERROR\x1b[0m\t")
		}
		g.str(pick(&g.r, logCallers), "\t", pick(&g.r, logMessages))
		if g.r.chance(600) {
			g.str("\t{\"method\": \"GET\", \"path\": \"", pick(&g.r, httpPaths), "\", \"status\": ")
			g.num(pick(&g.r, []int{200, 200, 200, 201, 204, 304, 404, 429, 500}))
			g.str(", \"duration\": \"")
			g.fixed(g.r.between(1, 99999), 3)
			g.str("ms\", \"request_id\": \"")
			g.hex(16)
			g.str("\"}")
		}
		g.end()
	}
}

// stamp writes the job clock as an ISO 8601 time, as an application log
// line would (not the runner's prefix).
func (g *generator) stamp() {
	var b [28]byte
	formatSecond(b[:], g.now/1e6)
	ms := g.now % 1e6 / 1e3
	g.buf = append(g.buf, b[:20]...)
	g.buf = append(g.buf, byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10), 'Z')
}

func (g *generator) hex(n int) {
	for range n {
		g.buf = append(g.buf, "0123456789abcdef"[g.r.intn(16)])
	}
}

// dockerBuild writes BuildKit's plain progress output.
func (g *generator) dockerBuild(_, maxLines int) {
	step := g.r.between(2, 30)
	n := min(g.r.between(2, 12), maxLines)
	g.rec(scriptErr)
	g.str("#")
	g.num(step)
	g.str(" [build ")
	g.num(g.r.between(1, 6))
	g.str("/6] ", pick(&g.r, dockerSteps))
	g.end()
	for n--; n > 1; n-- {
		g.rec(scriptErr)
		g.str("#")
		g.num(step)
		g.str(" ")
		g.fixed(g.r.between(1, 99999), 3)
		g.str(" go: downloading ", pick(&g.r, modules))
		g.end()
	}
	if n > 0 {
		g.rec(scriptErr)
		g.str("#")
		g.num(step)
		if g.r.chance(300) {
			g.str(" CACHED")
		} else {
			g.str(" DONE ")
			g.fixed(g.r.between(1, 999), 1)
			g.str("s")
		}
		g.end()
	}
}

// progress writes a download progress bar redrawn with CR: either each
// update starts with CR (progressbar libraries) or ends with one (curl-like),
// optionally erasing with \e[2K\e[1G first (npm). The runner's timestamper
// makes every CR-only write its own record (joblog.md §5).
func (g *generator) progress(_, maxLines int) {
	steps := g.r.between(5, 40)
	if g.opts.Timestamps {
		steps = min(steps, maxLines-1)
	}
	style := g.r.intn(3)
	total := g.r.between(5, 400)
	what := pick(&g.r, crates)
	for i := 1; i <= steps; i++ {
		g.rec(scriptErr)
		if style == 0 {
			g.str("\r")
		}
		if style == 2 {
			g.str("\x1b[2K\x1b[1G")
		}
		pct := i * 100 / max(steps, 1)
		g.str("Downloading ", what, " ")
		if pct < 100 {
			g.str(" ")
		}
		if pct < 10 {
			g.str(" ")
		}
		g.num(pct)
		g.str("% |")
		for c := range 20 {
			if c < pct/5 {
				g.str("█")
			} else {
				g.str(" ")
			}
		}
		g.str("| (")
		g.fixed(total*pct, 2)
		g.str("/")
		g.num(total)
		g.str(" MB, ")
		g.num(g.r.between(1, 80))
		g.str(" MB/s)")
		g.now += int64(g.r.between(50e3, 500e3))
		if i < steps {
			if style != 0 {
				g.str("\r")
			}
			g.endCR()
		}
	}
	if steps > 0 {
		g.end()
	}
}

// longLine writes one long line: a compiler invocation or a JSON document
// on one line, 1 to 8 KiB.
func (g *generator) longLine(maxBytes, _ int) {
	n := min(g.r.between(1<<10, 8<<10), maxBytes/2)
	g.rec(scriptOut)
	start := len(g.buf)
	if g.r.chance(500) {
		g.str("gcc -O2 -g -Wall -Wextra -fPIC -DNDEBUG -D_FORTIFY_SOURCE=2")
		for len(g.buf)-start < n {
			g.str(" -I/builds/", g.job.group, "/", g.job.project, "/third_party/", pick(&g.r, pkgNames), "/include")
		}
		g.str(" -c src/main.c -o build/main.o")
	} else {
		g.str(`{"level":"debug","msg":"config loaded","values":[`)
		for len(g.buf)-start < n {
			g.str(`{"key":"`, pick(&g.r, words), "_", pick(&g.r, words), `","value":`)
			g.num(g.r.intn(1 << 20))
			g.str("},")
		}
		g.str(`{}]}`)
	}
	g.end()
}

func (g *generator) warning(_, _ int) {
	g.rec(scriptErr)
	switch g.r.intn(3) {
	case 0:
		g.str(ansiYellow, "WARNING: ", pick(&g.r, warnings), ansiReset)
	case 1:
		g.str("npm \x1b[33mWARN\x1b[39m \x1b[94mdeprecated\x1b[39m ", pick(&g.r, npmPackages), "@")
		g.num(g.r.between(1, 9))
		g.str(".")
		g.num(g.r.between(0, 20))
		g.str(".0: ", pick(&g.r, warnings))
	default:
		g.str("\x1b[38;5;214mwarning\x1b[0m: ", pick(&g.r, warnings))
	}
	g.end()
}

// errorLine writes a red error: the runner's bold red, a tool's plain red,
// or a panic with the start of its goroutine trace.
func (g *generator) errorLine(_, maxLines int) {
	switch g.r.intn(3) {
	case 0:
		g.line(scriptErr, ansiBoldRed+"ERROR: "+pick(&g.r, errorsText)+ansiReset)
	case 1:
		g.line(scriptErr, "\x1b[31merror\x1b[39m: "+pick(&g.r, errorsText))
	default:
		g.line(scriptErr, "panic: runtime error: "+pick(&g.r, errorsText))
		if maxLines >= 4 {
			g.line(scriptErr, "")
			g.line(scriptErr, "goroutine 42 [running]:")
			g.line(scriptErr, g.job.module+"/internal/worker.(*Pool).run(0xc000123400)")
		}
	}
}

// sectionStart opens a user section as scripts do with `echo -e`
// (joblog.md §4): sometimes collapsed, sometimes with hide_duration, and
// sometimes the runner's FF_SCRIPT_SECTIONS form around a command.
func (g *generator) sectionStart(_, _ int) {
	if len(g.stack) >= 3 {
		g.sectionEnd(0, 1)
		return
	}
	g.steps++
	g.rec(scriptOut)
	var name string
	if g.r.chance(250) {
		g.str("section_start:")
		g.buf = strconv.AppendInt(g.buf, g.unix(), 10)
		at := len(g.buf) + 1
		g.str(":section_script_step_")
		g.num(g.steps)
		name = string(g.buf[at:])
		g.str("[hide_duration=true,collapsed=true]\r", ansiClear, ansiBoldGreen, "$ for shard in 1 2 3; do # collapsed multi-line command", ansiReset)
	} else {
		g.str(ansiClear, "section_start:")
		g.buf = strconv.AppendInt(g.buf, g.unix(), 10)
		at := len(g.buf) + 1
		g.str(":", pick(&g.r, sectionNames), "_")
		g.num(g.steps)
		name = string(g.buf[at:])
		g.str(pick(&g.r, []string{"", "", "[collapsed=true]", "[hide_duration=true]", "[collapsed=true,hide_duration=true]", "[collapsed=false]"}))
		g.str("\r", ansiClear)
		if g.r.chance(500) {
			g.str(ansiBoldCyan, pick(&g.r, sectionHeaders), ansiReset)
		} else {
			g.str(pick(&g.r, sectionHeaders))
		}
	}
	g.end()
	g.stack = append(g.stack, name)
}

// sectionEnd closes the innermost user section, if any.
func (g *generator) sectionEnd(_, _ int) {
	if len(g.stack) == 0 {
		g.blank(0, 1)
		return
	}
	g.userSectionEnd(g.stack[len(g.stack)-1])
	g.stack = g.stack[:len(g.stack)-1]
}

func (g *generator) userSectionEnd(name string) {
	g.sleep(0, 3*time.Second)
	g.rec(scriptOut)
	g.str(ansiClear, "section_end:")
	g.buf = strconv.AppendInt(g.buf, g.unix(), 10)
	g.str(":", name, "\r", ansiClear)
	g.end()
}

func (g *generator) blank(_, _ int) {
	g.line(scriptOut, pick(&g.r, []string{"", "", "  "}))
}

// crlf writes output of a tool that ends its lines with CRLF.
func (g *generator) crlf(_, maxLines int) {
	for n := min(g.r.between(1, 5), maxLines); n > 0; n-- {
		g.rec(scriptOut)
		g.str("  Restored /builds/", g.job.group, "/", g.job.project, "/src/", pick(&g.r, npmPackages)[6:], ".csproj (in ")
		g.num(g.r.between(80, 3000))
		g.str(" ms).\r")
		g.end()
	}
}
