package gitlabfake

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// controlPrefix is where the emulator's own endpoints live, outside /api so
// no GitLab client can hit them by accident. No authentication: the
// emulator listens on loopback, and only pages on loopback may call them
// (loopbackOrigin).
const controlPrefix = "/-/emulator/"

// serveControl answers the control endpoints (README.md):
//
//	GET    /-/emulator/info    Info as JSON (api_url from the request)
//	GET    /-/emulator/faults  faults in force
//	POST   /-/emulator/faults  {"route":"GET /projects/:id/jobs","status":503,"latency":"2s","times":1,...}
//	DELETE /-/emulator/faults  clear all faults
//	GET    /-/emulator/clock   {"now":...}
//	POST   /-/emulator/clock   {"advance":"30s"}
//	POST   /-/emulator/ratelimit {"project_jobs_per_minute":N,"requests_per_minute":M}
func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	// A web page open in a browser while the emulator runs must not read the
	// job token or inject faults: browsers name the page's origin on every
	// cross-origin fetch and every POST, so a request naming another origin
	// than loopback is refused before anything happens. Pages on loopback
	// (the demo's site, browser tests) and clients without an Origin (curl,
	// tests) pass.
	if o := r.Header.Get("Origin"); o != "" && !loopbackOrigin(o) {
		errorJSON(http.StatusForbidden, "the control endpoints answer pages on loopback only, not "+o).write(w, r)
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS")
	w.Header().Set("Access-Control-Allow-Headers", "Content-Type")
	if r.Method == http.MethodOptions {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	var resp *response
	switch r.URL.Path[len(controlPrefix)-1:] {
	case "/info":
		info := s.Info()
		info.APIURL = s.baseURL(r) + "/api/v4"
		resp = jsonResponse(http.StatusOK, info)
	case "/faults":
		resp = s.controlFaults(r)
	case "/clock":
		resp = s.controlClock(r)
	case "/ratelimit":
		resp = s.controlRateLimit(r)
	case "/oauth/applications":
		resp = s.controlOAuthApplications(r) // oauth.go
	default:
		resp = errorJSON(http.StatusNotFound, "unknown control endpoint")
	}
	resp.write(w, r)
}

// loopbackOrigin reports whether origin is an http(s) origin on a loopback
// address or localhost. "null" (sandboxed frames, files) is not.
func loopbackOrigin(origin string) bool {
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (s *Server) controlFaults(r *http.Request) *response {
	switch r.Method {
	case http.MethodGet:
		out := map[Route]routedFault{}
		for rt, f := range s.Faults() {
			out[rt] = newRoutedFault(rt, f)
		}
		return jsonResponse(http.StatusOK, out)
	case http.MethodDelete:
		s.ClearFaults()
		return jsonResponse(http.StatusOK, map[string]any{})
	case http.MethodPost:
		var rf routedFault
		if err := decodeControl(r, &rf); err != nil {
			return errorJSON(http.StatusBadRequest, err.Error())
		}
		if rf.Route != routeAny && !knownRoute(rf.Route) {
			return errorJSON(http.StatusBadRequest, "unknown route "+string(rf.Route)+`: use "*" or one of Routes, e.g. "GET /projects/:id/jobs"`)
		}
		f := Fault(rf.faultFields)
		if rf.Latency != "" {
			d, err := time.ParseDuration(rf.Latency)
			if err != nil || d < 0 {
				return errorJSON(http.StatusBadRequest, "latency must be a Go duration like 250ms")
			}
			f.Latency = d
		}
		if f.Status != 0 && (f.Status < 400 || f.Status > 599) {
			return errorJSON(http.StatusBadRequest, "status must be 4xx or 5xx")
		}
		s.SetFault(rf.Route, f)
		return jsonResponse(http.StatusOK, newRoutedFault(rf.Route, f))
	}
	return errorJSON(http.StatusMethodNotAllowed, "use GET, POST or DELETE")
}

func knownRoute(rt Route) bool {
	for _, r := range Routes {
		if r == rt {
			return true
		}
	}
	return false
}

func (s *Server) controlClock(r *http.Request) *response {
	if r.Method == http.MethodPost {
		var req struct {
			Advance string `json:"advance"`
		}
		if err := decodeControl(r, &req); err != nil {
			return errorJSON(http.StatusBadRequest, err.Error())
		}
		d, err := time.ParseDuration(req.Advance)
		if err != nil || d < 0 {
			return errorJSON(http.StatusBadRequest, "advance must be a non-negative Go duration like 30s")
		}
		s.AdvanceClock(d)
	}
	return jsonResponse(http.StatusOK, map[string]any{"now": apiTime(s.Now()), "frozen": s.opts.Frozen})
}

func (s *Server) controlRateLimit(r *http.Request) *response {
	if r.Method == http.MethodPost {
		var req struct {
			ProjectJobs int `json:"project_jobs_per_minute"`
			Requests    int `json:"requests_per_minute"`
		}
		if err := decodeControl(r, &req); err != nil {
			return errorJSON(http.StatusBadRequest, err.Error())
		}
		s.SetRateLimit(RateLimit{ProjectJobsPerMinute: req.ProjectJobs, RequestsPerMinute: req.Requests})
	}
	s.mu.Lock()
	rl := s.opts.RateLimit
	s.mu.Unlock()
	return jsonResponse(http.StatusOK, map[string]int{"project_jobs_per_minute": rl.ProjectJobsPerMinute,
		"requests_per_minute": rl.RequestsPerMinute})
}

func decodeControl(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<16))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
