package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The command's output is the goldens' form: every golden must come out of
// the command byte for byte, and every line must be a JSON object with the
// documented fields.
func TestDumpMatchesGoldens(t *testing.T) {
	logs, err := filepath.Glob("../../testdata/*.log")
	require.NoError(t, err)
	require.NotEmpty(t, logs)
	for _, path := range logs {
		t.Run(filepath.Base(path), func(t *testing.T) {
			in, err := os.ReadFile(path)
			require.NoError(t, err)
			want, err := os.ReadFile(strings.TrimSuffix(path, ".log") + ".golden")
			require.NoError(t, err)
			var out bytes.Buffer
			require.NoError(t, run(bytes.NewReader(in), &out))
			assert.Equal(t, string(want), out.String())
			for i, line := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
				var obj map[string]any
				require.NoError(t, json.Unmarshal([]byte(line), &obj), "#L%d", i+1)
				for _, key := range []string{"text", "spans", "section", "timestamp"} {
					assert.Contains(t, obj, key, "#L%d always has %s", i+1, key)
				}
				_, header := obj["header"]
				_, collapsed := obj["collapsed"]
				assert.Equal(t, header, collapsed, "#L%d: collapsed appears exactly on headers", i+1)
			}
		})
	}
}
