package storage

import (
	"encoding/json"
	"errors"
	"sync"
	"syscall/js"

	"github.com/jobscope/jobscope/internal/account"
)

// Open reads the settings in storage.local of api (the browser or chrome
// namespace, API) into the returned KV. It waits for the browser's
// storage: run it on the main goroutine before ui.RunWhenOnBrowser.
func Open(api js.Value) *KV {
	area := api.Get("storage")
	kv := &KV{area: area, local: area.Get("local"), cache: map[string]string{}, echoes: map[string]int{}}
	if v, err := Await(kv.local.Call("get", account.SettingsKey)); err == nil {
		if s := v.Get(account.SettingsKey); s.Type() == js.TypeString {
			kv.cache[account.SettingsKey] = s.String()
		}
	} else {
		Warn("jobscope: extension storage unreadable: " + err.Error())
	}
	return kv
}

// Keep makes store's memory-only tokens live in storage.session: it gives
// them back to store now, writes them after every Set, and follows what the
// background writes to either area. Call it once, right after Open.
func (k *KV) Keep(store *account.Store) {
	if session := k.area.Get("session"); session.Truthy() {
		restoreMemoryTokens(store, session)
		k.afterSet = func() { go saveMemoryTokens(store, session) }
	}
	k.follow(store)
}

// API is the extension's namespace: browser on Firefox, chrome on Chromium.
func API() js.Value {
	api := js.Global().Get("browser")
	if !api.Truthy() {
		api = js.Global().Get("chrome")
	}
	return api
}

// KV is storage.local behind account.KV: reads from a cache filled at
// start, writes to the cache at once and to storage.local in the background
// (a failure is logged, as the caller may be on the UI goroutine, which
// must not wait for a promise).
type KV struct {
	area     js.Value // api.storage
	local    js.Value
	afterSet func()

	mu     sync.Mutex
	cache  map[string]string
	echoes map[string]int // values this page wrote, until storage.onChanged reports them
}

// Get implements account.KV.
func (k *KV) Get(key string) (string, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.cache[key]
	return v, ok
}

// Set implements account.KV.
func (k *KV) Set(key, value string) error {
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
		Warn("jobscope: settings not stored: " + errorText(args))
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
func (k *KV) follow(store *account.Store) {
	k.area.Get("onChanged").Call("addListener", js.FuncOf(func(_ js.Value, args []js.Value) any {
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
		if c := changes.Get(SessionKey); name == "session" && c.Truthy() && c.Get("newValue").Type() == js.TypeString {
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
	v, err := Await(session.Call("get", SessionKey))
	if err != nil {
		return
	}
	var tokens map[string]account.SessionTokens
	if s := v.Get(SessionKey); s.Type() != js.TypeString || json.Unmarshal([]byte(s.String()), &tokens) != nil {
		return
	}
	if _, err := store.Load(); err != nil {
		return // unreadable settings: the page says so, and nothing is rewritten
	}
	_ = store.Update(func(st *account.Settings) bool {
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
		return restored
	})
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
	obj.Set(SessionKey, string(raw))
	if _, err := Await(session.Call("set", obj)); err != nil {
		Warn("jobscope: memory-only token not kept for this browser session: " + err.Error())
	}
}

// Await waits for a promise of the extension's APIs: its storage areas
// answer with promises, and so do messages to the background
// (extension/signin). Call it from the main goroutine before the app
// starts or from a goroutine of one's own, never from a JS callback.
func Await(p js.Value) (js.Value, error) {
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
		ch <- result{err: errors.New(errorText(args))}
		return nil
	})
	defer then.Release()
	defer catch.Release()
	p.Call("then", then, catch)
	r := <-ch
	return r.v, r.err
}

func errorText(args []js.Value) string {
	if len(args) == 0 {
		return "unknown error"
	}
	if m := args[0].Get("message"); m.Type() == js.TypeString {
		return m.String()
	}
	return args[0].String()
}

// Warn writes msg to the console: a failure the user cannot act on, which
// must not stop the popup.
func Warn(msg string) { js.Global().Get("console").Call("warn", msg) }
