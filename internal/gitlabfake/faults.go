package gitlabfake

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Fault is a failure injected into the responses of one route. Latency
// combines with the others; of Drop, Status, Malformed and Truncated the
// first set wins, in that order.
//
// Its JSON form is the control endpoint's (README.md): the json names
// below, latency as a Go duration ("2s"), and the route it applies to
// beside them (routedFault).
type Fault struct {
	// Latency delays the answer (real time, not the emulator's clock).
	Latency time.Duration `json:"-"` // routedFault writes it as a Go duration
	// Drop hijacks the connection and closes it without a response.
	Drop bool `json:"drop,omitempty"`
	// Status answers with this code instead of running the endpoint: 429 as
	// Rack::Attack does (§9), 500 with GitLab's JSON body, 502/503/504 with
	// the HTML page a proxy in front of GitLab sends.
	Status int `json:"status,omitempty"`
	// Malformed sends the real status and headers with a body that is not
	// JSON (a stray "{" before the real body).
	Malformed bool `json:"malformed,omitempty"`
	// Truncated sends the real answer cut in half, with a Content-Length
	// that matches the cut body (a complete HTTP message, broken JSON).
	Truncated bool `json:"truncated,omitempty"`
	// Cut sends the real status, headers and Content-Length, then half the
	// body, then closes the connection: a download cut half way.
	Cut bool `json:"cut,omitempty"`
	// The trace's misbehaviours (README.md, "The job log"): what a cache or
	// proxy in front of GitLab might do, for the client to detect.
	//
	// MisplacedRange sends a 206 that starts this many bytes after the byte
	// asked for (its Content-Range says where it truly starts).
	MisplacedRange int `json:"misplaced_range,omitempty"`
	// UnaskedRange answers a request without Range with a 206 of the
	// second half of the log.
	UnaskedRange bool `json:"unasked_range,omitempty"`
	// LyingETag gives every answer the same ETag, whatever its bytes, and
	// answers any If-None-Match with 304.
	LyingETag bool `json:"lying_etag,omitempty"`
	// Times limits the fault to the next Times matching requests; 0 is
	// until cleared.
	Times int `json:"times,omitempty"`
}

// routedFault is a Fault as the control endpoint reads and writes it: the
// route, the latency as text, and the Fault's other fields as they are
// (faultFields embeds them, so there is no second list to keep in step).
type routedFault struct {
	Route   Route  `json:"route"`
	Latency string `json:"latency,omitempty"`
	faultFields
}

// faultFields is Fault without its methods, for embedding.
type faultFields Fault

func newRoutedFault(rt Route, f Fault) routedFault {
	rf := routedFault{Route: rt, faultFields: faultFields(f)}
	if f.Latency != 0 {
		rf.Latency = f.Latency.String()
	}
	return rf
}

// faults maps a Route (or "*" for every API route) to its fault.
type faults struct {
	mu sync.Mutex
	m  map[Route]*Fault
}

// SetFault injects f into every request of route; route "*" matches all API
// routes (a route's own fault wins). A zero Fault clears route.
func (s *Server) SetFault(route Route, f Fault) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	if s.faults.m == nil {
		s.faults.m = map[Route]*Fault{}
	}
	if f == (Fault{}) {
		delete(s.faults.m, route)
		return
	}
	s.faults.m[route] = &f
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.faults.mu.Lock()
	s.faults.m = nil
	s.faults.mu.Unlock()
}

// Faults returns the faults in force.
func (s *Server) Faults() map[Route]Fault {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	out := map[Route]Fault{}
	for k, v := range s.faults.m {
		out[k] = *v
	}
	return out
}

// take returns the fault for rt, counting down Times.
func (fs *faults) take(rt Route) (Fault, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	key := rt
	f, ok := fs.m[key]
	if !ok {
		key = routeAny
		if f, ok = fs.m[key]; !ok {
			return Fault{}, false
		}
	}
	if f.Times > 0 {
		f.Times--
		if f.Times == 0 {
			delete(fs.m, key)
		}
	}
	return *f, true
}

// before applies what happens instead of the endpoint; false means the
// request was answered (or dropped).
func (f Fault) before(w http.ResponseWriter, r *http.Request) bool {
	if f.Latency > 0 {
		t := time.NewTimer(f.Latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return false
		}
	}
	switch {
	case f.Drop:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return false
			}
		}
		panic(http.ErrAbortHandler) // HTTP/2 or a recorder: net/http aborts the stream
	case f.Status == http.StatusTooManyRequests:
		rackAttack429(w.Header(), 60, 60, time.Now())
		writeText(w, http.StatusTooManyRequests, "Retry later\n")
		return false
	case f.Status >= 500 && f.Status != http.StatusInternalServerError:
		w.Header().Set("Content-Type", "text/html")
		text := http.StatusText(f.Status)
		writeText(w, f.Status, fmt.Sprintf("<html>\r\n<head><title>%d %s</title></head>\r\n<body>\r\n<center><h1>%d %s</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n", f.Status, text, f.Status, text))
		return false
	case f.Status != 0:
		body := fmt.Sprintf(`{"message":"%d %s"}`, f.Status, http.StatusText(f.Status))
		rawJSON(f.Status, body).write(w, r)
		return false
	case f.LyingETag && r.Header.Get("If-None-Match") != "":
		w.Header().Set("ETag", lyingETag)
		w.WriteHeader(http.StatusNotModified)
		return false
	}
	return true
}

// lyingETag is LyingETag's one validator for every answer.
const lyingETag = `W/"0000000000000000"`

// after corrupts a real response to req.
func (f Fault) after(req *http.Request, resp *response) *response {
	if f.LyingETag && resp.header.Get("ETag") != "" {
		resp.header.Set("ETag", lyingETag)
	}
	switch {
	case f.MisplacedRange > 0 && resp.status == http.StatusPartialContent:
		shiftRange(resp, f.MisplacedRange)
	case f.UnaskedRange && resp.status == http.StatusOK && req.Header.Get("Range") == "" &&
		resp.header.Get("Content-Encoding") == "" && len(resp.body) > 1:
		resp.status = http.StatusPartialContent
		total := len(resp.body)
		resp.header.Set("Content-Range", fmt.Sprintf("bytes 0-%d/%d", total-1, total))
		shiftRange(resp, total/2)
	case f.Malformed:
		resp.body = append([]byte("{"), resp.body...)
	case f.Truncated:
		resp.body = bytes.Clone(resp.body[:len(resp.body)/2])
	case f.Cut:
		resp.cut = true
	}
	return resp
}

// shiftRange drops a 206's first n bytes and says so in its Content-Range
// ("bytes first-last/size").
func shiftRange(resp *response, n int) {
	n = min(n, len(resp.body))
	resp.body = resp.body[n:]
	var first, last, size int
	if _, err := fmt.Sscanf(resp.header.Get("Content-Range"), "bytes %d-%d/%d", &first, &last, &size); err == nil {
		resp.header.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", first+n, last, size))
	}
}

func writeText(w http.ResponseWriter, code int, body string) {
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "text/plain")
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(code)
	_, _ = w.Write([]byte(body))
}
