package signin

import (
	"errors"
	"testing"

	"github.com/jobscope/jobscope/internal/account"
	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/jobscope/jobscope/internal/oauth"
	"github.com/jobscope/jobscope/internal/signin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOutcomeInWords: what the extension's background saw, said by
// the popup with package oauth's rules (issue 7, "errors in words").
func TestOutcomeInWords(t *testing.T) {
	const base = "https://gitlab.example.com"
	tests := []struct {
		name    string
		raw     string
		kind    error // nil: any error, or none when failed is false
		failed  bool
		says    string
		notSays string
	}{
		{"no outcome", ``, nil, false, "", ""},
		{"done", `{"state":"done","base_url":"` + base + `"}`, nil, false, "", ""},
		{"still in GitLab's window", `{"state":"pending","base_url":"` + base + `"}`, nil, false, "finish in GitLab's window", ""},
		{"window closed on Chromium", `{"state":"failed","base_url":"` + base + `","flow_error":"The user did not approve access."}`,
			oauth.ErrConsentDenied, true, "You did not authorize jobscope", ""},
		{"window closed on Firefox", `{"state":"failed","base_url":"` + base + `","flow_error":"User cancelled or denied access."}`,
			oauth.ErrConsentDenied, true, "choose Authorize", ""},
		{"page not loaded", `{"state":"failed","base_url":"` + base + `","flow_error":"Authorization page could not be loaded."}`,
			nil, true, "redirect URI", ""},
		{"consent denied", `{"state":"failed","base_url":"` + base + `","callback":"https://id.chromiumapp.org/oauth?error=access_denied&state=s1","attempt_state":"s1"}`,
			oauth.ErrConsentDenied, true, "gitlab.example.com did not work", ""},
		{"another attempt's answer", `{"state":"failed","base_url":"` + base + `","callback":"https://id.chromiumapp.org/oauth?code=x&state=s2","attempt_state":"s1"}`,
			oauth.ErrStateMismatch, true, "state mismatch", "s1"},
		{"scope not registered", `{"state":"failed","base_url":"` + base + `","callback":"https://id.chromiumapp.org/oauth?error=invalid_scope&state=s1","attempt_state":"s1"}`,
			oauth.ErrScopeNotAllowed, true, "read_api and api scopes", ""},
		{"expired code", `{"state":"failed","base_url":"` + base + `","status":400,"body":"{\"error\":\"invalid_grant\"}"}`,
			oauth.ErrCodeRejected, true, "expired or was already used", ""},
		{"confidential application", `{"state":"failed","base_url":"` + base + `","status":401,"body":"{\"error\":\"invalid_client\"}"}`,
			oauth.ErrPKCEUnsupported, true, "untick Confidential", ""},
		{"GitLab down", `{"state":"failed","base_url":"` + base + `","status":503,"body":"<html>"}`,
			gitlab.ErrServer, true, "did not work", ""},
		{"unreachable", `{"state":"failed","base_url":"` + base + `","error":"GitLab at https://gitlab.example.com could not be reached"}`,
			nil, true, "could not be reached", ""},
		{"failed without detail", `{"state":"failed","base_url":"` + base + `"}`, nil, true, "did not finish", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := ParseOutcome(tt.raw)
			require.NoError(t, err)
			text, failed := o.Notice()
			assert.Equal(t, tt.failed, failed)
			assert.Equal(t, tt.failed, o.Err() != nil)
			if tt.kind != nil {
				assert.True(t, errors.Is(o.Err(), tt.kind), "%v is %v", o.Err(), tt.kind)
			}
			if tt.says == "" {
				assert.Empty(t, text)
			} else {
				assert.Contains(t, text, tt.says)
			}
			if tt.notSays != "" {
				assert.NotContains(t, text, tt.notSays)
			}
		})
	}
}

func TestOutcomeUnreadable(t *testing.T) {
	_, err := ParseOutcome(`{"state":`)
	assert.Error(t, err)
}

// The outcome is said once; a failed or pending sign-in's instance and
// application id stay offered on Connect.
func TestOutcomeIsSaidOnceAndOfferedAgain(t *testing.T) {
	for _, tt := range []struct {
		state   string
		offered bool
	}{{"failed", true}, {"pending", true}, {"done", false}} {
		t.Run(tt.state, func(t *testing.T) {
			s := signin.New(account.NewStore(&account.MemoryKV{}), nil, &account.MemoryKV{}, "https://id.chromiumapp.org/oauth")
			s.Elsewhere = Outcome{State: tt.state, BaseURL: "https://gitlab.example.com", ClientID: "app"}.Elsewhere()
			first, _ := s.TakeOutcome()
			second, _ := s.TakeOutcome()
			assert.Equal(t, tt.state != "done", first != "", "said the first time")
			assert.Empty(t, second, "said once")
			base, id := s.Unfinished()
			if tt.offered {
				assert.Equal(t, []string{"https://gitlab.example.com", "app"}, []string{base, id})
			} else {
				assert.Empty(t, base+id)
			}
		})
	}
}
