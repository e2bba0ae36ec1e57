package gitlab

import (
	"context"
	"errors"
	"fmt"
	"syscall/js"

	"github.com/jobscope/jobscope/internal/jsstream"
)

// FetchTransport sends requests with the browser's fetch, called through
// syscall/js directly: no net/http, no go-app (doc.go has the sizes). Requests
// use mode "cors" and credentials "omit": GitLab answers /api/* with
// Access-Control-Allow-Origin "*" (gitlab-api.md §10), and cookies must never
// authenticate a cross-origin call. Only CORS-exposed response headers are
// visible: Link and X-* pagination yes, Retry-After and RateLimit-* no.
//
// Redirects: fetch follows them itself and drops Authorization when one
// leaves the origin (the Fetch standard), but keeps every other header, so
// a request with a credential anywhere else (JOB-TOKEN) follows none: a
// redirect is an error then. Cache "no-store": GitLab's replies (logs, job
// lists of an instance kept in memory only) must not land in the browser's
// HTTP cache on disk; internal/offline decides what is kept.
type FetchTransport struct{}

func defaultTransport() Transport { return FetchTransport{} }

// Do implements Transport. It must not be called on the browser's event-loop
// goroutine (a js callback), since it blocks until the promise settles.
func (FetchTransport) Do(ctx context.Context, r *Request) (*Response, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	fetch := js.Global().Get("fetch")
	if fetch.Type() != js.TypeFunction {
		return nil, errors.New("fetch is not available")
	}
	abort := js.Global().Get("AbortController").New()
	headers := js.Global().Get("Headers").New()
	for k, v := range r.Header {
		headers.Call("set", k, v)
	}
	init := map[string]any{
		"method":      r.Method,
		"headers":     headers,
		"mode":        "cors",
		"credentials": "omit",
		"redirect":    redirectMode(r.Header),
		"cache":       "no-store",
		"signal":      abort.Get("signal"),
	}
	if r.Body != nil {
		arr := js.Global().Get("Uint8Array").New(len(r.Body))
		js.CopyBytesToJS(arr, r.Body)
		init["body"] = arr
	}

	resp, err := await(ctx, abort, fetch.Invoke(r.URL, init))
	if err != nil {
		return nil, err
	}
	h := Header{}
	each := js.FuncOf(func(_ js.Value, args []js.Value) any {
		h.Set(args[1].String(), args[0].String()) // forEach passes (value, key)
		return nil
	})
	resp.Get("headers").Call("forEach", each)
	each.Release()
	out := &Response{StatusCode: resp.Get("status").Int(), Header: h}
	if body := resp.Get("body"); r.Stream && body.Truthy() {
		// Read as the network delivers it (already decompressed by the
		// browser); cancelling the stream stops the download.
		out.Stream = jsstream.NewReader(ctx, body)
		return out, nil
	}
	buf, err := await(ctx, abort, resp.Call("arrayBuffer"))
	if err != nil {
		return nil, err
	}
	out.Body = make([]byte, buf.Get("byteLength").Int())
	js.CopyBytesToGo(out.Body, js.Global().Get("Uint8Array").New(buf))
	return out, nil
}

// redirectMode is "follow" unless h carries a credential in a header fetch
// would forward across origins, that is any but Authorization.
func redirectMode(h Header) string {
	for _, name := range credentialHeaders {
		if name != "Authorization" && h.Has(name) {
			return "error"
		}
	}
	return "follow"
}

// await is jsstream.Await, aborting the request when ctx ends, with the
// browser's reason said as a fetch failure. The message is the browser's
// text, never the URL with credentials: the client puts none in URLs.
func await(ctx context.Context, abort, promise js.Value) (js.Value, error) {
	v, err := jsstream.Await(ctx, promise, func() { abort.Call("abort") })
	if rej, ok := err.(jsstream.Rejection); ok {
		return v, fmt.Errorf("fetch: %w", rej)
	}
	return v, err
}
