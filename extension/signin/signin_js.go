package signin

import (
	"context"
	"errors"
	"strings"
	"syscall/js"

	"github.com/jobscope/jobscope/extension/storage"
	"github.com/jobscope/jobscope/internal/account"
	"github.com/jobscope/jobscope/internal/oauth"
	"github.com/jobscope/jobscope/internal/signin"
)

// New is an extension page's sign-in over accounts, asking user whose a
// new token is: the consent flow and every refresh run in the background
// script of api (the browser or chrome namespace); the redirect URI is the
// identity API's for this extension; the last sign-in's outcome is read
// from storage.session now. prefix is the site's path prefix
// (GOAPP_ROOT_PREFIX). It waits for the browser's storage: run it on the
// main goroutine before ui.RunWhenOnBrowser.
func New(api js.Value, accounts *account.Store, user signin.UserFunc, prefix string) *signin.SignIn {
	redirect := ""
	if id := api.Get("identity"); id.Truthy() {
		redirect = id.Call("getRedirectURL", "oauth").String()
	}
	s := signin.New(accounts, user, &account.MemoryKV{}, redirect)
	if session := api.Get("storage").Get("session"); session.Truthy() {
		s.Elsewhere = takeOutcome(session).Elsewhere()
	}
	s.Here = func() string { return signin.PathOnScreen(prefix) }
	s.Leave = func(consentURL string) { handToBackground(s, api, consentURL) }
	s.Remote = func(ctx context.Context, in account.Instance, stale string) (oauth.Token, error) {
		return backgroundRefresh(ctx, api, in, stale)
	}
	return s
}

// takeOutcome reads the background's last sign-in outcome and, when
// it is final, removes it: it is said once.
func takeOutcome(session js.Value) Outcome {
	v, err := storage.Await(session.Call("get", OutcomeKey))
	if err != nil {
		return Outcome{}
	}
	raw := ""
	if s := v.Get(OutcomeKey); s.Type() == js.TypeString {
		raw = s.String()
	}
	o, err := ParseOutcome(raw)
	if err != nil {
		storage.Warn("jobscope: the last sign-in's outcome is unreadable: " + err.Error())
	}
	if raw != "" && o.State != "pending" {
		session.Call("remove", OutcomeKey)
	}
	return o
}

// handToBackground gives the attempt Begin made to the background, which
// opens GitLab's consent page. The popup usually closes then; a page that
// is still open (a full tab) starts afresh once the background answers,
// and says the outcome.
func handToBackground(s *signin.SignIn, api js.Value, consentURL string) {
	raw, back := s.TakePending()
	msg := js.Global().Get("Object").New()
	msg.Set("type", "jobscope.signin")
	msg.Set("url", consentURL)
	msg.Set("redirect_uri", s.RedirectURI())
	msg.Set("pending", raw)
	var done js.Func
	done = js.FuncOf(func(js.Value, []js.Value) any {
		done.Release()
		reopen(api, back)
		return nil
	})
	api.Get("runtime").Call("sendMessage", msg).Call("then", done, done)
}

// reopen loads the extension page again on route, in the same mode.
func reopen(api js.Value, route string) {
	mode := "popup"
	if ext := js.Global().Get("jobscopeExtension"); ext.Truthy() {
		mode = ext.Get("mode").String()
	}
	u := api.Get("runtime").Call("getURL", "popup.html").String() + "?mode=" + mode +
		"&route=" + js.Global().Call("encodeURIComponent", route).String()
	js.Global().Get("location").Call("replace", u)
}

// backgroundRefresh asks the background for in's current pair (see
// refreshed in background.js). It waits: call it off the UI goroutine.
func backgroundRefresh(ctx context.Context, api js.Value, in account.Instance, stale string) (oauth.Token, error) {
	msg := js.Global().Get("Object").New()
	msg.Set("type", "jobscope.refresh")
	msg.Set("base", in.BaseURL)
	msg.Set("stale", stale)
	type answer struct {
		v   js.Value
		err error
	}
	ch := make(chan answer, 1)
	go func() {
		v, err := storage.Await(api.Get("runtime").Call("sendMessage", msg))
		ch <- answer{v, err}
	}()
	var a answer
	select {
	case a = <-ch:
	case <-ctx.Done():
		return oauth.Token{}, ctx.Err()
	}
	if a.err != nil {
		return oauth.Token{}, errors.New("jobscope's background did not answer: " + a.err.Error())
	}
	str := func(k string) string {
		if v := a.v.Get(k); v.Type() == js.TypeString {
			return v.String()
		}
		return ""
	}
	switch {
	case a.v.Type() != js.TypeObject:
		return oauth.Token{}, errors.New("jobscope's background did not answer")
	case str("access_token") != "":
		return oauth.Token{AccessToken: str("access_token"), RefreshToken: str("refresh_token"), Scopes: strings.Fields(str("scope"))}, nil
	case a.v.Get("status").Type() == js.TypeNumber:
		return oauth.Token{}, oauth.AnswerError("refresh_token", a.v.Get("status").Int(), []byte(str("body")))
	case str("error") != "":
		return oauth.Token{}, errors.New(str("error"))
	}
	return oauth.Token{}, errors.New("jobscope's background did not answer")
}
