package logview

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTheFirstScreenParsesOnlyWhatItShows(t *testing.T) {
	tests := []struct {
		name  string
		had   bool
		size  int
		atEnd bool
		want  int
	}{
		{"a small log, whole", false, 10 << 10, false, 10 << 10},
		{"exactly the first chunk", false, firstChunkBytes, false, firstChunkBytes},
		{"a first download chunk of 2 MB: its start first", false, 2 << 20, false, firstChunkBytes},
		{"a big log: its start first", false, 60 << 20, false, firstChunkBytes},
		{"opened at the end: all of it, the end is the first screen", false, 2 << 20, true, 2 << 20},
		{"opened at the end, more than a chunk: in steps all the same", false, 60 << 20, true, firstChunkBytes},
		{"a prefix held: only the new tail is parsed, at once", true, 3 << 20, false, 3 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, firstStep(tt.had, tt.size, tt.atEnd))
		})
	}
}
