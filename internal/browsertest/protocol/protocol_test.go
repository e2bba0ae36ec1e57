package protocol

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"

	"github.com/chromedp/cdproto"
	"github.com/chromedp/cdproto/cdp"
	jsonv2 "github.com/chromedp/cdproto/cdp/jsonv2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeTarget is a protocol session that answers as a browser of some
// version would: each method a handler, a method it lacks -32601, as
// Chromium does. It records the calls it was sent.
type fakeTarget struct {
	mu      sync.Mutex
	methods map[string]func(params []byte) (any, error)
	calls   []string
}

func (f *fakeTarget) Call(_ context.Context, method string, params, res any) error {
	f.mu.Lock()
	f.calls = append(f.calls, method)
	h, ok := f.methods[method]
	f.mu.Unlock()
	if !ok {
		return &cdproto.Error{Code: codeMethodNotFound, Message: "'" + method + "' wasn't found"}
	}
	raw, err := json.Marshal(params)
	if err != nil {
		return err
	}
	out, err := h(raw)
	if err != nil || res == nil {
		return err
	}
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	return jsonv2.Unmarshal(b, res)
}

func (f *fakeTarget) Subscribe(string) (<-chan jsonv2.Value, func()) {
	return make(chan jsonv2.Value), func() {}
}

func (f *fakeTarget) sent() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

var _ cdp.Session = (*fakeTarget)(nil)

// invalidParams is Chromium's answer to a parameter it does not know or a
// required one missing (as 148 answered emulateOfflineServiceWorker).
var invalidParams = &cdproto.Error{Code: codeInvalidParams, Message: "Invalid parameters"}

func accept([]byte) (any, error) { return struct{}{}, nil }

// page is a fake tab whose navigator.onLine follows the emulation calls
// that the fake browser has, as a real one would.
func page(methods map[string]bool, onLineFollows bool) *fakeTarget {
	f := &fakeTarget{methods: map[string]func([]byte) (any, error){}}
	onLine := true
	follow := func(raw []byte) (any, error) {
		var p struct{ Offline bool }
		if err := json.Unmarshal(raw, &p); err != nil {
			return nil, err
		}
		if onLineFollows {
			onLine = !p.Offline
		}
		return struct{}{}, nil
	}
	for m, ok := range methods {
		switch {
		case !ok:
			f.methods[m] = func([]byte) (any, error) { return nil, invalidParams }
		case m == "Network.emulateNetworkConditions" || m == "Network.overrideNetworkState":
			f.methods[m] = follow
		default:
			f.methods[m] = accept
		}
	}
	f.methods["Runtime.evaluate"] = func([]byte) (any, error) {
		return map[string]any{"result": map[string]any{"type": "boolean", "value": onLine}}, nil
	}
	return f
}

