package gitlabfake

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jobscope/jobscope/internal/gitlabfake/oauthprovider"
)

// Options configure a Server. The zero value is a live demo on the real
// clock, seed 1, accepting DefaultToken.
type Options struct {
	// Token is the personal access token accepted with scope api (§2.1);
	// empty means DefaultToken. The other exported *Token constants are
	// always accepted too.
	Token string
	// Clock drives logs, durations and job progress; nil is the real clock.
	Clock Clock
	// Frozen stops the clock (at the real time of New when Clock is nil):
	// nothing changes unless a request does.
	Frozen bool
	// Seed makes the demo data; 0 means 1. Same seed, same data (given the
	// same start time).
	Seed int64
	// SeedFile is a fixtures JSON file added to the seeded data (README.md).
	SeedFile string
	// BaseURL is GitLab's external URL, used in web_url fields and Link
	// headers (§7.1). Empty: taken from each request's Host.
	BaseURL string
	// RateLimit configures 429s (§9); the zero value disables them.
	RateLimit RateLimit
	// Trace plays the kinds of GitLab a log can come from: byte ranges and
	// compression, which GitLab's Rails answer lacks but a proxy in front of
	// it may add (README.md, "The job log").
	Trace TraceOptions
	// ObjectStorage, served at ObjectStorageURL (another origin), keeps the
	// artifact archives: GET .../artifacts answers 302 to it, as GitLab does
	// with object storage and direct downloads (§11). Nil: the archive is
	// served directly, as with GitLab's local storage.
	ObjectStorage    *ObjectStorage
	ObjectStorageURL string
}

// Server is the emulator. It implements http.Handler; all methods are safe
// for concurrent use.
type Server struct {
	opts  Options
	clock Clock
	seed  int64
	start time.Time

	mu            sync.Mutex // guards everything below and all model objects
	offset        time.Duration
	advanced      time.Time
	users         map[string]*user
	tokens        map[string]*tokenInfo
	projects      []*project // in Info order: the richest first
	jobs          map[int64]*job
	pipes         map[int64]*pipeline
	jobTokens     map[string]*job
	nextJob       int64
	nextPipe      int64
	nextSpawn     time.Time // when the live demo starts its next pipeline
	showcase      *pipeline // has a retried job and a bridge (Info.PipelineID)
	liveJob       *job      // the running job with the growing log (Info.JobToken)
	testsPipeline *pipeline // failed jobs with test reports (TestsPipeline)
	histories     Histories // green → red (history.go)
	demo          *user

	faults  faults
	limiter limiter
	oauth   *oauthprovider.Provider // mounted at /oauth/; has its own lock
	reqSeq  atomic.Uint64
}

// Open returns a Server with fresh seed data, or an error if the seed file
// cannot be loaded.
func Open(opts Options) (*Server, error) {
	s := &Server{opts: opts, clock: opts.Clock, seed: opts.Seed}
	if s.seed == 0 {
		s.seed = 1
	}
	if s.clock == nil {
		s.clock = realClock{}
		if opts.Frozen {
			s.clock = NewManualClock(time.Now().UTC().Truncate(time.Second))
		}
	}
	s.start = s.clock.Now()
	s.advanced = s.start
	s.seedDemo()
	s.oauth = oauthprovider.New(s.Now, oauthprovider.User{ID: s.demo.ID, Username: s.demo.Username})
	if opts.SeedFile != "" {
		if err := s.loadFixtures(opts.SeedFile); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// New is Open for callers whose options cannot fail: it panics if
// opts.SeedFile cannot be loaded (like regexp.MustCompile). Use Open to get
// the error instead.
func New(opts Options) *Server {
	s, err := Open(opts)
	if err != nil {
		panic("gitlabfake: " + err.Error())
	}
	return s
}

// now is the emulator's time: the clock plus what the clock control
// endpoint added. Called with s.mu held.
func (s *Server) now() time.Time { return s.clock.Now().Add(s.offset) }

// Now returns the emulator's current time.
func (s *Server) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now()
}

// AdvanceClock moves the emulator's time forward by d on top of its Clock
// (works with any Clock, including a frozen one).
func (s *Server) AdvanceClock(d time.Duration) {
	s.mu.Lock()
	s.offset += d
	s.mu.Unlock()
}

// ServeHTTP serves the API, the v3 tombstone and the control endpoints.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	t0 := time.Now()
	w.Header().Set("X-Request-Id", s.requestID())
	path := r.URL.EscapedPath()
	switch {
	case strings.HasPrefix(path, controlPrefix):
		s.serveControl(w, r)
	case path == "/api" || strings.HasPrefix(path, "/api/"):
		s.serveAPI(w, r, path, t0)
	case strings.HasPrefix(path, "/oauth/"):
		s.oauth.ServeHTTP(w, r) // GitLab's OAuth provider (package oauthprovider)
	case s.serveWeb(w, r): // web.go: stand-in pages at GitLab's web URL shapes
	default:
		// Outside /api GitLab serves its web UI; the emulator has none.
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte("404 page not found: the emulator serves /api/v4 and " + controlPrefix + "\n"))
	}
}

