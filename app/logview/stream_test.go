package logview

import (
	"bytes"
	"context"
	"io"
	"testing"
	"testing/iotest"

	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// answer is one trace answer of a fake GitLab.
type answer struct {
	status int
	body   string
	length int64 // -1: not said
	cut    bool  // the body ends early with a network error
	etag   string
}

func (a answer) stream() *gitlab.LogStream {
	s := &gitlab.LogStream{Status: a.status, Length: a.length, ETag: a.etag}
	if a.status == 200 || a.status == 206 {
		var r io.Reader = bytes.NewReader([]byte(a.body))
		if a.cut {
			r = io.MultiReader(r, iotest.ErrReader(io.ErrUnexpectedEOF))
		}
		s.Body = io.NopCloser(r)
	}
	return s
}

// TestTheLogReaderAsksOnlyForWhatItLacks: after the first download, each
// poll asks from the byte held with the ETag held, and each kind of answer
// gives the right whole log (issue 12).
func TestTheLogReaderAsksOnlyForWhatItLacks(t *testing.T) {
	tests := []struct {
		name     string
		answers  []answer
		wantReqs []gitlab.LogRequest
		wantLog  string
		wantErr  bool
	}{
		{"ranges served: 206 appends, 416 and 304 add nothing",
			[]answer{{200, "a\nb\n", 4, false, `W/"1"`}, {206, "c\n", 2, false, `W/"2"`}, {416, "", -1, false, ""}, {304, "", -1, false, `W/"2"`}},
			[]gitlab.LogRequest{{}, {From: 4, IfNoneMatch: `W/"1"`}, {From: 6, IfNoneMatch: `W/"2"`}, {From: 6, IfNoneMatch: `W/"2"`}},
			"a\nb\nc\n", false},
		{"GitLab's whole log each time: the newest whole log",
			[]answer{{200, "a\n", 2, false, `W/"1"`}, {200, "a\nb\n", 4, false, `W/"2"`}},
			[]gitlab.LogRequest{{}, {From: 2, IfNoneMatch: `W/"1"`}},
			"a\nb\n", false},
		{"a log replaced between polls comes whole",
			[]answer{{200, "old\n", 4, false, `W/"1"`}, {200, "new\n", 4, false, `W/"2"`}},
			[]gitlab.LogRequest{{}, {From: 4, IfNoneMatch: `W/"1"`}},
			"new\n", false},
		{"a body shorter than its Content-Length is an error, what came is kept",
			[]answer{{200, "a\nb", 10, false, `W/"1"`}},
			[]gitlab.LogRequest{{}},
			"a\nb", true},
		{"a connection cut half way is an error, what came is kept, the next poll asks from there",
			[]answer{{200, "a\n", 10, true, `W/"1"`}, {206, "b\n", 2, false, `W/"2"`}},
			[]gitlab.LogRequest{{}, {From: 2}},
			"a\nb\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var reqs []gitlab.LogRequest
			n := 0
			r := &logReader{fetch: func(_ context.Context, req gitlab.LogRequest) (*gitlab.LogStream, error) {
				reqs = append(reqs, req)
				a := tt.answers[n]
				n++
				return a.stream(), nil
			}}
			var log []byte
			var err error
			for range tt.answers {
				log, err = r.read(context.Background())
			}
			assert.Equal(t, tt.wantReqs, reqs)
			assert.Equal(t, tt.wantLog, string(log))
			if tt.wantErr {
				require.Error(t, err)
			} else {
				require.NoError(t, err)
			}
		})
	}
}
