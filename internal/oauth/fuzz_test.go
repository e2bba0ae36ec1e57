package oauth

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/jobscope/jobscope/internal/gitlab"
)

const fuzzState = "state-0123456789-0123456789-0123456789-abc"

// FuzzCallback feeds callback URLs (untrusted: anyone can link to the
// callback page). Properties: no panic; a code only with our state; the
// state never in an error string.
func FuzzCallback(f *testing.F) {
	for _, seed := range []string{
		"https://jobscope.example/oauth/callback?code=abc&state=" + fuzzState,
		"https://jobscope.example/oauth/callback?error=access_denied&error_description=The+resource+owner&state=" + fuzzState,
		"https://jobscope.example/oauth/callback?error=" + fuzzState + "&state=" + fuzzState,
		"https://jobscope.example/oauth/callback?state=other&code=x",
		"http://127.0.0.1:5173/oauth/callback?code=%zz",
		"%",
		"",
	} {
		f.Add(seed)
	}
	a := Attempt{State: fuzzState, Verifier: strings.Repeat("v", 43), Scopes: []string{ScopeReadAPI}}
	f.Fuzz(func(t *testing.T, raw string) {
		code, err := a.Callback(raw)
		if err != nil {
			if code != "" {
				t.Fatalf("a code with an error")
			}
			if strings.Contains(err.Error(), fuzzState) {
				t.Fatalf("the state leaked into %q", err)
			}
			return
		}
		if code == "" {
			t.Fatalf("no code and no error")
		}
		if u, err := url.Parse(raw); err != nil || u.Query().Get("state") != fuzzState {
			t.Fatalf("accepted without our state: %q", raw)
		}
	})
}

type cannedTransport struct {
	status int
	body   []byte
}

func (c cannedTransport) Do(context.Context, *gitlab.Request) (*gitlab.Response, error) {
	return &gitlab.Response{StatusCode: c.status, Header: gitlab.Header{}, Body: c.body}, nil
}

// FuzzTokenAnswer feeds token endpoint answers. Properties: no panic; a
// success has an access token; the code and verifier sent never appear in
// an error string, whatever the server echoes.
func FuzzTokenAnswer(f *testing.F) {
	const code, verifier = "the-code-0000", "the-verifier-0123456789-0123456789-0123456789"
	f.Add(200, `{"access_token":"a","token_type":"Bearer","expires_in":7200,"refresh_token":"r","scope":"read_api","created_at":1}`)
	f.Add(200, `{"access_token":"","token_type":"Bearer"}`)
	f.Add(200, `{"access_token":"a","token_type":"mac"}`)
	f.Add(400, `{"error":"invalid_grant","error_description":"bad code the-code-0000 from the-verifier-0123456789-0123456789-0123456789"}`)
	f.Add(401, `{"error":"invalid_client","error_description":"x"}`)
	f.Add(502, `<html>Bad Gateway</html>`)
	f.Add(200, `{`)
	f.Fuzz(func(t *testing.T, status int, body string) {
		c, err := NewClient(testConfig, WithTransport(cannedTransport{status, []byte(body)}))
		if err != nil {
			t.Fatal(err)
		}
		tok, err := c.Exchange(context.Background(), code, Attempt{State: "s", Verifier: verifier, Scopes: []string{"api"}})
		if err != nil {
			if strings.Contains(err.Error(), code) || strings.Contains(err.Error(), verifier) {
				t.Fatalf("a secret in %q", err)
			}
			return
		}
		if tok.AccessToken == "" {
			t.Fatalf("success without an access token")
		}
	})
}
