package gitlabfake

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
)

// TraceRanges says which logs the trace endpoint serves byte ranges of.
type TraceRanges int

const (
	// RangesNone is GitLab's own answer: the API sends the log as a string
	// body (lib/api/ci/jobs.rb, `body trace`) and Rails serves no ranges of
	// one, so Range is ignored and the whole log comes back (200). Default.
	RangesNone TraceRanges = iota
	// RangesFinished serves ranges of finished jobs' logs only, as a cache
	// or proxy that serves ranges of complete answers would.
	RangesFinished
	// RangesAll serves ranges of every log, running jobs' too.
	RangesAll
)

// TraceOptions are the trace endpoint's knobs (README.md, "The job log").
type TraceOptions struct {
	Ranges TraceRanges
	// Gzip compresses whole-log answers for clients that accept gzip, as an
	// nginx with gzip_types text/plain in front of GitLab does.
	Gzip bool
}

// answer is the trace answer for a request, given the whole log and its
// weak ETag (weakETag, through an etagMemo).
//
// Validators: Rack::ETag gives a 200 string body with no validator a weak
// ETag and, lacking a Cache-Control, "max-age=0, private, must-revalidate";
// Rack::ConditionalGet then answers a matching If-None-Match with 304 and
// no body. ⚠ The digest (here SHA-256, cut to 32 hex digits, as Rack 2.2+)
// depends on the Rack release; clients must treat it as opaque.
func (o TraceOptions) answer(req *http.Request, log []byte, etag string, finished bool) *response {
	if etagMatches(req.Header.Get("If-None-Match"), etag) {
		r := newResponse(http.StatusNotModified, "text/plain", nil)
		r.header.Del("Content-Type")
		r.header.Set("ETag", etag)
		r.header.Set("Cache-Control", "max-age=0, private, must-revalidate")
		return r
	}
	if rng := req.Header.Get("Range"); rng != "" && (o.Ranges == RangesAll || o.Ranges == RangesFinished && finished) {
		if r := rangeAnswer(rng, log); r != nil {
			r.header.Set("ETag", etag)
			return r
		}
	}
	r := newResponse(http.StatusOK, "text/plain", log)
	r.header.Set("ETag", etag)
	r.header.Set("Cache-Control", "max-age=0, private, must-revalidate")
	if o.Ranges != RangesNone {
		r.header.Set("Accept-Ranges", "bytes")
	}
	if o.Gzip && acceptsGzip(req.Header.Get("Accept-Encoding")) && len(log) > 0 {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, 2) // GitLab's Omnibus nginx: gzip_comp_level 2
		_, _ = zw.Write(log)
		_ = zw.Close()
		r.body = b.Bytes()
		r.header.Set("Content-Encoding", "gzip")
		r.header.Set("Vary", "Accept-Encoding")
	}
	return r
}

// rangeAnswer serves one byte range of log (RFC 9110 §14): a 206 with
// Content-Range, a 416 for a range past the end, or nil (ignore the header
// and send the whole log) for a form it does not serve: several ranges, or
// one it cannot parse. RFC 9110 lets a server ignore Range.
func rangeAnswer(header string, log []byte) *response {
	spec, ok := strings.CutPrefix(header, "bytes=")
	if !ok || strings.Contains(spec, ",") {
		return nil
	}
	first, last, ok := strings.Cut(strings.TrimSpace(spec), "-")
	if !ok {
		return nil
	}
	size := int64(len(log))
	var from, to int64
	switch {
	case first == "": // the last N bytes
		n, err := strconv.ParseInt(last, 10, 64)
		if err != nil || n <= 0 {
			return nil
		}
		from, to = max(size-n, 0), size-1
	default:
		f, err := strconv.ParseInt(first, 10, 64)
		if err != nil || f < 0 {
			return nil
		}
		from, to = f, size-1
		if last != "" {
			l, err := strconv.ParseInt(last, 10, 64)
			if err != nil || l < f {
				return nil
			}
			to = min(l, size-1)
		}
	}
	if from >= size {
		r := newResponse(http.StatusRequestedRangeNotSatisfiable, "text/plain", nil)
		r.header.Set("Content-Range", "bytes */"+strconv.FormatInt(size, 10))
		return r
	}
	r := newResponse(http.StatusPartialContent, "text/plain", log[from:to+1])
	r.header.Set("Content-Range", "bytes "+strconv.FormatInt(from, 10)+"-"+strconv.FormatInt(to, 10)+"/"+strconv.FormatInt(size, 10))
	r.header.Set("Accept-Ranges", "bytes")
	return r
}

// etagMemo keeps the weak ETag of a job's log as last served. The digest of
// a 60 MB log takes 55 ms, under the server's lock, and every ranged read
// and poll of the log would pay it again. A log is never changed in place
// (logSource), and the memo's pointer keeps the bytes it names alive, so the
// same first byte and length are the same bytes.
type etagMemo struct {
	at   *byte
	n    int
	etag string
}

func (m *etagMemo) of(log []byte) string {
	var at *byte
	if len(log) > 0 {
		at = &log[0]
	}
	if m.etag == "" || at != m.at || len(log) != m.n {
		m.at, m.n, m.etag = at, len(log), weakETag(log)
	}
	return m.etag
}

func weakETag(b []byte) string {
	sum := sha256.Sum256(b)
	return `W/"` + hex.EncodeToString(sum[:])[:32] + `"`
}

// etagMatches is If-None-Match's weak comparison (RFC 9110 §13.1.2).
func etagMatches(header, etag string) bool {
	if header == "" {
		return false
	}
	want := strings.TrimPrefix(etag, "W/")
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == want {
			return true
		}
	}
	return false
}

func acceptsGzip(header string) bool {
	for _, p := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(p), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") && strings.ReplaceAll(params, " ", "") != "q=0" {
			return true
		}
	}
	return false
}
