package gitlab

import (
	"context"
	"io"
	"strings"
)

// Transport sends one HTTP request and returns the whole response. It is the
// only way the client reaches the network, so the wasm build can use the
// browser's fetch instead of net/http (see doc.go for what that saves).
//
// Do returns an error only when no HTTP response arrived (network failure,
// CORS refusal, ctx done); any status, 4xx and 5xx included, is a Response.
// Implementations must honour ctx cancellation, and should not forward
// credential headers when a redirect leads to another host (HTTPTransport
// drops them; in a browser, fetch's own redirect rules apply).
type Transport interface {
	Do(ctx context.Context, req *Request) (*Response, error)
}

// Request is what the client asks a Transport to send. The client owns it;
// a Transport must not keep it after Do returns.
type Request struct {
	Method string
	URL    string // absolute; never carries a credential
	Header Header
	Body   []byte // nil for no body
	// Stream asks for the body as it arrives (Response.Stream) rather than
	// whole. A Transport that cannot stream may ignore it and fill Body.
	Stream bool
}

// Response is an HTTP response. Body is owned by the caller of Do. When the
// request asked to stream and the transport can, Stream holds the body
// instead, unread; the caller reads and closes it, and closing it before
// the end stops the download.
type Response struct {
	StatusCode int
	Header     Header
	Body       []byte
	Stream     io.ReadCloser
}

// Header maps lower-case header names to values; repeated headers are joined
// with ", " as the Fetch standard's Headers.get does.
type Header map[string]string

// Get returns the value of the named header (any case), or "".
func (h Header) Get(name string) string { return h[strings.ToLower(name)] }

// Set stores value under the lower-cased name.
func (h Header) Set(name, value string) { h[strings.ToLower(name)] = value }

// Add appends value to the named header, joining with ", ".
func (h Header) Add(name, value string) {
	k := strings.ToLower(name)
	if old, ok := h[k]; ok {
		h[k] = old + ", " + value
		return
	}
	h[k] = value
}

// Has reports whether the named header is present, even if empty
// (X-Next-Page is sent empty on the last page, gitlab-api.md §7.1).
func (h Header) Has(name string) bool {
	_, ok := h[strings.ToLower(name)]
	return ok
}
