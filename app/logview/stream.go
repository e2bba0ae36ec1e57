package logview

import (
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

	raw  []byte // the whole log so far
	etag string
}

// progressEvery spaces the partial hand-overs of a download: each one is a
// parse of the new bytes and a paint.
const progressEvery = 150 * time.Millisecond

// errCut is a download that ended before its Content-Length.
var errCut = errors.New("the connection closed before the whole log arrived")

// read returns the whole log after one more request.
func (l *logReader) read(ctx context.Context) ([]byte, error) {
	req := gitlab.LogRequest{IfNoneMatch: l.etag}
	if len(l.raw) > 0 {
		req.From = int64(len(l.raw))
	}
	s, err := l.fetch(ctx, req)
	if err != nil {
		return l.raw, err
	}
	switch s.Status {
	case 304, 416:
		return l.raw, nil
	}
	defer s.Body.Close()
	base := l.raw
	if s.Status != 206 {
		base = nil // the whole log: the store compares it with what it has
	}
	got, err := l.download(ctx, base, s)
	if err != nil {
		// What arrived is kept and shown; the next poll asks for the rest.
		if len(got) > len(l.raw) {
			l.raw = got
		}
		return l.raw, err
	}
	l.raw, l.etag = got, s.ETag
	return l.raw, nil
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
	last := time.Now()
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
			return out, fmt.Errorf("%w: %w", gitlab.ErrNetwork, err)
		}
		if l.progress != nil && time.Since(last) >= progressEvery {
			last = time.Now()
			l.progress(out, received, s.Length)
		}
	}
}
