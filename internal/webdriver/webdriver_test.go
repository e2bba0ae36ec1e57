package webdriver

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReplies: the driver's replies as WebDriver's "Errors" section gives
// them, each decoded into a value or an error that names what went wrong.
func TestReplies(t *testing.T) {
	cases := []struct {
		name     string
		status   int
		body     string
		wantText string // "" for success
		wantCode string
	}{
		{"a value", 200, `{"value":"http://127.0.0.1/"}`, "", ""},
		{"an error with its code", 404, `{"value":{"error":"no such element","message":"Unable to locate","stacktrace":""}}`, "webdriver: no such element: Unable to locate", "no such element"},
		{"a script timeout", 500, `{"value":{"error":"script timeout","message":"script timed out after 60000ms"}}`, "webdriver: script timeout", "script timeout"},
		{"an error without a code", 500, `{"value":{"oops":1}}`, `500 {"oops":1}`, ""},
		{"no JSON at all", 502, `Bad Gateway`, "502", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(c.status)
				w.Write([]byte(c.body))
			}))
			defer srv.Close()
			s := &Session{d: &Driver{url: srv.URL}, ID: "s1"}
			u, err := s.URL(context.Background())
			if c.wantText == "" {
				require.NoError(t, err)
				assert.Equal(t, "http://127.0.0.1/", u)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.wantText)
			assert.Equal(t, c.wantCode != "", IsCode(err, c.wantCode))
		})
	}
}

// TestFindReadsTheElementReference: an element comes back under WebDriver's
// web element identifier; a reply without one is an error, not an empty id.
func TestFindReadsTheElementReference(t *testing.T) {
	for _, c := range []struct {
		name, body, want string
	}{
		{"the identifier", `{"value":{"element-6066-11e4-a52e-4f735466cecf":"node-1"}}`, "node-1"},
		{"another key", `{"value":{"element-6066-11e4-a52e-4f735466cecc":"node-1"}}`, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				assert.Equal(t, "/session/s1/element", r.URL.Path)
				w.Write([]byte(c.body))
			}))
			defer srv.Close()
			s := &Session{d: &Driver{url: srv.URL}, ID: "s1"}
			el, err := s.Find(context.Background(), "#x")
			if c.want == "" {
				assert.ErrorContains(t, err, "no element reference")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.want, el.ID)
		})
	}
}
