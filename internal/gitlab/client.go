package gitlab

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
)

// Client calls one GitLab instance's REST API v4 with one credential. It is
// safe for concurrent use and cheap to copy with WithAuth.
type Client struct {
	base      string // scheme://host[:port][/prefix], no trailing slash
	auth      Auth
	source    TokenSource // nil: auth is sent as it is (tokensource.go)
	transport Transport
	backoff   Backoff
}

// Option configures a Client in New.
type Option func(*Client)

// WithTransport replaces the default transport (net/http natively, fetch in
// the browser), e.g. with an in-memory fake in tests.
func WithTransport(t Transport) Option { return func(c *Client) { c.transport = t } }

// WithBackoff replaces DefaultBackoff; NoBackoff turns retries off.
func WithBackoff(b Backoff) Option { return func(c *Client) { c.backoff = b } }

// New returns a client for the GitLab instance at baseURL, such as
// "https://gitlab.com" or "https://example.com/gitlab" (a trailing "/api/v4"
// is accepted too). baseURL must be http or https and carry no credentials,
// query or fragment. auth may be the zero Auth for anonymous reads.
func New(baseURL string, auth Auth, opts ...Option) (*Client, error) {
	u, err := url.Parse(strings.TrimSpace(baseURL))
	if err != nil {
		return nil, fmt.Errorf("%w: base URL does not parse", ErrInvalidArgument)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("%w: base URL must be http or https, got %q", ErrInvalidArgument, u.Scheme)
	case u.Host == "":
		return nil, fmt.Errorf("%w: base URL has no host", ErrInvalidArgument)
	case u.User != nil:
		return nil, fmt.Errorf("%w: base URL must not carry credentials", ErrInvalidArgument)
	case u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("%w: base URL must not have a query or fragment", ErrInvalidArgument)
	}
	path := strings.TrimSuffix(strings.TrimRight(u.EscapedPath(), "/"), "/api/v4")
	c := &Client{
		base:      u.Scheme + "://" + u.Host + strings.TrimRight(path, "/"),
		auth:      auth,
		transport: defaultTransport(),
		backoff:   DefaultBackoff,
	}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// WithAuth returns a copy of c that sends auth instead, e.g. a job token for
// CurrentJob.
func (c *Client) WithAuth(auth Auth) *Client {
	cp := *c
	cp.auth, cp.source = auth, nil
	return &cp
}

// BaseURL is the instance URL the client was made with, normalised.
func (c *Client) BaseURL() string { return c.base }

// Auth returns the client's credential (its String never shows the token).
func (c *Client) Auth() Auth { return c.auth }

const apiPrefix = "/api/v4"

// call is one API request: path is escaped and relative to /api/v4.
type call struct {
	method string
	path   string
	query  url.Values
	body   any    // JSON-encoded when non-nil
	header Header // extra request headers (Range, If-None-Match)
	stream bool   // the body is wanted as it arrives (Response.Stream)
	// answers are statuses outside 2xx that are answers, not errors (304
	// Not Modified, 416 Range Not Satisfiable for a log read from a byte).
	answers []int
}

// send performs c with retries for reads and returns a 2xx response, or a
// *Error for any other status, or the transport's error.
func (c *Client) send(ctx context.Context, cl call) (*Response, error) {
	if ctx == nil {
		return nil, fmt.Errorf("%w: nil context", ErrInvalidArgument)
	}
	req := &Request{Method: cl.method, URL: c.base + apiPrefix + cl.path, Header: Header{}}
	if len(cl.query) > 0 {
		req.URL += "?" + cl.query.Encode()
	}
	req.Header.Set("Accept", "application/json")
	for k, v := range cl.header {
		req.Header.Set(k, v)
	}
	req.Stream = cl.stream
	if cl.body != nil {
		b, err := json.Marshal(cl.body)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalidArgument, err)
		}
		req.Body = b
		req.Header.Set("Content-Type", "application/json")
	}
	auth, err := c.credential(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", cl.method, apiPrefix+cl.path, err)
	}
	auth.apply(req.Header)

	retry := cl.method == "GET" // POST actions are never repeated (style.md §6)
	renewed := c.source == nil
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		resp, err := c.transport.Do(ctx, req)
		if err == nil && resp.Stream != nil && !(resp.StatusCode >= 200 && resp.StatusCode <= 299) {
			err = readErrorBody(resp) // errors and short answers are read whole
		}
		if err == nil && slices.Contains(cl.answers, resp.StatusCode) {
			return resp, nil
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			err = fmt.Errorf("%s %s: %w: %w", cl.method, apiPrefix+cl.path, ErrNetwork, scrub(err, auth))
		} else if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
			return resp, nil
		} else if resp.StatusCode == 401 && !renewed {
			// Once per request, actions too: a 401 means GitLab did
			// nothing, so sending the action again cannot repeat it.
			renewed = true
			fresh, rerr := c.source.Renew(ctx, auth)
			if rerr != nil {
				return nil, fmt.Errorf("%s %s: %w", cl.method, apiPrefix+cl.path, rerr)
			}
			if fresh != auth {
				auth.remove(req.Header)
				auth = fresh
				auth.apply(req.Header)
				attempt--
				continue
			}
			err = c.newError(cl, resp, auth)
		} else {
			err = c.newError(cl, resp, auth)
		}
		if !retry {
			return nil, err
		}
		wait, ok := c.backoff.next(attempt, err)
		if !ok {
			return nil, err
		}
		if serr := c.backoff.sleep(ctx, wait); serr != nil {
			return nil, serr
		}
	}
}