// TestSetNetworkPicksTheFormTheBrowserTakes drives each branch of the
// network emulation choice with a fake browser of each kind: one with the
// stable command, one without it (method not found), one that refuses the
// ByRule form's parameters (-32602, as Chromium 148), and one that takes a
// call without its effect.
func TestSetNetworkPicksTheFormTheBrowserTakes(t *testing.T) {
	tests := []struct {
		name        string
		methods     map[string]bool // method → accepted (false: -32602); absent: -32601
		onLine      bool            // navigator.onLine follows the emulation
		wantForm    string
		wantRefused bool
		wantWorker  []string // calls the service worker gets
	}{
		{
			name:       "stable command present (148 to 156)",
			methods:    map[string]bool{"Network.emulateNetworkConditions": true, "Network.enable": true, "Network.emulateNetworkConditionsByRule": true, "Network.overrideNetworkState": true},
			onLine:     true,
			wantForm:   FormLegacyConditions,
			wantWorker: []string{"Network.emulateNetworkConditions"},
		},
		{
			name:       "stable command removed: the ByRule form",
			methods:    map[string]bool{"Network.enable": true, "Network.emulateNetworkConditionsByRule": true, "Network.overrideNetworkState": true},
			onLine:     true,
			wantForm:   FormConditionsByRule,
			wantWorker: []string{"Network.enable", "Network.emulateNetworkConditionsByRule"},
		},
		{
			name:        "stable command removed and ByRule's parameters refused, as 148's",
			methods:     map[string]bool{"Network.enable": true, "Network.emulateNetworkConditionsByRule": false, "Network.overrideNetworkState": true},
			onLine:      true,
			wantRefused: true,
		},
		{
			name:        "calls taken without their effect",
			methods:     map[string]bool{"Network.emulateNetworkConditions": true, "Network.enable": true, "Network.emulateNetworkConditionsByRule": true, "Network.overrideNetworkState": true},
			onLine:      false,
			wantRefused: true,
			wantWorker:  []string{"Network.emulateNetworkConditions"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			SetNetwork.Reset()
			t.Cleanup(SetNetwork.Reset)
			tab := page(tt.methods, tt.onLine)
			worker := page(tt.methods, false)
			arg := NetworkArg{Tab: Tab{Page: tab, Workers: func(context.Context) ([]cdp.Session, error) {
				return []cdp.Session{worker}, nil
			}}, Conditions: Offline}

			form, err := SetNetwork.Do(context.Background(), arg)
			if tt.wantRefused {
				var unsupported *UnsupportedError
				require.ErrorAs(t, err, &unsupported)
				assert.Len(t, unsupported.Refusals, 2, "each form's refusal is named")
				assert.Contains(t, err.Error(), SetNetwork.What)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantForm, form)
			assert.Equal(t, tt.wantWorker, nonEval(worker.sent()), "the service worker's own fetches")

			// The form found is kept: the next call does not try the others.
			before := len(tab.sent())
			form, err = SetNetwork.Do(context.Background(), NetworkArg{Tab: arg.Tab, Conditions: Online})
			require.NoError(t, err)
			assert.Equal(t, tt.wantForm, form)
			other := map[string]string{
				FormLegacyConditions: "Network.emulateNetworkConditionsByRule",
				FormConditionsByRule: "Network.emulateNetworkConditions",
			}[tt.wantForm]
			assert.NotContains(t, tab.sent()[before:], other)
		})
	}
}

func nonEval(calls []string) []string {
	var out []string
	for _, c := range calls {
		if c != "Runtime.evaluate" {
			out = append(out, c)
		}
	}
	return out
}

// TestClickActionFallsBackToOpenPopup: a browser without
// Extensions.triggerAction (method not found, or refused parameters) gets
// the popup opened from the extension's worker.
func TestClickActionFallsBackToOpenPopup(t *testing.T) {
	tests := []struct {
		name     string
		browser  map[string]bool
		wantForm string
	}{
		{"triggerAction present", map[string]bool{"Extensions.triggerAction": true}, FormTriggerAction},
		{"triggerAction missing", map[string]bool{}, FormOpenPopup},
		{"triggerAction refuses its parameters", map[string]bool{"Extensions.triggerAction": false}, FormOpenPopup},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ClickAction.Reset()
			t.Cleanup(ClickAction.Reset)
			browser := page(tt.browser, false)
			worker := page(nil, false)
			form, err := ClickAction.Do(context.Background(), ActionArg{
				Browser: browser, ExtensionID: "abc", TabID: "T1",
				Worker: func(context.Context) (cdp.Session, error) { return worker, nil },
			})
			require.NoError(t, err)
			assert.Equal(t, tt.wantForm, form)
			assert.Equal(t, tt.wantForm == FormOpenPopup, len(worker.sent()) == 1, "the worker is asked only by the fallback")
		})
	}
}

// TestRefused tells the browser's refusals from other failures.
func TestRefused(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{&cdproto.Error{Code: -32601, Message: "'X.y' wasn't found"}, true},
		{&cdproto.Error{Code: -32602, Message: "Invalid parameters"}, true},
		{&cdproto.Error{Code: -32000, Message: "Not allowed"}, false},
		{ErrNoEffect, true},
		{context.DeadlineExceeded, false},
		{errors.New("connection lost"), false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Refused(tt.err), "%v", tt.err)
	}
}
