package words

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/stretchr/testify/assert"
)

func TestFormatDuration(t *testing.T) {
	cases := []struct {
		name string
		sec  float64
		want string
	}{
		{"under a minute shows seconds", 45.4, "45s"},
		{"minutes pad the seconds", 185, "3m 05s"},
		{"hours pad the minutes", 7380, "2h 03m"},
		{"zero is 0s", 0, "0s"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, Duration(tc.sec)) })
	}
}

func TestAgo(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		d    time.Duration
		want string
	}{
		{"seconds ago is just now", 10 * time.Second, "just now"},
		{"minutes", 5 * time.Minute, "5 min ago"},
		{"hours", 3 * time.Hour, "3 h ago"},
		{"a day", 30 * time.Hour, "yesterday"},
		{"days", 5 * 24 * time.Hour, "5 days ago"},
		{"beyond a month the date", 40 * 24 * time.Hour, "16 Oct 2026"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, Ago(now.Add(-tc.d), now)) })
	}
}

func TestShowControlsRevealsBidiOverrides(t *testing.T) {
	assert.Equal(t, "invoice[U+202E]gnp.exe", ShowControls("invoice\u202Egnp.exe"))
	assert.Equal(t, "plain <b>text</b>", ShowControls("plain <b>text</b>"), "other text is unchanged")
	assert.Equal(t, "[U+2066]a[U+2069]", ShowControls("\u2066a\u2069"))
}

func TestJobTiming(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	started := now.Add(-90 * time.Second)
	dur := 42.0
	running := gitlab.Job{JobBasic: gitlab.JobBasic{Status: gitlab.StatusRunning, StartedAt: &started}}
	done := gitlab.Job{JobBasic: gitlab.JobBasic{Status: gitlab.StatusSuccess, Duration: &dur}}
	queued := gitlab.Job{JobBasic: gitlab.JobBasic{Status: gitlab.StatusPending, CreatedAt: now.Add(-2 * time.Minute)}}
	assert.Equal(t, "1m 30s so far", JobTiming(running, now))
	assert.Equal(t, "42s", JobTiming(done, now))
	assert.Equal(t, "waiting 2m 00s", JobTiming(queued, now))
	assert.Empty(t, JobTiming(gitlab.Job{JobBasic: gitlab.JobBasic{Status: gitlab.StatusSkipped}}, now))
}

func TestProblemSaysWhatHappenedAndWhatToDo(t *testing.T) {
	const host, token = "gitlab.example.com", "glpat-secret"
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"401", &gitlab.Error{StatusCode: 401, Message: "401 Unauthorized"}, "refused the token (401 Unauthorized)."},
		{"expired 401 keeps GitLab's words", &gitlab.Error{StatusCode: 401, Message: "Token is expired. You can either do re-authorization or token refresh.", Code: "invalid_token"}, "401 Unauthorized: Token is expired"},
		{"403 scope", &gitlab.Error{StatusCode: 403, Code: "insufficient_scope"}, "lacks the scope"},
		{"403 with a reason", &gitlab.Error{StatusCode: 403, Message: "403 Forbidden - Job is not retryable"}, "403 Forbidden: Job is not retryable"},
		{"404", &gitlab.Error{StatusCode: 404, Message: "404 Project Not Found"}, "this token cannot see it"},
		{"429", &gitlab.Error{StatusCode: 429}, "rate limiting"},
		{"500", &gitlab.Error{StatusCode: 502}, "had an error (502)"},
		{"no answer", errors.New("fetch: TypeError: Failed to fetch"), "Could not reach gitlab.example.com"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Problem(fmt.Errorf("get current user: %w", tc.err), host)
			assert.Contains(t, got, tc.want)
			assert.NotContains(t, got, token)
		})
	}
}

func TestCountLines(t *testing.T) {
	assert.Equal(t, "1 line", Lines(1))
	assert.Equal(t, "0 lines", Lines(0))
	assert.Equal(t, "999 lines", Lines(999))
	assert.Equal(t, "466,070 lines", Lines(466070))
	assert.Equal(t, "1,000,000 lines", Lines(1000000))
}
