//go:build !js

package gitlab

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
)

// HTTPTransport sends requests with net/http. It is the default outside the
// browser (tests, the emulator, tools). The wasm build uses FetchTransport
// because net/http would add about 0.86 MB brotli to it.
type HTTPTransport struct {
	// Client is the net/http client to use; nil means a client like
	// http.DefaultClient whose redirects drop credential headers when the
	// host changes.
	Client *http.Client
}

func defaultTransport() Transport { return HTTPTransport{} }

var safeRedirectClient = &http.Client{CheckRedirect: dropCredentialsOffHost}

// dropCredentialsOffHost keeps PRIVATE-TOKEN and JOB-TOKEN from following a
// redirect to another host: net/http strips Authorization there itself but
// forwards custom headers. GitLab redirects artifact downloads to object
// storage (gitlab-api.md §11).
func dropCredentialsOffHost(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if req.URL.Host != via[0].URL.Host {
		for _, h := range credentialHeaders {
			req.Header.Del(h)
		}
	}
	return nil
}

// Do implements Transport.
func (t HTTPTransport) Do(ctx context.Context, r *Request) (*Response, error) {
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, r.URL, body)
	if err != nil {
		return nil, err
	}
	for k, v := range r.Header {
		req.Header.Set(k, v)
	}
	c := t.Client
	if c == nil {
		c = safeRedirectClient
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	h := make(Header, len(resp.Header))
	for k, vs := range resp.Header {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	if resp.ContentLength >= 0 && !resp.Uncompressed {
		h.Set("Content-Length", strconv.FormatInt(resp.ContentLength, 10))
	}
	if r.Stream {
		return &Response{StatusCode: resp.StatusCode, Header: h, Stream: resp.Body}, nil
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return &Response{StatusCode: resp.StatusCode, Header: h, Body: b}, nil
}