// maxErrorBody bounds what is read of an error's body: GitLab's are a line
// of JSON; a proxy's HTML page is cut.
const maxErrorBody = 64 << 10

// readErrorBody reads a streamed answer that is not a body to stream.
func readErrorBody(resp *Response) error {
	defer resp.Stream.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Stream, maxErrorBody))
	resp.Body, resp.Stream = b, nil
	return err
}

func (c *Client) newError(cl call, resp *Response, auth Auth) *Error {
	msg, code := decodeErrorBody(resp.Header.Get("Content-Type"), resp.Body)
	return &Error{
		Method:     cl.method,
		Path:       apiPrefix + cl.path,
		StatusCode: resp.StatusCode,
		Message:    scrubString(msg, auth),
		Code:       code,
		RequestID:  scrubString(sanitize(resp.Header.Get("X-Request-Id")), auth),
		RetryAfter: retryAfter(resp.Header, resp.StatusCode, timeNow()),
	}
}

// scrubString removes auth's token should a server or proxy echo it.
func scrubString(s string, auth Auth) string {
	if t := auth.token; t != "" && strings.Contains(s, t) {
		return strings.ReplaceAll(s, t, "[REDACTED]")
	}
	return s
}

func scrub(err error, auth Auth) error {
	if t := auth.token; t != "" && strings.Contains(err.Error(), t) {
		return errors.New(scrubString(err.Error(), auth))
	}
	return err
}

// getJSON GETs path and decodes the JSON body into a T.
func getJSON[T any](ctx context.Context, c *Client, path string, q url.Values) (T, *Response, error) {
	return doJSON[T](ctx, c, call{method: "GET", path: path, query: q})
}

func doJSON[T any](ctx context.Context, c *Client, cl call) (T, *Response, error) {
	var v T
	resp, err := c.send(ctx, cl)
	if err != nil {
		return v, nil, err
	}
	if resp.StatusCode == 304 {
		return v, resp, nil // Not Modified has no body (an answer only when asked for)
	}
	if err := decodeJSON(resp.Body, &v); err != nil {
		return v, nil, &Error{
			Method: cl.method, Path: apiPrefix + cl.path, StatusCode: resp.StatusCode,
			Message: "body does not decode: " + sanitize(err.Error()), Code: codeUndecodable,
			// A source's token of this request is not at hand here; the
			// fixed one is, and a 2xx echoing a token is unheard of.
			RequestID: scrubString(sanitize(resp.Header.Get("X-Request-Id")), c.auth),
		}
	}
	return v, resp, nil
}

func decodeJSON(b []byte, v any) error { return json.Unmarshal(b, v) }
