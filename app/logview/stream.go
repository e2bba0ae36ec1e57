package logview

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jobscope/jobscope/internal/gitlab"
)

// logReader fetches a job's log for Follow, asking each time only for what
// it lacks: the first request streams the whole log, handing it over as it
// arrives; later ones ask from the byte held with the ETag held, and read
// each kind of answer (gitlab.LogStream): 206 appends, 304 and 416 mean
// nothing new, 200 is the whole log again (the store compares it and
// appends or restarts).
type logReader struct {
	fetch func(ctx context.Context, r gitlab.LogRequest) (*gitlab.LogStream, error)
	// progress gets the log so far while a download runs, at most every
	// progressEvery, with the bytes received and expected (-1: unknown).
	progress func(raw []byte, received, total int64)

	// tail, when set before the first read, asks for the log's last tail
	// bytes first (a failed job: the failure is at the end); where GitLab
	// serves the range, gotTail gets them at once, then the whole log is
	// read and tailStart says where the end began in it.
	tail      int64
	gotTail   func(end []byte)
	tailStart int64

	// fresh, set before a read, asks without the ETag held: the read of a
	// finished job's log, so that the last word never rests on a validator.
	fresh bool

	raw   []byte // the whole log so far
	etag  string
	whole bool // the last answer was the whole log (200), not only what was new
	// unchanged counts the 304s in a row; every verifyEvery-th poll asks
	// without the ETag, which is how an ETag that lies (the same one for
	// other bytes) is caught. noETag: one did, so none is sent again.
	unchanged int
	noETag    bool
}

// verifyEvery is how many 304s in a row are taken on trust before a poll
// asks without the ETag.
const verifyEvery = 4

// floor is the least wait before the next poll: a log that comes whole
// every time is polled within the byte budget (budgetWait).
func (l *logReader) floor() time.Duration {
	if !l.whole {
		return 0
	}
	return budgetWait(int64(len(l.raw)))
}

// progressEvery spaces the partial hand-overs of a download after the
// first: each one is a parse of the new bytes and a paint.
const progressEvery = 150 * time.Millisecond

// errCut is a download that ended early: short of its Content-Length, or
// broken off (which a browser reports as a network error).
var errCut = errors.New("the connection closed before the whole log arrived")

// overlap is how many bytes held a ranged request asks for again: the
// answer must start with them. Content-Range is not CORS-exposed, so this
// is how a 206 that does not start where asked, or a log replaced between
// polls, is caught.
const overlap = 64

// Notes said once when an answer could not be used as it came.
const (
	noteMisplaced = "GitLab's answer did not continue the log as held: the whole log was fetched again."
	noteShrunk    = "The log is shorter than before (GitLab replaced it): the whole log was fetched again."
	noteUnasked   = "GitLab answered part of the log when the whole was asked for: the whole log was fetched again."
	noteLyingETag = "GitLab's ETag stayed the same while the log changed: the whole log was fetched again, and updates no longer rely on it."
)

// errUnasked is a 206 to a request without Range, twice in a row.
var errUnasked = errors.New("GitLab answered part of the log when the whole was asked for, twice: it was not used")

// read returns the whole log after one more request (two when the answer
// turns out not to continue the log held: then the whole log is asked
// for once), and a note for the user when that happened.
func (l *logReader) read(ctx context.Context) ([]byte, string, error) {
	return l.readOnce(ctx, false)
}

