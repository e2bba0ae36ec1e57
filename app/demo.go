package app

import (
	"encoding/json"
	"fmt"

	"github.com/jobscope/jobscope/internal/account"
)

// DemoConfigPath is where the demo server (internal/demo) serves the demo's
// connection, relative to the site's root. The app asks for it only when the
// page carries DemoMetaName, which only the demo server adds, so a real
// deployment never makes the request. The token travels in this same-origin
// response body, never in a URL.
const (
	DemoConfigPath = "/demo-config.json"
	DemoMetaName   = "jobscope-demo"
)

// DemoConfig is the demo server's description of the emulator to connect to.
type DemoConfig struct {
	BaseURL string `json:"base_url"`
	Token   string `json:"token"`
	User    string `json:"user,omitempty"`
	// ClientID is the emulator's OAuth application, offered by "Sign in
	// with GitLab" for the demo instance (internal/signin).
	ClientID string `json:"client_id,omitempty"`
	// Start is the app path to open instead of the Connect screen.
	Start string `json:"start,omitempty"`
}

// ParseDemoConfig decodes and checks a demo config.
func ParseDemoConfig(b []byte) (DemoConfig, error) {
	var c DemoConfig
	if err := json.Unmarshal(b, &c); err != nil {
		return DemoConfig{}, fmt.Errorf("demo config: %w", err)
	}
	base, err := account.NormalizeBaseURL(c.BaseURL)
	if err != nil {
		return DemoConfig{}, fmt.Errorf("demo config: %w", err)
	}
	c.BaseURL = base
	if c.Token == "" {
		return DemoConfig{}, fmt.Errorf("demo config: no token")
	}
	if c.Start != "" && ParsePath(c.Start).Screen == ScreenNotFound {
		return DemoConfig{}, fmt.Errorf("demo config: start %q is not an app path", c.Start)
	}
	return c, nil
}

// applyDemo adds the demo instance to env's settings, memory-only.
func (e *Env) applyDemo(c DemoConfig) {
	e.Settings.AddDemo(account.Instance{BaseURL: c.BaseURL, Token: c.Token, User: c.User})
	if c.ClientID != "" {
		e.SignIn.Know(c.BaseURL, c.ClientID)
	}
}
