package app

import (
	"encoding/json"
	"errors"
	"sync"
	"syscall/js"

	"github.com/jobscope/jobscope/internal/account"
)

// Extension pages keep settings in the extension's storage instead of
// localStorage, because the background script (which polls watched jobs)
// has no localStorage and must read the same instances and tokens:
//
//   - storage.local holds the settings under the same key and JSON as the
//     PWA, remembered tokens included;
//   - storage.session holds the memory-only tokens, every signed-in access
//     token and the refresh tokens of sign-ins without "stay signed in"
//     (gitlab-oauth.md §6): the browser keeps it in memory only and empties
//     it when it quits, so "memory only" means what it means in the PWA
//     (never on disk) while surviving the popup, which the browser closes
//     on every click elsewhere.
//
// Both areas are asynchronous while KV is not: NewExtensionEnv reads them
// once, before the app starts, and writes go through in the background.

// extensionSessionKey is extension.SessionKey (app must not import the
// extension package, which depends on app).
const extensionSessionKey = "jobscope.session.v1"

// NewExtensionEnv returns the Env of an extension page. Like NewBrowserEnv it
// must run on the main goroutine before ui.RunWhenOnBrowser: it waits for the
// browser's storage.
func NewExtensionEnv() *Env {
	api := extensionAPI()
	area := api.Get("storage")
	kv := &extensionKV{local: area.Get("local"), cache: map[string]string{}, echoes: map[string]int{}}
	if v, err := extAwait(kv.local.Call("get", account.SettingsKey)); err == nil {
		if s := v.Get(account.SettingsKey); s.Type() == js.TypeString {
			kv.cache[account.SettingsKey] = s.String()
		}
	} else {
		extWarn("jobscope: extension storage unreadable: " + err.Error())
	}
	env := NewEnv(kv)
	var outcome SignInOutcome
	if session := area.Get("session"); session.Truthy() {
		restoreMemoryTokens(env.Settings, session)
		outcome = takeSignInOutcome(session)
		kv.afterSet = func() { go saveMemoryTokens(env.Settings, session) }
	}
	kv.follow(area, env.Settings)
	env.SignIn = newExtensionSignIn(env, api, outcome)
	return env
}

// takeSignInOutcome reads the background's last sign-in outcome and, when
// it is final, removes it: it is said once.
func takeSignInOutcome(session js.Value) SignInOutcome {
	v, err := extAwait(session.Call("get", SignInOutcomeKey))
	if err != nil {
		return SignInOutcome{}
	}
	raw := ""
	if s := v.Get(SignInOutcomeKey); s.Type() == js.TypeString {
		raw = s.String()
	}
	o, err := ParseSignInOutcome(raw)
	if err != nil {
		extWarn("jobscope: the last sign-in's outcome is unreadable: " + err.Error())
	}
	if raw != "" && o.State != "pending" {
		session.Call("remove", SignInOutcomeKey)
	}
	return o
}

func extensionAPI() js.Value {
	api := js.Global().Get("browser")
	if !api.Truthy() {
		api = js.Global().Get("chrome")
	}
	return api
}

// extensionKV is storage.local behind KV: reads from a cache filled at
// start, writes to the cache at once and to storage.local in the background
// (a failure is logged, as the caller may be on the UI goroutine, which
// must not wait for a promise).
type extensionKV struct {
	local    js.Value
	afterSet func()

	mu     sync.Mutex
	cache  map[string]string
	echoes map[string]int // values this page wrote, until storage.onChanged reports them
}

func (k *extensionKV) Get(key string) (string, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.cache[key]
	return v, ok
}

func (k *extensionKV) Set(key, value string) error {
	k.mu.Lock()
	if k.cache[key] != value {
		k.echoes[value]++
	}
	k.cache[key] = value
	k.mu.Unlock()
	obj := js.Global().Get("Object").New()
	obj.Set(key, value)
	var failed js.Func
	failed = js.FuncOf(func(_ js.Value, args []js.Value) any {
		extWarn("jobscope: settings not stored: " + extErrorText(args))
		failed.Release()
		return nil
	})
	k.local.Call("set", obj).Call("catch", failed)
	if k.afterSet != nil {
		k.afterSet()
	}
	return nil
}

