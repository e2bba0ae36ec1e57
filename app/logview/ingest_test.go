package logview

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTheFirstScreenParsesOnlyWhatItShows(t *testing.T) {
	tests := []struct {
		name       string
		held, size int
		atEnd      bool
		want       int
	}{
		{"a small log, whole", 0, 10 << 10, false, 10 << 10},
		{"exactly the first chunk", 0, firstChunkBytes, false, firstChunkBytes},
		{"a first download chunk of 2 MB: its start first", 0, 2 << 20, false, firstChunkBytes},
		{"a big log: its start first", 0, 60 << 20, false, firstChunkBytes},
		{"opened at the end: all of it, the end is the first screen", 0, 2 << 20, true, 2 << 20},
		{"opened at the end, more than a chunk: in steps all the same", 0, 60 << 20, true, firstChunkBytes},
		{"a prefix held: only the new tail is parsed, at once", 1 << 20, 3 << 20, false, 3 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, firstStep(tt.held, tt.size, tt.atEnd))
		})
	}
}