// requestID mimics GitLab's correlation ids (26 Crockford base32 chars).
func (s *Server) requestID() string {
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	n := s.reqSeq.Add(1)
	v := uint64(time.Now().UnixMilli())<<16 ^ n*0x9E3779B97F4A7C15
	var b [26]byte
	for i := range b {
		b[i] = alphabet[v%32]
		v = v/32 ^ n<<uint(i%8)
	}
	b[0] = '0'
	return string(b[:])
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, path string, t0 time.Time) {
	h := w.Header()
	h.Add("Vary", "Origin") // rack-cors, every /api response (§10)
	if s.cors(w, r) {
		return // preflight answered by the middleware, before auth (§10)
	}
	if s.throttled(w, r) {
		return // Rack::Attack runs before the API (§9)
	}
	// Security headers on every API response (§1, gitlab: lib/api/api.rb).
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'")
	if strings.HasPrefix(path, "/api/v3/") || path == "/api/v3" {
		writeRaw(w, http.StatusGone, `{"error":"API V3 is no longer supported. Use API V4 instead."}`)
		return
	}
	if !strings.HasPrefix(path, "/api/v4/") {
		notFoundRoute(w)
		return
	}
	rt, params, allowed := match(r.Method, strings.TrimPrefix(path, "/api/v4"))
	if rt == routeNone {
		if r.Method == http.MethodOptions && len(allowed) > 0 {
			// Grape answers a bare OPTIONS itself (⚠ Allow text unconfirmed).
			h.Set("Allow", "OPTIONS, "+strings.Join(allowed, ", "))
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if len(allowed) > 0 {
			// Grape's MethodNotAllowed, rendered by lib/api/api.rb with error!
			// (⚠ inferred: the catch-all route could take it instead).
			h.Set("Allow", "OPTIONS, "+strings.Join(allowed, ", "))
			writeRaw(w, http.StatusMethodNotAllowed, `{"error":"405 Not Allowed"}`)
			return
		}
		notFoundRoute(w)
		return
	}
	f, ok := s.faults.take(rt)
	if ok && !f.before(w, r) {
		return
	}
	resp := conditionalGet(r, s.respond(r, rt, params))
	if ok {
		resp = f.after(r, resp)
	}
	h.Set("X-Runtime", fmt.Sprintf("%.6f", time.Since(t0).Seconds())) // Rack::Runtime (§4)
	resp.write(w, r)
}

// notFoundRoute is the catch-all route (§1, §3).
func notFoundRoute(w http.ResponseWriter) {
	rawJSON(http.StatusNotFound, `{"error":"404 Not Found"}`).write(w, nil)
}

func writeRaw(w http.ResponseWriter, code int, body string) { rawJSON(code, body).write(w, nil) }
