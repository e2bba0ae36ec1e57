package gitlabfake

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The memo never answers another log's ETag: a prefix of the same bytes, the
// same length at another address, an emptied log (docs/gitlab-api.md §4 "ETag":
// the ETag is the digest of the bytes served).
func TestTheLogsETagMemoIsAlwaysTheDigestOfTheBytesServed(t *testing.T) {
	full := []byte("line 1\nline 2\nline 3\n")
	other := []byte("LINE 1\nline 2\nline 3\n")
	steps := []struct {
		name string
		log  []byte
	}{
		{"the first read", full[:7]},
		{"the same bytes again", full[:7]},
		{"the log grew in place", full[:14]},
		{"the whole log", full},
		{"the same length, other bytes", other},
		{"shrunk to a prefix", other[:7]},
		{"erased", nil},
		{"back", full},
	}
	var m etagMemo
	for _, s := range steps {
		assert.Equal(t, weakETag(s.log), m.of(s.log), s.name)
	}
}
