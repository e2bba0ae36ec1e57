// Package signin is "Sign in with GitLab" in the extension, where it runs in the background script
// (extension/background.js), not in the popup: identity.launchWebAuthFlow
// opens GitLab's consent page in a window of its own, the popup loses the
// focus and closes, and only the background is still there when GitLab
// answers (gitlab-oauth.md, flows b and c). So the popup makes the attempt
// (state, PKCE verifier, consent URL: package oauth, as in the PWA) and
// hands it to the background, which runs the window, checks the state,
// exchanges the code, stores the pair (the access token in storage.session,
// the refresh token in storage.local only with "stay signed in",
// gitlab-oauth.md §6) and writes what happened as a Outcome in
// storage.session. The next popup says it in words. The background also
// does every refresh, so that one context rotates the pair.
//
// The popup's side is internal/signin's SignIn (as in the PWA) with its
// navigation (Leave) handed to the background and its refreshes (Remote)
// asked of it: signin_js.go. The record the background writes (Outcome)
// and how it is said are plain Go, tested natively. In this package,
// "signin." names internal/signin.
package signin

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/jobscope/jobscope/internal/account"
	"github.com/jobscope/jobscope/internal/oauth"
	"github.com/jobscope/jobscope/internal/signin"
	"github.com/jobscope/jobscope/internal/words"
)

// OutcomeKey is where the background leaves the last sign-in's
// outcome, in storage.session. background.js names it too.
const OutcomeKey = "jobscope.oauth.v1"

// Outcome is the last extension sign-in as the background saw it.
// Failures carry GitLab's raw answer, never a code or token: the popup puts
// them in words with package oauth's own rules.
type Outcome struct {
	State    string `json:"state"` // "pending", "done" or "failed"
	BaseURL  string `json:"base_url"`
	ClientID string `json:"client_id,omitempty"`
	Return   string `json:"return,omitempty"` // the app path the sign-in started from
	// FlowError is identity.launchWebAuthFlow's rejection: the window was
	// closed, or GitLab's page could not be loaded.
	FlowError string `json:"flow_error,omitempty"`
	// Callback is GitLab's answer without its code when it was no usable
	// code (an error, or another attempt's state); AttemptState the
	// attempt's state, to check it against.
	Callback     string `json:"callback,omitempty"`
	AttemptState string `json:"attempt_state,omitempty"`
	// Status and Body are /oauth/token's refusal of the code.
	Status int    `json:"status,omitempty"`
	Body   string `json:"body,omitempty"`
	// Error is any other failure (GitLab unreachable), in words.
	Error string `json:"error,omitempty"`
}

// ParseOutcome reads the stored outcome; "" is none.
func ParseOutcome(raw string) (Outcome, error) {
	var o Outcome
	if raw == "" {
		return o, nil
	}
	return o, json.Unmarshal([]byte(raw), &o)
}

// Err is the failure in package oauth's terms, nil unless State is failed.
func (o Outcome) Err() error {
	if o.State != "failed" {
		return nil
	}
	switch {
	case o.FlowError != "":
		return flowError(o.FlowError)
	case o.Callback != "":
		_, err := oauth.Attempt{State: o.AttemptState}.Callback(o.Callback)
		if err == nil { // the background saw no code; there is none here either
			err = errors.New("GitLab's answer carried no sign-in code")
		}
		return err
	case o.Status != 0:
		return oauth.AnswerError("authorization_code", o.Status, []byte(o.Body))
	case o.Error != "":
		return errors.New(o.Error)
	}
	return errors.New("the sign-in did not finish")
}

// flowError reads launchWebAuthFlow's rejection. Chromium says "The user
// did not approve access." when the window is closed, Firefox "User
// cancelled or denied access."; any other message means the page failed.
func flowError(msg string) error {
	lower := strings.ToLower(msg)
	for _, closed := range []string{"did not approve", "cancel", "denied"} {
		if strings.Contains(lower, closed) {
			return oauth.ErrConsentDenied
		}
	}
	return errors.New("GitLab's sign-in page could not be shown (" + msg + "): check the GitLab address, and that the redirect URI on Connect is registered in the application on GitLab")
}

// Elsewhere is the outcome as the page's sign-in keeps it: said once, and
// a failed or pending sign-in offered again on Connect.
func (o Outcome) Elsewhere() signin.Elsewhere {
	text, failed := o.Notice()
	return signin.Elsewhere{BaseURL: o.BaseURL, ClientID: o.ClientID,
		Unfinished: o.State == "failed" || o.State == "pending", Notice: text, Failed: failed}
}

// Notice is what the popup says of the outcome: "" when there is nothing
// to say (done, or none), and whether it is a failure.
func (o Outcome) Notice() (text string, failed bool) {
	host := account.Instance{BaseURL: o.BaseURL}.Host()
	switch o.State {
	case "pending":
		return "Signing in to " + host + ": finish in GitLab's window, then open jobscope again.", false
	case "failed":
		return "Signing in to " + host + " did not work. " + words.SignInProblem(o.Err()), true
	}
	return "", false
}
