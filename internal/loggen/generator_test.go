package loggen

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The body stops closingBytes/closingLines before the target; the closing
// sections must never need more, even at their largest: a failed job with
// timestamps and three open user sections with long names.
func TestClosingFitsItsBound(t *testing.T) {
	for _, failed := range []bool{false, true} {
		g := newGenerator(Options{Timestamps: true, Failed: failed}, nil)
		long := strings.Repeat("n", 40)
		g.stack = []string{long + "1", long + "2", long + "3"}
		size, lines := g.closingCost()
		assert.LessOrEqual(t, size, closingBytes)
		assert.LessOrEqual(t, lines, closingLines)
		assert.Len(t, g.stack, 3, "measuring leaves the generator as it was")
	}
}