// follow keeps the page's copy of the settings and tokens current when
// the background writes them (a sign-in, a refresh while a watched job is
// polled), so that this page never writes a rotated-away refresh token back.
// Changes this page made itself come back as events too, in order: they are
// recognised and skipped, or a late echo would undo a newer write.
func (k *extensionKV) follow(area js.Value, store *account.Store) {
	area.Get("onChanged").Call("addListener", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) < 2 {
			return nil
		}
		changes, name := args[0], args[1].String()
		if c := changes.Get(account.SettingsKey); name == "local" && c.Truthy() && c.Get("newValue").Type() == js.TypeString {
			v := c.Get("newValue").String()
			k.mu.Lock()
			if k.echoes[v] > 0 {
				k.echoes[v]--
			} else {
				k.cache[account.SettingsKey] = v
			}
			k.mu.Unlock()
		}
		if c := changes.Get(extensionSessionKey); name == "session" && c.Truthy() && c.Get("newValue").Type() == js.TypeString {
			var tokens map[string]account.SessionTokens
			if json.Unmarshal([]byte(c.Get("newValue").String()), &tokens) == nil {
				store.AdoptKept(tokens)
			}
		}
		return nil
	}))
}

// restoreMemoryTokens gives memory-only instances back the tokens kept in
// storage.session. account.Store.Save keeps them in its memory map.
func restoreMemoryTokens(store *account.Store, session js.Value) {
	v, err := extAwait(session.Call("get", extensionSessionKey))
	if err != nil {
		return
	}
	var tokens map[string]account.SessionTokens
	if s := v.Get(extensionSessionKey); s.Type() != js.TypeString || json.Unmarshal([]byte(s.String()), &tokens) != nil {
		return
	}
	st, err := store.Load()
	if err != nil {
		return
	}
	restored := false
	for i, in := range st.Instances {
		t := tokens[in.BaseURL]
		if (!in.Remember || in.ClientID != "") && in.Token == "" && t.Token != "" {
			st.Instances[i].Token = t.Token
			restored = true
		}
		if in.ClientID != "" && !in.Remember && in.RefreshToken == "" && t.RefreshToken != "" {
			st.Instances[i].RefreshToken = t.RefreshToken
			restored = true
		}
	}
	if restored {
		_ = store.Save(st)
	}
}

// saveMemoryTokens writes the memory-only tokens to storage.session. It runs
// on its own goroutine after each Save (whose lock it must not share).
func saveMemoryTokens(store *account.Store, session js.Value) {
	st, _ := store.Load()
	tokens := map[string]account.SessionTokens{}
	for _, in := range st.Instances {
		var t account.SessionTokens
		if !in.Remember || in.ClientID != "" {
			t.Token = in.Token
		}
		if !in.Remember && in.ClientID != "" {
			t.RefreshToken = in.RefreshToken
		}
		if !in.Demo && t != (account.SessionTokens{}) {
			tokens[in.BaseURL] = t
		}
	}
	raw, err := json.Marshal(tokens)
	if err != nil {
		return
	}
	obj := js.Global().Get("Object").New()
	obj.Set(extensionSessionKey, string(raw))
	if _, err := extAwait(session.Call("set", obj)); err != nil {
		extWarn("jobscope: memory-only token not kept for this browser session: " + err.Error())
	}
}

// extAwait waits for a promise. Call it from the main goroutine before the app
// starts or from a goroutine of one's own, never from a JS callback.
func extAwait(p js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	ch := make(chan result, 1)
	then := js.FuncOf(func(_ js.Value, args []js.Value) any {
		var v js.Value
		if len(args) > 0 {
			v = args[0]
		}
		ch <- result{v: v}
		return nil
	})
	catch := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- result{err: errors.New(extErrorText(args))}
		return nil
	})
	defer then.Release()
	defer catch.Release()
	p.Call("then", then, catch)
	r := <-ch
	return r.v, r.err
}

func extErrorText(args []js.Value) string {
	if len(args) == 0 {
		return "unknown error"
	}
	if m := args[0].Get("message"); m.Type() == js.TypeString {
		return m.String()
	}
	return args[0].String()
}

func extWarn(msg string) { js.Global().Get("console").Call("warn", msg) }
