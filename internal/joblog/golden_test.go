package joblog

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from testdata/*.log")

// TestGoldens parses each hand-written testdata/name.log and compares the
// dump with testdata/name.golden (style.md §11); -update rewrites them. Each
// is also parsed in chunks, and the dump is checked to be a fixed point of
// its own text (parsing the displayed text again changes nothing).
func TestGoldens(t *testing.T) {
	logs, err := filepath.Glob("testdata/*.log")
	require.NoError(t, err)
	require.NotEmpty(t, logs)
	for _, path := range logs {
		name := strings.TrimSuffix(filepath.Base(path), ".log")
		t.Run(name, func(t *testing.T) {
			in, err := os.ReadFile(path)
			require.NoError(t, err)
			got := dump(parseAll(string(in)))
			golden := strings.TrimSuffix(path, ".log") + ".golden"
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test ./internal/joblog -update")
			assert.Equal(t, string(want), got)
			requireSplitsAgree(t, string(in))
		})
	}
}
