package oauthprovider

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
)

// response is a JSON answer built under the provider's lock and written
// after it is released.
type response struct {
	status int
	header http.Header
	body   []byte
}

// jsonResponse encodes v as GitLab's Rails does: no HTML escaping of < > &,
// and on a 200 Rack::ETag's default Cache-Control (the token endpoints
// replace it with no-store). The emulator's API writes JSON the same way.
func jsonResponse(code int, v any) *response {
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return &response{status: http.StatusInternalServerError, header: h, body: []byte(`{"message":"500 Internal Server Error"}`)}
	}
	if code == http.StatusOK {
		h.Set("Cache-Control", "max-age=0, private, must-revalidate")
	}
	return &response{status: code, header: h, body: bytes.TrimSuffix(b.Bytes(), []byte("\n"))}
}

func (r *response) write(w http.ResponseWriter, req *http.Request) {
	h := w.Header()
	for k, v := range r.header {
		h[k] = v
	}
	h.Set("Content-Length", strconv.Itoa(len(r.body)))
	w.WriteHeader(r.status)
	if req.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(r.body)
}
