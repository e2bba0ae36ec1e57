package gitlab

import (
	"context"
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Backoff decides how reads (GET) are retried after 429, 502, 503, 504 or a
// network failure. Actions (POST) are never retried: a repeated retry would
// start a job twice (style.md §6).
//
// Waits grow exponentially from Base (from RateLimitBase after a 429), capped
// at Max, with "equal jitter": half the wait fixed, half random, so clients
// that failed together do not return together, yet none comes back at once.
// A readable Retry-After (or RateLimit-Reset) replaces the computed wait; if
// it exceeds Max the error is returned at once, carrying RetryAfter, rather
// than blocking the caller for minutes.
type Backoff struct {
	// MaxAttempts counts tries, the first included; below 2 nothing is retried.
	MaxAttempts int
	// Base is the first wait after a 5xx or network failure; it doubles.
	Base time.Duration
	// RateLimitBase is the first wait after a 429 without a readable
	// Retry-After: always so in browsers (CORS hides it, gitlab-api.md §10)
	// and for the jobs list's own limiter, whose JSON 429 has none (§9).
	// That limiter counts per minute, so seconds, not milliseconds.
	RateLimitBase time.Duration
	// Max caps one wait, and the Retry-After the client is willing to sleep.
	Max time.Duration
	// Sleep waits d or until ctx ends (returning ctx.Err()); nil uses a timer.
	// Tests make it instant.
	Sleep func(ctx context.Context, d time.Duration) error
	// Jitter returns a number in [0, 1); nil uses math/rand/v2.
	Jitter func() float64
}

// DefaultBackoff: 4 tries; 5xx waits about 0.5-1 s, 1-2 s, 2-4 s; 429 waits
// about 2.5-5 s, 5-10 s, 10-20 s (so a per-minute window has mostly passed
// by the last try, about 35 s in, on a page a person is looking at); a
// Retry-After up to 60 s is honoured.
var DefaultBackoff = Backoff{
	MaxAttempts:   4,
	Base:          time.Second,
	RateLimitBase: 5 * time.Second,
	Max:           60 * time.Second,
}

// NoBackoff never retries.
var NoBackoff = Backoff{MaxAttempts: 1}

// timeNow is the clock for Retry-After dates and RateLimit-Reset.
var timeNow = time.Now

// next returns the wait before try attempt+1 after err, and whether to retry.
func (b Backoff) next(attempt int, err error) (time.Duration, bool) {
	if attempt >= b.MaxAttempts {
		return 0, false
	}
	base := b.Base
	var e *Error
	if errors.As(err, &e) {
		if !e.Temporary() {
			return 0, false
		}
		if e.RetryAfter > 0 {
			return e.RetryAfter, e.RetryAfter <= b.Max
		}
		if e.StatusCode == 429 {
			base = b.RateLimitBase
		}
	}
	d := base << (attempt - 1)
	if d <= 0 || d > b.Max { // <= 0: shifted past int64
		d = b.Max
	}
	j := b.Jitter
	if j == nil {
		j = rand.Float64
	}
	return d/2 + time.Duration(j()*float64(d/2)), true
}

func (b Backoff) sleep(ctx context.Context, d time.Duration) error {
	if b.Sleep != nil {
		return b.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// httpDate is RFC 9110's IMF-fixdate (net/http.TimeFormat, without net/http).
const httpDate = "Mon, 02 Jan 2006 15:04:05 GMT"

// retryAfter reads Retry-After (seconds or an HTTP date), else, for a 429,
// RateLimit-Reset (Unix seconds, gitlab-api.md §9). Newer GitLab sends
// RateLimit-* on every response, so on other statuses the reset time of a
// window that was not exceeded says nothing. It returns 0 when nothing is
// present or readable, and never a negative duration.
func retryAfter(h Header, status int, now time.Time) time.Duration {
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if s, err := strconv.ParseInt(v, 10, 64); err == nil {
			return seconds(s)
		}
		if t, err := time.Parse(httpDate, v); err == nil {
			return positive(t.Sub(now))
		}
		return 0
	}
	if v := strings.TrimSpace(h.Get("RateLimit-Reset")); v != "" && status == 429 {
		if s, err := strconv.ParseInt(v, 10, 64); err == nil && s > 0 {
			return positive(time.Unix(s, 0).Sub(now))
		}
	}
	return 0
}

func seconds(s int64) time.Duration {
	const maxSeconds = int64(24 * time.Hour / time.Second)
	if s <= 0 {
		return 0
	}
	return time.Duration(min(s, maxSeconds)) * time.Second
}

func positive(d time.Duration) time.Duration { return max(d, 0) }
