package gitlabfake

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
)

// response is an API answer built under the server lock and written after
// it is released, so a slow client or a 40 MB log never blocks others.
// body is never modified after it is built (it may alias a log).
type response struct {
	status int
	header http.Header
	body   []byte
	cut    bool // Fault.Cut
}

func newResponse(code int, contentType string, body []byte) *response {
	h := http.Header{}
	h.Set("Content-Type", contentType)
	return &response{status: code, header: h, body: body}
}

// rawJSON is a JSON body given as text.
func rawJSON(code int, body string) *response {
	return newResponse(code, "application/json", []byte(body))
}

// jsonResponse encodes v like GitLab's JSON formatter: no HTML escaping of
// < > & (Ruby's JSON does not escape them).
func jsonResponse(code int, v any) *response {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return rawJSON(http.StatusInternalServerError, `{"message":"500 Internal Server Error"}`)
	}
	r := newResponse(code, "application/json", bytes.TrimSuffix(b.Bytes(), []byte("\n")))
	if code == http.StatusOK {
		// Rails' Rack::ETag default for responses without their own (⚠ §4).
		r.header.Set("Cache-Control", "max-age=0, private, must-revalidate")
	}
	return r
}

// message is GitLab's {"message": ...} shape (§4).
func message(code int, msg string) *response {
	return jsonResponse(code, map[string]string{"message": msg})
}

// errorJSON is the {"error": ...} shape of Grape validation (§4).
func errorJSON(code int, msg string) *response {
	return jsonResponse(code, map[string]string{"error": msg})
}

// The bodies of §3 and §2.2.
func projectNotFound() *response { return message(http.StatusNotFound, "404 Project Not Found") }
func recordNotFound() *response  { return message(http.StatusNotFound, "404 Not found") }
func forbidden() *response       { return message(http.StatusForbidden, "403 Forbidden") }

func (r *response) write(w http.ResponseWriter, req *http.Request) {
	h := w.Header()
	for k, v := range r.header {
		h[k] = v
	}
	h.Set("Content-Length", strconv.Itoa(len(r.body)))
	w.WriteHeader(r.status)
	if req != nil && req.Method == http.MethodHead {
		return
	}
	if r.cut { // Fault.Cut: half the body, then the connection closes
		_, _ = w.Write(r.body[:len(r.body)/2])
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		panic(http.ErrAbortHandler)
	}
	_, _ = w.Write(r.body)
}

// conditionalGet is Rails' Rack::ETag and Rack::ConditionalGet around the
// API (docs/gitlab-api.md §4 "ETag"): a 200 or 201 body without a
// validator of its own gets a weak ETag of its bytes, and a GET or HEAD
// answered 200 whose If-None-Match names it becomes a 304 with no body
// (Content-Type and Content-Length dropped, the other headers kept). The
// log sets its own (tracehttp.go) and is left alone. ⚠ The digest depends
// on the Rack release: clients treat the ETag as opaque.
func conditionalGet(req *http.Request, r *response) *response {
	if (r.status != http.StatusOK && r.status != http.StatusCreated) || r.header.Get("ETag") != "" {
		return r
	}
	etag := weakETag(r.body)
	r.header.Set("ETag", etag)
	if r.status != http.StatusOK || (req.Method != http.MethodGet && req.Method != http.MethodHead) ||
		!etagMatches(req.Header.Get("If-None-Match"), etag) {
		return r
	}
	nm := &response{status: http.StatusNotModified, header: r.header.Clone()}
	nm.header.Del("Content-Type")
	return nm
}
