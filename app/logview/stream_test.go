package logview

import (
	"bytes"
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

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

// fakeTrace is a trace endpoint over a log that the test changes between
// polls: it honours ranges and ETags or not, and can misbehave.
type fakeTrace struct {
	log    string
	ranges bool
	// misplace shifts a 206 by this many bytes: a range that does not start
	// where it was asked.
	misplace int
	cut      bool // the next whole answer ends half way
	// unasked answers this many requests for the whole log with a 206 of
	// its second half.
	unasked int
	lying   bool // one ETag for any bytes
	asked   []gitlab.LogRequest
}

func (f *fakeTrace) etag() string {
	if f.lying {
		return `W/"same"`
	}
	h := fnv.New64a()
	h.Write([]byte(f.log))
	return fmt.Sprintf(`W/"%x"`, h.Sum64())
}

func (f *fakeTrace) answer(_ context.Context, r gitlab.LogRequest) (*gitlab.LogStream, error) {
	f.asked = append(f.asked, r)
	if r.IfNoneMatch == f.etag() {
		return answer{304, "", -1, false, f.etag()}.stream(), nil
	}
	if f.ranges && r.Tail > 0 {
		from := max(len(f.log)-int(r.Tail), 0)
		return answer{206, f.log[from:], int64(len(f.log) - from), false, f.etag()}.stream(), nil
	}
	if f.ranges && r.From > 0 {
		if int(r.From) >= len(f.log) {
			return answer{416, "", -1, false, ""}.stream(), nil
		}
		from := min(int(r.From)+f.misplace, len(f.log))
		return answer{206, f.log[from:], int64(len(f.log) - from), false, f.etag()}.stream(), nil
	}
	if f.unasked > 0 && r.From == 0 && r.Tail == 0 {
		f.unasked--
		half := len(f.log) / 2
		return answer{206, f.log[half:], int64(len(f.log) - half), false, f.etag()}.stream(), nil
	}
	if f.cut {
		f.cut = false
		return answer{200, f.log[:len(f.log)/2], int64(len(f.log)), true, f.etag()}.stream(), nil
	}
	return answer{200, f.log, int64(len(f.log)), false, f.etag()}.stream(), nil
}

func lines(from, to int) string {
	var b strings.Builder
	for i := from; i <= to; i++ {
		fmt.Fprintf(&b, "line %03d of a job's log\n", i)
	}
	return b.String()
}

// TestTheLogReaderAsksOnlyForWhatItLacks: after the first download, each
// poll asks from the byte held (less an overlap it checks) with the ETag
// held, and each kind of answer, and each misbehaviour, gives the right
// whole log, with a note where an answer was not used (issue 12).
func TestTheLogReaderAsksOnlyForWhatItLacks(t *testing.T) {
	type step struct {
		change  func(f *fakeTrace) // before the poll
		wantLog string
		note    string
		err     bool
	}
	grow := func(to int) func(f *fakeTrace) { return func(f *fakeTrace) { f.log = lines(1, to) } }
	same := func(*fakeTrace) {}
	tests := []struct {
		name      string
		ranges    bool
		steps     []step
		wantFroms []int64 // From of each request
	}{
		{"ranges served: only the new bytes, nothing when unchanged", true, []step{
			{grow(3), lines(1, 3), "", false},
			{grow(5), lines(1, 5), "", false},
			{same, lines(1, 5), "", false},
		}, []int64{0, int64(len(lines(1, 3))) - overlap, int64(len(lines(1, 5))) - overlap}},
		{"GitLab's whole log each time: the newest whole log", false, []step{
			{grow(3), lines(1, 3), "", false},
			{grow(5), lines(1, 5), "", false},
		}, []int64{0, int64(len(lines(1, 3))) - overlap}},
		{"a log replaced between polls comes whole", false, []step{
			{grow(3), lines(1, 3), "", false},
			{func(f *fakeTrace) { f.log = lines(7, 9) }, lines(7, 9), "", false},
		}, []int64{0, int64(len(lines(1, 3))) - overlap}},
		{"a range that does not start where asked: the whole log once, said", true, []step{
			{grow(3), lines(1, 3), "", false},
			{func(f *fakeTrace) { f.log, f.misplace = lines(1, 5), 10 }, lines(1, 5), noteMisplaced, false},
		}, []int64{0, int64(len(lines(1, 3))) - overlap, 0}},
		{"a log that shrinks where ranges are served: the whole log once, said", true, []step{
			{grow(5), lines(1, 5), "", false},
			{grow(1), lines(1, 1), noteShrunk, false},
		}, []int64{0, int64(len(lines(1, 5))) - overlap, 0}},
		{"a part answered when the whole was asked: the whole log once more, said", false, []step{
			{func(f *fakeTrace) { f.log, f.unasked = lines(1, 3), 1 }, lines(1, 3), noteUnasked, false},
		}, []int64{0, 0}},
		{"a part answered twice: an error, nothing used", false, []step{
			{func(f *fakeTrace) { f.log, f.unasked = lines(1, 3), 2 }, "", "", true},
		}, []int64{0, 0}},
		{"an ETag that lies is caught by the poll that asks without it, then never sent", true, []step{
			{func(f *fakeTrace) { f.log, f.lying = lines(1, 3), true }, lines(1, 3), "", false},
			{grow(4), lines(1, 3), "", false}, // 304s taken on trust
			{grow(5), lines(1, 3), "", false},
			{grow(6), lines(1, 3), "", false},
			{grow(7), lines(1, 3), "", false},
			{grow(8), lines(1, 8), noteLyingETag, false}, // the 5th asks without it: same ETag, other bytes
			{grow(9), lines(1, 9), "", false},
		}, nil},
		{"a connection cut half way keeps what came; the next poll asks from there", true, []step{
			{func(f *fakeTrace) { f.log, f.cut = lines(1, 9), true }, lines(1, 9)[:len(lines(1, 9))/2], "", true},
			{same, lines(1, 9), "", false},
		}, []int64{0, int64(len(lines(1, 9))/2) - overlap}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeTrace{ranges: tt.ranges}
			r := &logReader{fetch: f.answer}
			for i, st := range tt.steps {
				st.change(f)
				log, note, err := r.read(context.Background())
				assert.Equal(t, st.wantLog, string(log), "step %d", i)
				assert.Equal(t, st.note, note, "step %d", i)
				assert.Equal(t, st.err, err != nil, "step %d: %v", i, err)
			}
			if f.lying {
				assert.Empty(t, f.asked[len(f.asked)-1].IfNoneMatch, "a lying ETag is not sent again")
			}
			if tt.wantFroms == nil {
				return
			}
			var froms []int64
			for _, a := range f.asked {
				froms = append(froms, a.From)
			}
			assert.Equal(t, tt.wantFroms, froms)
		})
	}
}

