package gitlabfake

import (
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// RateLimit configures the two layers of GitLab's rate limiting (§9). Zero
// values disable them, which is what tests want by default.
type RateLimit struct {
	// ProjectJobsPerMinute is the application limit
	// project_jobs_api_rate_limit on GET /projects/:id/jobs, per user
	// (GitLab's default is 600). Over it: 429 with a JSON body and no
	// Retry-After.
	ProjectJobsPerMinute int
	// RequestsPerMinute is a Rack::Attack throttle on every /api request, per
	// user (per IP when anonymous). Over it: 429 text/plain "Retry later"
	// with Retry-After and RateLimit-* headers.
	RequestsPerMinute int
}

// limiter counts requests in fixed windows aligned to the Unix epoch, as
// both Rack::Attack and Gitlab::ApplicationRateLimiter do, on the
// emulator's clock (a frozen clock never resets a window).
type limiter struct {
	mu     sync.Mutex
	counts map[string]int // key + window start
}

// hit counts one request under key and returns the new count and when the
// window resets.
func (l *limiter) hit(key string, now time.Time, period int64) (count int, reset int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.counts == nil {
		l.counts = map[string]int{}
	}
	t := now.Unix()
	start := t - t%period
	k := key + "@" + strconv.FormatInt(start, 10)
	l.counts[k]++
	return l.counts[k], start + period
}

// SetRateLimit changes the rate limits at run time.
func (s *Server) SetRateLimit(rl RateLimit) {
	s.mu.Lock()
	s.opts.RateLimit = rl
	s.mu.Unlock()
}

// throttled applies the Rack::Attack layer before the API (§9, §10: after
// CORS preflights). It reports whether it answered the request.
func (s *Server) throttled(w http.ResponseWriter, r *http.Request) bool {
	s.mu.Lock()
	limit := s.opts.RateLimit.RequestsPerMinute
	now := s.now()
	name, key := "throttle_unauthenticated_api", "ip:"+clientIP(r)
	if t := firstNonEmpty(r.Header.Get("PRIVATE-TOKEN"), r.URL.Query().Get("private_token"), r.Header.Get("JOB-TOKEN")); t != "" {
		name, key = "throttle_authenticated_api", "token:"+t
	} else if t, ok := bearer(r); ok {
		name, key = "throttle_authenticated_api", "token:"+t
	}
	s.mu.Unlock()
	if limit <= 0 {
		return false
	}
	count, reset := s.limiter.hit(key, now, 60)
	h := w.Header()
	// Newer GitLab sends these on every throttled-path response (§9).
	h.Set("RateLimit-Name", name)
	h.Set("RateLimit-Limit", strconv.Itoa(limit))
	h.Set("RateLimit-Observed", strconv.Itoa(count))
	h.Set("RateLimit-Remaining", strconv.Itoa(max(limit-count, 0)))
	h.Set("RateLimit-Reset", strconv.FormatInt(reset, 10))
	if count <= limit {
		return false
	}
	rackAttack429(h, limit, count, now)
	h.Set("RateLimit-Name", name)
	writeText(w, http.StatusTooManyRequests, "Retry later\n")
	return true
}

// rackAttack429 sets the headers of gitlab: lib/gitlab/rack_attack.rb's
// throttled response for a 60 s period.
func rackAttack429(h http.Header, limit, observed int, now time.Time) {
	t := now.Unix()
	reset := t + (60 - t%60)
	if h.Get("RateLimit-Name") == "" {
		h.Set("RateLimit-Name", "throttle_authenticated_api")
	}
	h.Set("RateLimit-Limit", strconv.Itoa(limit))
	h.Set("RateLimit-Observed", strconv.Itoa(observed))
	h.Set("RateLimit-Remaining", strconv.Itoa(max(limit-observed, 0)))
	h.Set("RateLimit-Reset", strconv.FormatInt(reset, 10))
	h.Set("RateLimit-ResetTime", time.Unix(reset, 0).UTC().Format(http.TimeFormat))
	h.Set("Retry-After", strconv.FormatInt(reset-t, 10))
	h.Set("Content-Type", "text/plain")
}

// throttleJobsList is check_rate_limit!(:project_jobs_api) (§9): JSON body,
// no Retry-After. Called with s.mu held.
func (s *Server) throttleJobsList(c *call) *response {
	limit := s.opts.RateLimit.ProjectJobsPerMinute
	if limit <= 0 {
		return nil
	}
	key := "jobs:anon"
	if c.cred.user != nil {
		key = "jobs:" + strconv.FormatInt(c.cred.user.ID, 10)
	}
	if count, _ := s.limiter.hit(key, c.now, 60); count <= limit {
		return nil
	}
	return rawJSON(http.StatusTooManyRequests, `{"message":{"error":"This endpoint has been requested too many times. Try again later."}}`)
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
