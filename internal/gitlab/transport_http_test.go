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

// GitLab redirects renamed projects (§3) on its own host and artifacts to
// object storage on another (§11): the credential must follow only the first.
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
