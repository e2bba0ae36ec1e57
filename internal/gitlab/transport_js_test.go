package gitlab

import (
	"context"
	"syscall/js"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Node's fetch (the wasm test runner) serves data: URLs, so the fetch
// adapter's promise handling, body copy and headers run for real here.
func TestFetchTransportReadsAResponse(t *testing.T) {
	resp, err := FetchTransport{}.Do(context.Background(), &Request{
		Method: "GET",
		URL:    "data:application/json,%7B%22id%22%3A1%7D",
		Header: Header{"accept": "application/json"},
	})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, `{"id":1}`, string(resp.Body))
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
}

func TestFetchTransportReportsNetworkFailures(t *testing.T) {
	_, err := FetchTransport{}.Do(context.Background(), &Request{Method: "GET", URL: "http://127.0.0.1:1/api/v4/user", Header: Header{}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "fetch")
}

func TestFetchTransportStopsOnACanceledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := FetchTransport{}.Do(ctx, &Request{Method: "GET", URL: "data:,x", Header: Header{}})
	assert.ErrorIs(t, err, context.Canceled)
}

// stubFetch replaces globalThis.fetch for one test with a JS function that
// records its init and either answers or, for URLs containing "hang",
// waits until the request is aborted.
func stubFetch(t *testing.T) js.Value {
	t.Helper()
	orig := js.Global().Get("fetch")
	t.Cleanup(func() { js.Global().Set("fetch", orig) })
	rec := js.Global().Call("eval", `(() => {
		const rec = {calls: []};
		rec.fetch = (url, init) => {
			rec.calls.push({url, init, headers: Object.fromEntries(init.headers.entries())});
			if (url.includes("hang")) {
				return new Promise((_, reject) => init.signal.addEventListener("abort",
					() => { rec.aborted = true; reject(new DOMException("aborted", "AbortError")); }));
			}
			return Promise.resolve(new Response('{"id":7}', {status: 201, headers: {"X-Next-Page": "", "Link": "<x>; rel=\"next\""}}));
		};
		return rec;
	})()`)
	js.Global().Set("fetch", rec.Get("fetch"))
	return rec
}

// gitlab-api.md §10: cors mode, no cookies, token only as a header.
func TestFetchTransportSendsACORSRequestWithoutCredentials(t *testing.T) {
	rec := stubFetch(t)
	resp, err := FetchTransport{}.Do(context.Background(), &Request{
		Method: "POST", URL: "https://gitlab.example.com/api/v4/projects/1/jobs/2/play",
		Header: Header{"private-token": "tok", "content-type": "application/json"},
		Body:   []byte(`{"job_variables_attributes":[]}`),
	})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, `{"id":7}`, string(resp.Body))
	assert.True(t, resp.Header.Has("X-Next-Page"), "an empty header is still present")
	assert.Equal(t, "<x>; rel=\"next\"", resp.Header.Get("Link"))

	call := rec.Get("calls").Index(0)
	init := call.Get("init")
	assert.Equal(t, "cors", init.Get("mode").String())
	assert.Equal(t, "omit", init.Get("credentials").String())
	assert.Equal(t, "POST", init.Get("method").String())
	assert.Equal(t, "tok", call.Get("headers").Get("private-token").String())
	assert.Equal(t, `{"job_variables_attributes":[]}`, js.Global().Get("TextDecoder").New().Call("decode", init.Get("body")).String())
}

// Logs and job lists of an instance kept in memory only must not be written
// to the browser's HTTP cache on disk.
func TestFetchTransportKeepsRepliesOutOfTheHTTPCache(t *testing.T) {
	rec := stubFetch(t)
	_, err := FetchTransport{}.Do(context.Background(), &Request{Method: "GET", URL: "https://gitlab.example.com/api/v4/projects/1/jobs/2/trace", Header: Header{}})
	require.NoError(t, err)
	assert.Equal(t, "no-store", rec.Get("calls").Index(0).Get("init").Get("cache").String())
}

// fetch drops Authorization when a redirect leaves the origin but forwards
// any other header there, such as to the object storage of an artifact
// download (§11): a request carrying a credential in another header must
// not follow redirects at all.
func TestFetchTransportFollowsRedirectsOnlyWhenFetchDropsTheCredential(t *testing.T) {
	cases := []struct {
		name   string
		auth   Auth
		header Header
		want   string
	}{
		{"a personal access token goes as Bearer, and follows", PrivateToken("tok"), nil, "follow"},
		{"an OAuth token follows", OAuthToken("tok"), nil, "follow"},
		{"no credential follows", Auth{}, nil, "follow"},
		{"a job token follows none", JobToken("tok"), nil, "error"},
		{"a PRIVATE-TOKEN header follows none", Auth{}, Header{"private-token": "tok"}, "error"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := stubFetch(t)
			h := Header{}
			for k, v := range tc.header {
				h.Set(k, v)
			}
			tc.auth.apply(h)
			_, err := FetchTransport{}.Do(context.Background(), &Request{Method: "GET", URL: "https://gitlab.example.com/api/v4/projects/1/jobs/2/artifacts", Header: h})
			require.NoError(t, err)
			call := rec.Get("calls").Index(0)
			assert.Equal(t, tc.want, call.Get("init").Get("redirect").String())
			if tc.auth.kind == kindPersonal {
				assert.Equal(t, "Bearer tok", call.Get("headers").Get("authorization").String())
				assert.True(t, call.Get("headers").Get("private-token").IsUndefined(), "not in PRIVATE-TOKEN")
			}
		})
	}
}

func TestFetchTransportAbortsWhenTheContextEnds(t *testing.T) {
	rec := stubFetch(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := FetchTransport{}.Do(ctx, &Request{Method: "GET", URL: "https://gitlab.example.com/hang", Header: Header{}})
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.True(t, rec.Get("aborted").Truthy(), "the fetch was not aborted")
}

func TestTheClientRunsOverFetch(t *testing.T) {
	c, err := New("https://gitlab.example.com", PrivateToken("x"), WithTransport(dataTransport{}))
	require.NoError(t, err)
	u, err := c.CurrentUser(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "root", u.Username)
}

// dataTransport rewrites every request to a data: URL answered by fetch.
type dataTransport struct{}

func (dataTransport) Do(ctx context.Context, r *Request) (*Response, error) {
	cp := *r
	cp.URL = "data:application/json,%7B%22id%22%3A1%2C%22username%22%3A%22root%22%7D"
	return FetchTransport{}.Do(ctx, &cp)
}
