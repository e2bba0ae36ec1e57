package protocol

import (
	"context"
	"fmt"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
)

// Conditions is a network to emulate: offline, or throttled (bytes per
// second; -1 is no limit), as DevTools' own presets are given.
type Conditions struct {
	Offline            bool
	Latency            float64 // ms added to each response
	DownloadThroughput float64 // bytes/s, -1 for no limit
	UploadThroughput   float64 // bytes/s, -1 for no limit
}

// Online is the network as it is: no emulation.
var Online = Conditions{DownloadThroughput: -1, UploadThroughput: -1}

// Offline is no network at all.
var Offline = Conditions{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}

// Tab is a tab's session, with a way to reach its service workers: their
// own fetches are emulated apart from the tab's in some forms.
type Tab struct {
	Page cdp.Session
	// Workers returns sessions on the service workers of the tab's origin,
	// attached for as long as the tab lives: a session's emulation ends when
	// the session detaches.
	Workers func(ctx context.Context) ([]cdp.Session, error)
}

// NetworkArg is what SetNetwork works on.
type NetworkArg struct {
	Tab
	Conditions
}

// legacyEmulate is Network.emulateNetworkConditions, stable since the
// protocol's 1.3 and deprecated since Chromium 141 in favour of the ByRule
// form; cdproto no longer generates it, so it is declared here.
var legacyEmulate = cdp.Command[legacyParams, cdp.Empty]{Method: "Network.emulateNetworkConditions"}

type legacyParams struct {
	Offline            bool    `json:"offline"`
	Latency            float64 `json:"latency"`
	DownloadThroughput float64 `json:"downloadThroughput"`
	UploadThroughput   float64 `json:"uploadThroughput"`
}

// Form names, as the tests' output says them.
const (
	FormLegacyConditions = "Network.emulateNetworkConditions on the tab and its service workers"
	FormConditionsByRule = "Network.emulateNetworkConditionsByRule on the tab and its service workers, and Network.overrideNetworkState"
)

// SetNetwork emulates a network for a tab, its service workers' fetches and
// navigator.onLine included. The stable (if deprecated) command comes first;
// the ByRule form, experimental and changed between 148 and 150 (Chromium
// 148 refuses emulateOfflineServiceWorker with -32602), is the fallback for
// a browser that has dropped the stable one.
var SetNetwork = &Choice[NetworkArg]{
	What: "network emulation (offline and throttling)",
	Forms: []Form[NetworkArg]{
		{Name: FormLegacyConditions, Do: setNetworkLegacy},
		{Name: FormConditionsByRule, Do: setNetworkByRule},
	},
}

func setNetworkLegacy(ctx context.Context, a NetworkArg) error {
	p := legacyParams{a.Offline, a.Latency, a.DownloadThroughput, a.UploadThroughput}
	if _, err := cdp.Call(ctx, a.Page, legacyEmulate, p); err != nil {
		return err
	}
	workers, err := a.Workers(ctx)
	if err != nil {
		return fmt.Errorf("find the service workers: %w", err)
	}
	for _, w := range workers {
		if _, err := cdp.Call(ctx, w, legacyEmulate, p); err != nil {
			return err
		}
	}
	return waitOnLine(ctx, a.Page, !a.Offline)
}

func setNetworkByRule(ctx context.Context, a NetworkArg) error {
	offline := a.Offline
	rule := network.EmulateNetworkConditionsByRuleParams{
		EmulateOfflineServiceWorker: &offline,
		MatchedNetworkConditions: []*network.Conditions{{
			Offline: a.Offline, Latency: a.Latency,
			DownloadThroughput: a.DownloadThroughput, UploadThroughput: a.UploadThroughput,
		}},
	}
	// emulateOfflineServiceWorker alone leaves the worker's own fetches
	// online (seen on 150 and 156): the rule goes to each worker too.
	workers, err := a.Workers(ctx)
	if err != nil {
		return fmt.Errorf("find the service workers: %w", err)
	}
	for _, s := range append([]cdp.Session{a.Page}, workers...) {
		if _, err := cdp.Call(ctx, s, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, s, network.EmulateNetworkConditionsByRule, rule); err != nil {
			return err
		}
	}
	_, err = cdp.Call(ctx, a.Page, network.OverrideNetworkState, network.OverrideNetworkStateParams{
		Offline: a.Offline, Latency: a.Latency,
		DownloadThroughput: a.DownloadThroughput, UploadThroughput: a.UploadThroughput,
	})
	if err != nil {
		return err
	}
	return waitOnLine(ctx, a.Page, !a.Offline)
}

// waitOnLine checks the form's effect that the page can see: navigator.onLine
// changes shortly after the emulation (the renderer is told asynchronously).
// A second is ample; past it the form did not take.
func waitOnLine(ctx context.Context, page cdp.Session, want bool) error {
	yes := true
	deadline := time.Now().Add(time.Second)
	for {
		res, err := cdp.Call(ctx, page, runtime.Evaluate, runtime.EvaluateParams{
			Expression: "navigator.onLine", ReturnByValue: &yes,
		})
		if err != nil {
			return err
		}
		if res.Result != nil && string(res.Result.Value) == fmt.Sprint(want) {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("navigator.onLine is not %v: %w", want, ErrNoEffect)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}
