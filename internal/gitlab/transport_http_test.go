//go:build !js

package gitlab

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHTTPTransportRoundTrip(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "POST", r.Method)
		assert.Equal(t, "tok", r.Header.Get("PRIVATE-TOKEN"))
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		w.Header().Add("Link", `<a>; rel="next"`)
		w.Header().Add("Link", `<b>; rel="first"`)
		w.Header().Set("X-Next-Page", "")
		w.WriteHeader(201)
		_, _ = w.Write([]byte(`{"id":1}`))
	}))
	defer srv.Close()
	resp, err := HTTPTransport{}.Do(context.Background(), &Request{
		Method: "POST", URL: srv.URL + "/x", Body: []byte("{}"),
		Header: Header{"private-token": "tok", "content-type": "application/json"},
	})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, `{"id":1}`, string(resp.Body))
	assert.Equal(t, `<a>; rel="next", <b>; rel="first"`, resp.Header.Get("Link"), "repeated headers join as fetch does")
	assert.True(t, resp.Header.Has("X-Next-Page"))
}

// GitLab redirects renamed projects (§3) on its own origin and artifacts to
// object storage on another (§11): the credential follows only the first.
// Real servers here; the table below covers every kind of origin change.
func TestHTTPTransportKeepsCredentialsOnTheSameHostOnly(t *testing.T) {
	got := map[string]http.Header{}
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got["other"] = r.Header.Clone()
	}))
	defer other.Close()
	var self *httptest.Server
	self = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/moved":
			http.Redirect(w, r, "/here", http.StatusMovedPermanently)
		case "/here":
			got["same"] = r.Header.Clone()
		case "/artifacts":
			http.Redirect(w, r, other.URL+"/bucket", http.StatusFound)
		}
	}))
	defer self.Close()
	for _, p := range []string{"/moved", "/artifacts"} {
		_, err := HTTPTransport{}.Do(context.Background(), &Request{Method: "GET", URL: self.URL + p,
			Header: Header{"private-token": "tok", "job-token": "jt"}})
		require.NoError(t, err)
	}
	require.Contains(t, got, "same")
	require.Contains(t, got, "other")
	assert.Equal(t, "tok", got["same"].Get("PRIVATE-TOKEN"))
	assert.Empty(t, got["other"].Get("PRIVATE-TOKEN"))
	assert.Empty(t, got["other"].Get("JOB-TOKEN"))
}

// An origin is scheme, host and port: a redirect that changes any of them
// loses every credential header, Authorization included (net/http alone
// keeps it on https→http and on subdomains), and a chain that left the
// origin does not get them back, as with fetch.
func TestHTTPTransportDropsCredentialsWhenTheOriginChanges(t *testing.T) {
	const from = "https://gitlab.example.com/api/v4/projects/1/jobs/2/artifacts"
	cases := []struct {
		name  string
		hops  []string // Location of each redirect, in order
		keeps bool
	}{
		{"a path on the same origin keeps them", []string{"https://gitlab.example.com/api/v4/projects/1"}, true},
		{"the default port written out is the same origin", []string{"https://gitlab.example.com:443/x"}, true},
		{"https to http on the same host drops them", []string{"http://gitlab.example.com/x"}, false},
		{"another port drops them", []string{"https://gitlab.example.com:8443/x"}, false},
		{"a subdomain drops them", []string{"https://storage.gitlab.example.com/x"}, false},
		{"object storage elsewhere drops them", []string{"https://bucket.s3.example.net/a.zip?X-Amz-Signature=s"}, false},
		{"back home after another origin drops them", []string{"https://cdn.example.net/x", "https://gitlab.example.com/y"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rt := &redirectingRoundTripper{hops: tc.hops}
			tr := HTTPTransport{Client: &http.Client{Transport: rt, CheckRedirect: dropCredentialsOffOrigin}}
			resp, err := tr.Do(context.Background(), &Request{Method: "GET", URL: from, Header: Header{
				"authorization": "Bearer tok", "private-token": "tok", "job-token": "jt"}})
			require.NoError(t, err)
			require.Equal(t, 200, resp.StatusCode)
			require.Len(t, rt.seen, len(tc.hops)+1)
			last := rt.seen[len(rt.seen)-1]
			for _, h := range []string{"Authorization", "PRIVATE-TOKEN", "JOB-TOKEN"} {
				if tc.keeps {
					assert.NotEmpty(t, last.Get(h), "%s kept", h)
				} else {
					assert.Empty(t, last.Get(h), "%s dropped", h)
				}
			}
		})
	}
}

// redirectingRoundTripper answers the request i with a 302 to hops[i], and
// the one after the last hop with 200. It records each request's headers.
type redirectingRoundTripper struct {
	hops []string
	seen []http.Header
}

func (rt *redirectingRoundTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	n := len(rt.seen)
	rt.seen = append(rt.seen, r.Header.Clone())
	resp := &http.Response{StatusCode: 200, Header: http.Header{}, Body: http.NoBody, Request: r}
	if n < len(rt.hops) {
		resp.StatusCode = http.StatusFound
		resp.Header.Set("Location", rt.hops[n])
	}
	return resp, nil
}

func TestHTTPTransportHonoursTheContext(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := HTTPTransport{}.Do(ctx, &Request{Method: "GET", URL: srv.URL, Header: Header{}})
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}
