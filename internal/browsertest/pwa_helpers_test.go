package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
	"github.com/jobscope/jobscope/internal/browsertest/protocol"
	"github.com/jobscope/jobscope/internal/site"
	"github.com/stretchr/testify/require"
)

// buildPrefixedSite builds the site for prefix around the wasm TestMain
// built (make build PREFIX=..., issue 5) and returns its folder.
func buildPrefixedSite(t *testing.T, prefix string, o site.Options) string {
	t.Helper()
	dir := t.TempDir()
	wasm, err := os.ReadFile(filepath.Join(siteDir, "web", "app.wasm"))
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "web"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "web", "app.wasm"), wasm, 0o644))
	o.Dir, o.Prefix = dir, prefix
	if o.WebDir == "" {
		o.WebDir = filepath.Join(RepoRoot(), "web")
	}
	require.NoError(t, site.Build(o))
	return dir
}

// servePrefixed serves dir under prefix the way a plain static host does,
// and nothing else on the origin.
func servePrefixed(t *testing.T, dir, prefix string) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle(prefix, http.StripPrefix(strings.TrimSuffix(prefix, "/"), site.FileServer(dir, site.ServeOptions{})))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	forgetOrigin(t, srv)
	return srv
}

// installWorker waits for the page's service worker to be active, then
// reloads so that it controls the page (a worker takes over only the pages
// loaded after it, see internal/site/worker.js).
var installWorker = chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`navigator.serviceWorker.ready.then(r => r.active.state)`, chromedp.EvalAwaitPromise)); err != nil {
		return err
	}
	if err := chromedp.Do(ctx, chromedp.Reload(), waitApp); err != nil {
		return err
	}
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`navigator.serviceWorker.controller !== null`))
	return err
})

// setOffline cuts the tab's network, the service worker's own fetches
// included, and makes navigator.onLine false; offline false restores it. It
// uses the form of network emulation this browser takes and says which.
func setOffline(t testing.TB, offline bool) chromedp.Action[chromedp.Void] {
	c := protocol.Online
	if offline {
		c = protocol.Offline
	}
	return setNetwork(t, c)
}

// setNetwork emulates c for the tab (protocol.SetNetwork).
func setNetwork(t testing.TB, c protocol.Conditions) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		form, err := protocol.SetNetwork.Do(ctx, protocol.NetworkArg{Tab: tabSessions(ctx, tg), Conditions: c})
		t.Logf("network emulation (offline %v) by %s", c.Offline, form)
		return err
	})
}

// tabSessions is the tab tg of ctx as the protocol package sees it: its
// session, and sessions on the service workers of its origin, attached once
// and kept for the tab's life (an emulation ends with its session).
func tabSessions(ctx context.Context, tg *chromedp.Target) protocol.Tab {
	return protocol.Tab{Page: tg, Workers: func(wctx context.Context) ([]cdp.Session, error) {
		origin, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.origin`))
		if err != nil {
			return nil, err
		}
		infos, err := chromedp.Targets(ctx)
		if err != nil {
			return nil, err
		}
		var out []cdp.Session
		for _, ti := range infos {
			if ti.Type != "service_worker" || !strings.HasPrefix(ti.URL, origin+"/") {
				continue
			}
			key := string(tg.TargetID) + "/" + string(ti.TargetID)
			if s, ok := workerSessions.Load(key); ok {
				out = append(out, s.(cdp.Session))
				continue
			}
			w, _ := chromedp.NewContext(ctx, chromedp.WithTargetID(ti.TargetID), chromedp.WithDetachOnCancel())
			if err := chromedp.Do(w); err != nil {
				return nil, fmt.Errorf("attach to the service worker %s: %w", ti.URL, err)
			}
			s := chromedp.FromContext(w).Target
			workerSessions.Store(key, s)
			out = append(out, s)
		}
		return out, nil
	}}
}

// workerSessions holds the service worker sessions of each tab, by
// "tab id/worker id"; they detach when the tab's context ends.
var workerSessions sync.Map
