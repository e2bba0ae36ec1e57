// Package demo is `make run`: the built static site and the GitLab Jobs API
// emulator, side by side on two loopback ports (two origins, so the browser
// applies CORS as it does with a real GitLab), the site already connected to
// the emulator with the demo token. Run prints
//
//	site: http://127.0.0.1:PORT/
//	api: http://127.0.0.1:PORT/api/v4
//
// first, then serves until its context is done; the command
// (internal/cmd/demo) cancels it on Ctrl-C (SIGINT) or SIGTERM.
//
// The connection reaches the app without putting the token in a URL: every
// HTML page gets a marker <meta name="jobscope-demo">, and only then does the
// app fetch /demo-config.json (same origin, no-store) holding the emulator's
// address, the demo token (kept in memory only) and the page to open, the
// richest project's job list.
package demo

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/jobscope/jobscope/app"
	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/jobscope/jobscope/internal/site"
)

// Run serves until ctx is done. args are the command's flags (-site,
// -site-listen, -api-listen); stdout gets the addresses, site first.
func Run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	dir := fs.String("site", "dist/site", "the built site (make build)")
	siteAddr := fs.String("site-listen", "127.0.0.1:8928", "loopback address of the site; port 0 picks a free one")
	apiAddr := fs.String("api-listen", "127.0.0.1:8929", "loopback address of the emulator; port 0 picks a free one")
	if err := fs.Parse(args); err != nil {
		return err
	}
	d, err := Start(*dir, *siteAddr, *apiAddr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "site: %s/\n", d.SiteURL)
	fmt.Fprintf(stdout, "api: %s/api/v4\n", d.APIURL)
	fmt.Fprintln(stdout, "The site is already connected to the emulator with its demo token (kept in memory only).")
	fmt.Fprintln(stdout, "Or choose \"Sign in with GitLab\" on the Connect page: the emulator plays GitLab's consent page.")
	fmt.Fprintf(stdout, "opens on: %s%s\n", d.SiteURL, d.Config.Start)
	fmt.Fprintln(stdout, "Ctrl-C stops both.")

	select {
	case err = <-d.errc:
	case <-ctx.Done():
	}
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// Demo is the demo running: the site, connected, and the emulator, each on
// its loopback origin. Tools that audit the app against a GitLab (pwabench)
// start one as Run does.
type Demo struct {
	SiteURL, APIURL string // origins, without a trailing slash
	Emulator        *gitlabfake.Server
	Config          app.DemoConfig

	servers []*http.Server
	errc    chan error
}

// Start serves the built site in dir on siteAddr and the emulator on
// apiAddr (loopback only; port 0 picks a free one) until Close.
func Start(dir, siteAddr, apiAddr string) (*Demo, error) {
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
		return nil, fmt.Errorf("no site in %s: run make build first", dir)
	}
	siteLn, err := listenLoopback(siteAddr)
	if err != nil {
		return nil, err
	}
	apiLn, err := listenLoopback(apiAddr)
	if err != nil {
		siteLn.Close()
		return nil, err
	}
	d := &Demo{SiteURL: "http://" + siteLn.Addr().String(), APIURL: "http://" + apiLn.Addr().String(), errc: make(chan error, 2)}
	d.Emulator = gitlabfake.New(gitlabfake.Options{BaseURL: d.APIURL})
	if d.Config, err = demoConfig(d.Emulator, d.APIURL); err == nil {
		var siteHandler http.Handler
		if siteHandler, err = newSiteHandler(dir, d.Config); err == nil {
			d.servers = []*http.Server{
				{Handler: siteHandler, ReadHeaderTimeout: 10 * time.Second},
				{Handler: d.Emulator, ReadHeaderTimeout: 10 * time.Second},
			}
		}
	}
	if err != nil {
		siteLn.Close()
		apiLn.Close()
		return nil, err
	}
	go func() { d.errc <- d.servers[0].Serve(siteLn) }()
	go func() { d.errc <- d.servers[1].Serve(apiLn) }()
	return d, nil
}

// Close stops both servers, waiting up to 5 s for requests under way.
func (d *Demo) Close() error {
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var err error
	for _, s := range d.servers {
		if serr := s.Shutdown(shut); serr != nil && err == nil {
			err = serr
		}
	}
	return err
}

// listenLoopback listens on addr, which must be a loopback address: the demo
// hands out a working token and must not be reachable from the network. A
// port already in use (another demo, `make emulator`) gives way to a free
// one, since the printed addresses are what people follow.
func listenLoopback(addr string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("listen address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("listen address %q: the demo listens on loopback only (127.0.0.1 or ::1)", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return net.Listen("tcp", net.JoinHostPort(host, "0"))
	}
	return ln, err
}

// demoConfig describes the emulator to the app: address, token, the demo
// user's name (asked from the emulator itself), and the richest project's
// job list as the page to open (Info lists the richest project first).
func demoConfig(emu *gitlabfake.Server, apiURL string) (app.DemoConfig, error) {
	info := emu.Info()
	if len(info.Projects) == 0 {
		return app.DemoConfig{}, errors.New("the emulator has no projects")
	}
	cfg := app.DemoConfig{
		BaseURL: apiURL,
		Token:   info.Token,
		// "Sign in with GitLab" works too: the emulator's public
		// application accepts this loopback site's callback on any port.
		ClientID: gitlabfake.DemoClientID,
		Start:    app.Route{Screen: app.ScreenJobs, Project: info.Projects[0]}.Path(),
	}
	req := httptest.NewRequest(http.MethodGet, "/api/v4/user", nil)
	req.Header.Set("PRIVATE-TOKEN", info.Token)
	rec := httptest.NewRecorder()
	emu.ServeHTTP(rec, req)
	var user struct {
		Username string `json:"username"`
	}
	if rec.Code == http.StatusOK && json.Unmarshal(rec.Body.Bytes(), &user) == nil {
		cfg.User = user.Username
	}
	return cfg, nil
}

// newSiteHandler serves the site as a static host would (nginx's way: deep
// links with status 200), plus the demo's marker and config, with a CSP
// header that lets the page call only itself and the emulator.
func newSiteHandler(dir string, cfg app.DemoConfig) (http.Handler, error) {
	body, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	files := site.FileServer(dir, site.ServeOptions{
		Head:   `<meta name="` + app.DemoMetaName + `" content="1">`,
		Header: http.Header{"Content-Security-Policy": {site.CSP([]string{cfg.BaseURL})}},
		// A job's address is opened and shared most: answer it with 200.
		DeepLinksOK: true,
	})
	mux := http.NewServeMux()
	mux.Handle("/", files)
	mux.HandleFunc("GET "+app.DemoConfigPath, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(body)
	})
	return mux, nil
}
