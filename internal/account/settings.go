package account

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
)

// DefaultBaseURL is the instance the Connect screen offers first.
const DefaultBaseURL = "https://gitlab.com"

// Instance is one GitLab instance the user connected to.
type Instance struct {
	BaseURL string `json:"base_url"` // scheme://host[:port], no trailing slash
	// Token is a personal, project or OAuth access token. It is written to
	// storage only when Remember is true.
	Token    string `json:"token,omitempty"`
	Remember bool   `json:"remember"`
	OAuth    bool   `json:"oauth,omitempty"` // send as Authorization: Bearer
	User     string `json:"user,omitempty"`  // username seen by the last check, for the header
	// ClientID is set when the user signed in with GitLab (internal/signin): the
	// OAuth application's id on this instance. Token is then the OAuth
	// access token, kept in memory only, and RefreshToken is written to
	// storage only when Remember ("stay signed in") is true
	// (gitlab-oauth.md §6).
	ClientID     string `json:"client_id,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Demo         bool   `json:"-"` // set by the demo server, never stored
}

// Host is the instance's host for display ("gitlab.com").
func (i Instance) Host() string {
	if u, err := url.Parse(i.BaseURL); err == nil && u.Host != "" {
		return u.Host
	}
	return i.BaseURL
}

// Settings is what the app remembers between visits.
type Settings struct {
	Instances []Instance `json:"instances"`
	Active    string     `json:"active"` // BaseURL of the active instance
}

// ActiveInstance returns the active instance, if any.
func (s Settings) ActiveInstance() (Instance, bool) {
	for _, in := range s.Instances {
		if in.BaseURL == s.Active {
			return in, true
		}
	}
	return Instance{}, false
}

// Usable returns the active instance when it has a token to call GitLab with:
// a memory-only token is gone after a reload, and the instance then needs
// its token again on the Connect screen.
func (s Settings) Usable() (Instance, bool) {
	in, ok := s.ActiveInstance()
	return in, ok && (in.Token != "" || in.SignedIn())
}

// SignedIn reports whether in signed in with GitLab and still holds a
// pair; a kept refresh token alone is enough: the first request refreshes
// (internal/signin).
func (in Instance) SignedIn() bool {
	return in.ClientID != "" && (in.Token != "" || in.RefreshToken != "")
}

// Put adds or replaces the instance with the same BaseURL and makes it active.
func (s *Settings) Put(in Instance) {
	s.Active = in.BaseURL
	for i := range s.Instances {
		if s.Instances[i].BaseURL == in.BaseURL {
			s.Instances[i] = in
			return
		}
	}
	s.Instances = append(s.Instances, in)
}

// NormalizeBaseURL checks a base URL typed by the user and returns it as
// scheme://host[:port][/path] without a trailing slash. It accepts a bare host
// ("gitlab.example.com") as https.
func NormalizeBaseURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", fmt.Errorf("the GitLab address is empty")
	}
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("%q is not a web address", raw)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return "", fmt.Errorf("the GitLab address must start with https:// (got %s://)", u.Scheme)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("the GitLab address must be just the instance, like https://gitlab.example.com")
	}
	return u.Scheme + "://" + u.Host + strings.TrimRight(strings.TrimSuffix(strings.TrimRight(u.Path, "/"), "/api/v4"), "/"), nil
}

// SettingsKey is where the settings live in the KV (localStorage, or the
// extension's storage.local, which background.js reads too).
const SettingsKey = "jobscope.settings.v1"

// Store loads and saves Settings through a KV. The tokens of
// instances with Remember off stay in the store's memory only: Save never
// passes them to the KV, so they are gone when the page closes.
// Safe for concurrent use.
type Store struct {
	kv KV

	mu      sync.Mutex
	memory  map[string]string // BaseURL -> token of memory-only and signed-in instances
	refresh map[string]string // BaseURL -> refresh token of memory-only signed-in instances
	demo    []Instance        // instances injected by the demo server
}

// NewStore returns a store over kv.
func NewStore(kv KV) *Store {
	return &Store{kv: kv, memory: map[string]string{}, refresh: map[string]string{}}
}

// Load returns the saved settings with memory-only tokens filled back in.
// Unreadable stored settings give empty settings and an error saying so;
// the caller shows it and carries on.
func (s *Store) Load() (Settings, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.load()
}

func (s *Store) load() (Settings, error) {
	var st Settings
	var err error
	if raw, ok := s.kv.Get(SettingsKey); ok {
		if jerr := json.Unmarshal([]byte(raw), &st); jerr != nil {
			st, err = Settings{}, fmt.Errorf("saved settings are unreadable and were ignored: %v", jerr)
		}
	}
	for i := range st.Instances {
		in := &st.Instances[i]
		if !in.Remember || in.ClientID != "" {
			in.Token = s.memory[in.BaseURL]
		}
		if !in.Remember && in.ClientID != "" {
			in.RefreshToken = s.refresh[in.BaseURL]
		}
	}
	for _, d := range s.demo {
		// The demo instance becomes active unless another saved one is.
		_, hadActive := st.ActiveInstance()
		previous := st.Active
		st.Put(d)
		if hadActive {
			st.Active = previous
		}
	}
	return st, err
}

// Update re-reads the settings, lets change edit them and saves the result,
// all under the store's lock: a writer changes only what it means to
// (one instance, the active one) on the settings as they are now, not on
// a snapshot taken earlier, so an instance added or a refresh token
// rotated meanwhile (in this page or another tab) is kept. An unreadable
// stored value is replaced, as Save would. change returning false
// writes nothing.
func (s *Store) Update(change func(st *Settings) bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, _ := s.load()
	if !change(&st) {
		return nil
	}
	return s.save(st)
}

// Save stores st. Tokens of instances with Remember off, and the access
// tokens of signed-in instances, are kept in memory and written to the KV
// as empty; demo instances are not written at all.
//
// Save overwrites what is stored with st: a writer holding st since before
// some wait loses what others wrote meanwhile; use Update for that.
func (s *Store) Save(st Settings) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.save(st)
}

func (s *Store) save(st Settings) error {
	out := Settings{Active: st.Active}
	for _, in := range st.Instances {
		if in.Demo {
			s.putDemo(in)
			if out.Active == in.BaseURL {
				out.Active = ""
			}
			continue
		}
		// An OAuth access token is never stored, whatever Remember says
		// (gitlab-oauth.md §6); its refresh token is, with Remember only.
		if !in.Remember || in.ClientID != "" {
			s.memory[in.BaseURL] = in.Token
			in.Token = ""
		} else {
			delete(s.memory, in.BaseURL)
		}
		if !in.Remember {
			s.refresh[in.BaseURL] = in.RefreshToken
			in.RefreshToken = ""
		} else {
			delete(s.refresh, in.BaseURL)
		}
		out.Instances = append(out.Instances, in)
	}
	raw, err := json.Marshal(out)
	if err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	if err := s.kv.Set(SettingsKey, string(raw)); err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	return nil
}

// Forget removes the instance at base and every token of it, kept on disk
// or in memory; the active instance becomes none if it was this one.
func (s *Store) Forget(base string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, _ := s.load()
	st.Instances = slices.DeleteFunc(st.Instances, func(in Instance) bool { return in.BaseURL == base })
	if st.Active == base {
		st.Active = ""
	}
	delete(s.memory, base)
	delete(s.refresh, base)
	s.demo = slices.DeleteFunc(s.demo, func(in Instance) bool { return in.BaseURL == base })
	return s.save(st)
}

// AddDemo makes in a memory-only demo instance and, when nothing else is
// active, the active one. The demo server supplies it (see demo.go).
func (s *Store) AddDemo(in Instance) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in.Demo, in.Remember = true, false
	s.putDemo(in)
}

func (s *Store) putDemo(in Instance) {
	for i := range s.demo {
		if s.demo[i].BaseURL == in.BaseURL {
			s.demo[i] = in
			return
		}
	}
	s.demo = append(s.demo, in)
}

// installOfferedKey remembers that the install offer was shown, so it is
// offered once per device (issue 5), not on every visit.
const installOfferedKey = "jobscope.install-offered.v1"

// InstallOffered reports whether the install offer was already shown here.
func (s *Store) InstallOffered() bool {
	_, ok := s.kv.Get(installOfferedKey)
	return ok
}

// MarkInstallOffered records that the install offer was shown.
func (s *Store) MarkInstallOffered() error {
	return s.kv.Set(installOfferedKey, "1")
}

// SessionTokens are one instance's tokens in storage.session: a memory-only
// access token, a signed-in access token, and the refresh token of a
// sign-in without "stay signed in". background.js reads and writes them too.
type SessionTokens struct {
	Token        string `json:"token,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
}

// AdoptKept takes the tokens storage.session holds now as the ones kept in
// memory, without writing anything: a memory-only access token (the same
// as here), a signed-in pair the background rotated or wiped.
func (s *Store) AdoptKept(tokens map[string]SessionTokens) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for base, t := range tokens {
		s.memory[base], s.refresh[base] = t.Token, t.RefreshToken
	}
}