// TestAPartAnsweredUnaskedIsNotUsed: a 206 to a request for the whole log
// cannot be placed; it is refused in words.
func TestAPartAnsweredUnaskedIsNotUsed(t *testing.T) {
	r := &logReader{fetch: func(context.Context, gitlab.LogRequest) (*gitlab.LogStream, error) {
		return answer{206, "tail\n", 5, false, ""}.stream(), nil
	}}
	log, _, err := r.read(context.Background())
	assert.ErrorIs(t, err, errUnasked)
	assert.Empty(t, log)
}

// TestFollowingAWholeLogKeepsWithinTheByteBudget: where each poll brings
// the whole log, the wait grows with its size, from no more than the
// backoff's first wait for a small log to FollowBudgetMax; where polls
// bring only what is new, no floor.
func TestFollowingAWholeLogKeepsWithinTheByteBudget(t *testing.T) {
	tests := []struct {
		name   string
		ranges bool
		size   int // lines
		want   func(time.Duration) bool
	}{
		{"a small whole log: no more than the backoff's first wait", false, 1_000, func(d time.Duration) bool { return d <= PollFirst }},
		{"a 1 MB whole log: about 8 s", false, 44_000, func(d time.Duration) bool { return d > 7*time.Second && d < 9*time.Second }},
		{"a 10 MB whole log: capped, new lines within 15 s", false, 440_000, func(d time.Duration) bool { return d == FollowBudgetMax }},
		{"only the new bytes (206): no floor", true, 440_000, func(d time.Duration) bool { return d == 0 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeTrace{ranges: tt.ranges, log: lines(1, 10)}
			r := &logReader{fetch: f.answer}
			_, _, err := r.read(context.Background())
			require.NoError(t, err)
			f.log = lines(1, tt.size)
			_, _, err = r.read(context.Background())
			require.NoError(t, err)
			assert.True(t, tt.want(r.floor()), "floor %v for %d bytes", r.floor(), len(f.log))
		})
	}
}

// TestAFailedJobsEndComesFirstWhereRangesAreServed: the end is handed over
// before the whole log is read, and where it starts in the whole is known;
// a GitLab that sends the whole log anyway is read as usual.
func TestAFailedJobsEndComesFirstWhereRangesAreServed(t *testing.T) {
	whole := lines(1, 40_000)
	// The end asked for starts inside a line: it is handed over from the
	// next line's start.
	cut := len(whole) - tailFirst
	cut += strings.IndexByte(whole[cut:], '\n') + 1
	small := lines(1, 10)
	tests := []struct {
		name      string
		ranges    bool
		log       string
		wantEnd   string
		wantStart int64
		wantReqs  []gitlab.LogRequest
	}{
		{"ranges served: the end from its first whole line, then the whole", true, whole, whole[cut:], int64(cut),
			[]gitlab.LogRequest{{Tail: tailFirst}, {}}},
		{"a log smaller than the end asked for: all of it, first line too", true, small, small, 0,
			[]gitlab.LogRequest{{Tail: tailFirst}, {}}},
		{"GitLab's whole log: one request, no end first", false, whole, "", -1,
			[]gitlab.LogRequest{{Tail: tailFirst}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeTrace{ranges: tt.ranges, log: tt.log}
			var end []byte
			r := &logReader{fetch: f.answer, tail: tailFirst, gotTail: func(b []byte) { end = b }}
			raw, _, err := r.read(context.Background())
			require.NoError(t, err)
			assert.Equal(t, tt.log, string(raw))
			assert.Equal(t, tt.wantEnd, string(end))
			assert.Equal(t, tt.wantStart, r.tailStart)
			assert.Equal(t, tt.wantReqs, f.asked)
		})
	}
}
