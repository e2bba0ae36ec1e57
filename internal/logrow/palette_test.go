package logrow

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadableColoursMeetAAInBothSchemes(t *testing.T) {
	cases := []struct {
		name   string
		scheme Scheme
		rgb    int
		want   int // 0 checks only the contrast
	}{
		{"a colour that reads already is kept (light)", Light, 0x0a58ca, 0x0a58ca},
		{"a colour that reads already is kept (dark)", Dark, 0xffaf00, 0xffaf00},
		{"amber on the light log is darkened", Light, 0xffaf00, 0},
		{"navy on the dark log is lightened", Dark, 0x000087, 0},
		{"white on the light log becomes a grey", Light, 0xffffff, 0},
		{"black on the dark log becomes a grey", Dark, 0x000000, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.scheme.Readable(tc.rgb)
			assert.Greater(t, Contrast(got, tc.scheme.Background), 4.5, "#%06x", got)
			if tc.want != 0 {
				assert.Equal(t, tc.want, got)
			}
		})
	}
	t.Run("every xterm colour and a sweep of 24-bit ones", func(t *testing.T) {
		for _, s := range []Scheme{Light, Dark} {
			for n := range 256 {
				assert.Greater(t, Contrast(s.Readable(Xterm(n)), s.Background), 4.5, "%s xterm %d", s.Name, n)
			}
			for rgb := 0; rgb < 1<<24; rgb += 0x0f0f0f / 3 {
				assert.Greater(t, Contrast(s.Readable(rgb), s.Background), 4.5, "%s #%06x", s.Name, rgb)
			}
		}
	})
}

func TestXtermIsXtermsPalette(t *testing.T) {
	for n, want := range map[int]int{0: 0x000000, 12: 0x5c5cff, 16: 0x000000, 17: 0x00005f, 208: 0xff8700, 214: 0xffaf00, 231: 0xffffff, 232: 0x080808, 255: 0xeeeeee} {
		assert.Equal(t, want, Xterm(n), "colour %d", n)
	}
}

// TestTheStylesheetHasTheReadablePalette: web/log.css colours xterm-fg-N
// with XtermCSS, between its begin and end comments (-update rewrites it).
func TestTheStylesheetHasTheReadablePalette(t *testing.T) {
	const (
		begin = "/* xterm foregrounds, generated: go test ./internal/logrow -run Palette -update */\n"
		end   = "/* end of xterm foregrounds */\n"
	)
	file := filepath.Join("..", "..", "web", "log.css")
	raw, err := os.ReadFile(file)
	require.NoError(t, err)
	css := string(raw)
	before, rest, ok := strings.Cut(css, begin)
	require.True(t, ok, "log.css has %q", begin)
	block, after, ok := strings.Cut(rest, end)
	require.True(t, ok, "log.css has %q", end)
	if *update {
		block = XtermCSS()
		require.NoError(t, os.WriteFile(file, []byte(before+begin+block+end+after), 0o644))
	}
	assert.Equal(t, XtermCSS(), block)
}
