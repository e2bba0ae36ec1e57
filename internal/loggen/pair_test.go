package loggen

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGreenRedDifferInAFailureAndNoise(t *testing.T) {
	for _, ts := range []bool{false, true} {
		p := GreenRed(Options{Seed: 7, Size: 256 << 10, Timestamps: ts}, time.Time{})
		require.True(t, bytes.HasSuffix(p.Green, []byte("Job succeeded"+ansiReset+"\n")))
		require.True(t, bytes.Contains(p.Red, []byte("ERROR: Job failed: exit code 1")))
		assert.NotContains(t, string(p.Green), "FAIL")
		require.NotEmpty(t, p.Failure)
		var texts []string
		for _, off := range p.Failure {
			end := bytes.IndexByte(p.Red[off:], '\n')
			require.GreaterOrEqual(t, end, 0)
			texts = append(texts, string(p.Red[off:off+int64(end)]))
		}
		all := ""
		for _, s := range texts {
			all += s + "\n"
		}
		for _, want := range []string{"--- FAIL: ", "_test.go:", "FAIL\t", "make: *** [Makefile:42: test] Error 1", "Uploading artifacts for failed job", "ERROR: Job failed: exit code 1"} {
			assert.Contains(t, all, want, "timestamps %v", ts)
		}
		// The noise of another run.
		assert.NotEqual(t, p.Green[:200], p.Red[:200])
		// Same seed, same pair.
		assert.Equal(t, p, GreenRed(Options{Seed: 7, Size: 256 << 10, Timestamps: ts}, time.Time{}))
	}
}
