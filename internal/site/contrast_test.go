package site

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/jobscope/jobscope/internal/logrow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// WCAG 2.x relative luminance of a #rrggbb colour.
func luminance(t *testing.T, hex string) float64 {
	t.Helper()
	v, err := strconv.ParseUint(strings.TrimPrefix(hex, "#"), 16, 32)
	require.NoError(t, err, hex)
	lin := func(c uint64) float64 {
		x := float64(c) / 255
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(v>>16&255) + 0.7152*lin(v>>8&255) + 0.0722*lin(v&255)
}

func contrast(t *testing.T, a, b string) float64 {
	x, y := luminance(t, a), luminance(t, b)
	return (max(x, y) + 0.05) / (min(x, y) + 0.05)
}

// schemes reads a stylesheet's custom properties (--name: #rrggbb) and
// class colours (.name { color: #rrggbb; }) for the light scheme (outside
// any prefers-color-scheme: dark block) and the dark one (the light values
// overridden by those inside).
func schemes(t *testing.T, file string) (light, dark map[string]string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "web", file))
	require.NoError(t, err)
	css := string(b)
	inDark := make([]bool, len(css))
	for _, loc := range regexp.MustCompile(`@media \(prefers-color-scheme: dark\) \{`).FindAllStringIndex(css, -1) {
		depth := 1
		for i := loc[1]; i < len(css) && depth > 0; i++ {
			switch css[i] {
			case '{':
				depth++
			case '}':
				depth--
			}
			inDark[i] = true
		}
	}
	light, dark = map[string]string{}, map[string]string{}
	re := regexp.MustCompile(`(--[a-z-]+): (#[0-9a-f]{6})|\.([a-z0-9-]+) \{ color: (#[0-9a-f]{6}); \}`)
	for _, m := range re.FindAllStringSubmatchIndex(css, -1) {
		name, value := "", ""
		if m[2] >= 0 {
			name, value = css[m[2]:m[3]], css[m[4]:m[5]]
		} else {
			name, value = "."+css[m[6]:m[7]], css[m[8]:m[9]]
		}
		if inDark[m[0]] {
			dark[name] = value
		} else {
			light[name] = value
		}
	}
	for k, v := range light {
		if _, ok := dark[k]; !ok {
			dark[k] = v
		}
	}
	return light, dark
}

// TestTextMeetsWCAGAAInBothSchemes: every text colour of the log view (the
// 16 SGR colours, the 256 xterm ones, line numbers, highlighted rows) and
// of the app's stylesheet has a contrast of at least 4.5:1 (WCAG 2.2 SC
// 1.4.3, AA) on the background it is drawn on, in the light and the dark
// scheme; the backgrounds logrow makes 24-bit colours readable on are the
// stylesheet's.
func TestTextMeetsWCAGAAInBothSchemes(t *testing.T) {
	logLight, logDark := schemes(t, "log.css")
	appLight, appDark := schemes(t, "app.css")
	const aa = 4.5
	for _, sc := range []struct {
		name     string
		log, app map[string]string
		readable logrow.Scheme
	}{{"light", logLight, appLight, logrow.Light}, {"dark", logDark, appDark, logrow.Dark}} {
		t.Run(sc.name, func(t *testing.T) {
			assert.Equal(t, fmt.Sprintf("#%06x", sc.readable.Background), sc.log["--log-bg"], "logrow's background is log.css's")
			type pair struct{ fg, bg string }
			var pairs []pair
			for _, c := range []string{"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"} {
				for _, v := range []string{"", "l-"} {
					pairs = append(pairs, pair{".term-fg-" + v + c, "--log-bg"})
				}
			}
			for n := range 256 {
				pairs = append(pairs, pair{".xterm-fg-" + strconv.Itoa(n), "--log-bg"})
			}
			for _, bg := range []string{"--log-bg", "--log-sel"} {
				pairs = append(pairs, pair{"--log-fg", bg}, pair{"--log-muted", bg}, pair{"--log-fail", bg}) // a failed test's mark
			}
			pairs = append(pairs, pair{"--log-fg", "--log-hit"}, pair{"--log-fg", "--log-cur"})
			for _, p := range pairs {
				fg, bg := sc.log[p.fg], sc.log[p.bg]
				require.NotEmpty(t, fg, "log.css sets %s", p.fg)
				require.NotEmpty(t, bg, "log.css sets %s", p.bg)
				assert.GreaterOrEqual(t, contrast(t, fg, bg), aa, "log.css: %s %s on %s %s", p.fg, fg, p.bg, bg)
			}
			for _, p := range []pair{
				{"--fg", "--bg"}, {"--fg", "--card"}, {"--muted", "--bg"}, {"--muted", "--card"},
				{"--accent", "--bg"}, {"--accent", "--card"}, {"--accent-fg", "--accent"},
				{"--err", "--err-bg"}, {"--ok", "--ok-bg"}, {"--warn", "--card"}, {"--card", "--err"},
			} {
				fg, bg := sc.app[p.fg], sc.app[p.bg]
				require.NotEmpty(t, fg, "app.css sets %s", p.fg)
				require.NotEmpty(t, bg, "app.css sets %s", p.bg)
				assert.GreaterOrEqual(t, contrast(t, fg, bg), aa, "app.css: %s %s on %s %s", p.fg, fg, p.bg, bg)
			}
		})
	}
}