// readOnce is read; again says the whole log is being asked for again
// after an answer that could not be used, which is not done twice.
func (l *logReader) readOnce(ctx context.Context, again bool) ([]byte, string, error) {
	l.tailStart = -1
	if l.tail > 0 && len(l.raw) == 0 {
		return l.readTailFirst(ctx)
	}
	fresh := l.fresh || l.noETag || l.unchanged >= verifyEvery
	held := l.etag
	req := gitlab.LogRequest{}
	if !fresh {
		req.IfNoneMatch = l.etag
	}
	keep := min(len(l.raw), overlap)
	if len(l.raw) > 0 {
		req.From = int64(len(l.raw) - keep)
	}
	s, err := l.fetch(ctx, req)
	if err != nil {
		return l.raw, "", err
	}
	if s.Status != 304 {
		l.unchanged = 0
	}
	switch {
	case s.Status == 304:
		l.whole = false
		l.unchanged++
		return l.raw, "", nil
	case s.Status == 416 && req.From > 0 && !again:
		// Nothing at or after a byte the log had: it shrank.
		return l.again(ctx, noteShrunk)
	case s.Status == 416:
		l.whole = false
		return l.raw, "", nil
	case s.Status == 206 && req.From == 0:
		s.Body.Close()
		if again {
			return l.raw, "", errUnasked
		}
		return l.again(ctx, noteUnasked)
	}
	defer s.Body.Close()
	base := l.raw[:len(l.raw)-keep]
	if s.Status != 206 {
		base = nil // the whole log: the store compares it with what it has
	}
	got, err := l.download(ctx, base, s)
	if s.Status == 206 && (len(got) < len(l.raw) || string(got[len(base):len(l.raw)]) != string(l.raw[len(base):])) {
		if err != nil || again {
			return l.raw, "", err
		}
		return l.again(ctx, noteMisplaced)
	}
	if err == nil && fresh && !l.noETag && held != "" && s.ETag == held && string(got) != string(l.raw) && !again {
		// The validator held came back with other bytes: it cannot be
		// trusted to say "unchanged" either.
		l.noETag = true
		return l.again(ctx, noteLyingETag)
	}
	l.whole = s.Status == 200
	if err != nil {
		// What arrived is kept and shown; the next poll asks for the rest.
		if len(got) > len(l.raw) {
			l.raw = got
		}
		return l.raw, "", err
	}
	l.raw, l.etag = got, s.ETag
	return l.raw, "", nil
}

// readTailFirst asks for the end of the log, hands it over where it came
// alone (206), then reads the whole log.
func (l *logReader) readTailFirst(ctx context.Context) ([]byte, string, error) {
	tail := l.tail
	l.tail = 0
	s, err := l.fetch(ctx, gitlab.LogRequest{Tail: tail})
	if err != nil {
		return nil, "", err
	}
	switch s.Status {
	case 416: // an empty log has no last bytes
		return nil, "", nil
	case 200: // GitLab sent the whole log: read it as it arrives
		defer s.Body.Close()
		got, err := l.download(ctx, nil, s)
		if err != nil {
			l.raw = got
			return got, "", err
		}
		l.raw, l.etag, l.whole = got, s.ETag, true
		return got, "", nil
	}
	end, err := io.ReadAll(s.Body)
	s.Body.Close()
	if err != nil {
		return nil, "", fmt.Errorf("%w: %w", gitlab.ErrNetwork, err)
	}
	if int64(len(end)) >= tail {
		// The end begins inside a line: it starts at the next one, whole,
		// so its runner timestamps are known as such (joblog.md §5).
		if i := bytes.IndexByte(end, '\n'); i >= 0 {
			end = end[i+1:]
		}
	}
	if l.gotTail != nil {
		l.gotTail(end)
	}
	raw, note, err := l.read(ctx)
	if err == nil && len(raw) >= len(end) {
		l.tailStart = int64(len(raw) - len(end))
	}
	return raw, note, err
}

// again forgets what is held and reads the whole log once more.
func (l *logReader) again(ctx context.Context, note string) ([]byte, string, error) {
	l.raw, l.etag = nil, ""
	raw, _, err := l.readOnce(ctx, true)
	if err != nil {
		return raw, "", err
	}
	return raw, note, nil
}

// download appends s's body to base as it arrives.
func (l *logReader) download(ctx context.Context, base []byte, s *gitlab.LogStream) ([]byte, error) {
	out := base
	if s.Length > 0 {
		out = make([]byte, len(base), len(base)+int(s.Length))
		copy(out, base)
	}
	buf := make([]byte, 256<<10)
	var received int64
	var last time.Time // the first chunk is handed over at once: the first screen paints from it
	for {
		n, err := s.Body.Read(buf)
		out = append(out, buf[:n]...)
		received += int64(n)
		if err == io.EOF {
			if s.Length >= 0 && received < s.Length {
				return out, fmt.Errorf("%w (%d of %d bytes)", errCut, received, s.Length)
			}
			return out, nil
		}
		if err != nil {
			if ctx.Err() != nil {
				return out, ctx.Err()
			}
			// A browser reports a body cut short as a network error.
			return out, fmt.Errorf("%w (%d bytes in): %w: %w", errCut, received, gitlab.ErrNetwork, err)
		}
		if l.progress != nil && time.Since(last) >= progressEvery {
			last = time.Now()
			l.progress(out, received, s.Length)
		}
	}
}
