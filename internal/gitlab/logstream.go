package gitlab

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
)

// LogRequest says which part of a job's log to ask for (gitlab-api.md §5.7).
// The documented endpoint knows no ranges; a GitLab or a proxy in front of
// it may honour them anyway, which cannot be known before asking, so every
// answer below is handled.
type LogRequest struct {
	// From asks for the log from this byte on (Range: bytes=From-), to
	// follow a running job; 0 asks for all of it.
	From int64
	// Tail asks for the last Tail bytes only (Range: bytes=-Tail): a failed
	// job's end, where the failure is, first. Ignored when From is set.
	Tail int64
	// IfNoneMatch is the ETag of the copy held: an unchanged log then costs
	// a 304 and no body.
	IfNoneMatch string
}

// LogStream is the answer to a LogRequest, its body to be read as it arrives.
type LogStream struct {
	// Status is 200 (the whole log, whatever was asked), 206 (the range
	// asked), 304 (unchanged since IfNoneMatch) or 416 (nothing from From
	// on: no new bytes).
	Status int
	// Body is the log's bytes (nil for 304 and 416). The caller closes it;
	// closing it early stops the download.
	Body io.ReadCloser
	// Length is the size of Body when the server said it (Content-Length,
	// which CORS exposes; Content-Range is not), else -1. A compressed
	// answer's Length is of the compressed bytes, so it is -1 here.
	Length int64
	// ETag identifies this version of the log, when the server sends one.
	ETag string
}

// Partial reports whether Body holds the range asked for, not the whole log.
func (l *LogStream) Partial() bool { return l.Status == 206 }

// JobLogStream asks for a job's log, or part of it, and returns the answer
// with its body unread: the browser's fetch hands it over chunk by chunk, so
// the first lines can show long before the last byte of a big log arrives.
func (c *Client) JobLogStream(ctx context.Context, project ProjectRef, jobID int64, r LogRequest) (*LogStream, error) {
	const op = "get job log"
	if err := validateJob(project, jobID); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if r.From < 0 || r.Tail < 0 {
		return nil, fmt.Errorf("%s: %w: negative range", op, ErrInvalidArgument)
	}
	h := Header{}
	switch {
	case r.From > 0:
		h.Set("Range", "bytes="+strconv.FormatInt(r.From, 10)+"-")
	case r.Tail > 0:
		h.Set("Range", "bytes=-"+strconv.FormatInt(r.Tail, 10))
	}
	if r.IfNoneMatch != "" {
		h.Set("If-None-Match", r.IfNoneMatch)
	}
	resp, err := c.send(ctx, call{
		method: "GET", path: jobPath(project, jobID) + "/trace",
		header: h, stream: true, answers: []int{304, 416},
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	out := &LogStream{Status: resp.StatusCode, Length: -1, ETag: resp.Header.Get("ETag")}
	if out.Status == 304 || out.Status == 416 {
		if resp.Stream != nil {
			resp.Stream.Close()
		}
		return out, nil
	}
	if n, err := strconv.ParseInt(resp.Header.Get("Content-Length"), 10, 64); err == nil && n >= 0 &&
		resp.Header.Get("Content-Encoding") == "" {
		out.Length = n
	}
	out.Body = resp.Stream
	if out.Body == nil { // a transport that cannot stream
		out.Body = io.NopCloser(bytes.NewReader(resp.Body))
		out.Length = int64(len(resp.Body))
	}
	return out, nil
}
