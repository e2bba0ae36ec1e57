package gitlabfake

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRunningLogGrowsWithTheClock checks that a running job's trace (§5.7)
// grows as a pure function of the clock, and that the job finishes.
func TestRunningLogGrowsWithTheClock(t *testing.T) {
	h := newHarness(t, Options{})
	live := h.srv.liveJob
	path := "/api/v4/projects/7/jobs/" + itoa(live.ID)
	prev := h.get(path + "/trace").body
	require.NotEmpty(t, prev)
	var before jobJSON
	h.get(path).json(t, &before)
	require.Equal(t, "running", before.Status)
	require.NotNil(t, before.Duration)

	for step := 0; step < 5; step++ {
		h.clock.Advance(time.Second)
		cur := h.get(path + "/trace").body
		assert.Greater(t, len(cur), len(prev), "step %d: the log grows", step)
		assert.True(t, bytes.HasPrefix(cur, prev), "step %d: what was served stays a prefix", step)
		assert.Equal(t, byte('\n'), cur[len(cur)-1], "lines are revealed whole")
		prev = cur
	}
	var after jobJSON
	h.get(path).json(t, &after)
	assert.InDelta(t, *before.Duration+5, *after.Duration, 0.001, "duration grows while running (§6.1)")

	t.Run("the same clock gives the same bytes", func(t *testing.T) {
		other := newHarness(t, Options{})
		other.clock.Advance(5 * time.Second)
		assert.Equal(t, prev, other.get(path+"/trace").body)
	})
	t.Run("the job finishes when its log is complete and its token dies (§2.1)", func(t *testing.T) {
		require.Equal(t, 200, h.do("GET", "/api/v4/job", "", "JOB-TOKEN", live.token).status)
		h.clock.Advance(liveLines * lineEvery)
		var done jobJSON
		h.get(path).json(t, &done)
		assert.Contains(t, []string{"success", "failed"}, done.Status)
		assert.NotNil(t, done.FinishedAt)
		final := h.get(path + "/trace").body
		assert.True(t, bytes.HasPrefix(final, prev))
		assert.Equal(t, liveLines, bytes.Count(final, []byte("\n")))
		assert.Equal(t, 401, h.do("GET", "/api/v4/job", "", "JOB-TOKEN", live.token).status)
		h.clock.Advance(time.Hour)
		assert.Equal(t, final, h.get(path+"/trace").body, "a finished log no longer changes")
	})
}

func TestQueuedJobsRunAndFinish(t *testing.T) {
	h := newHarness(t, Options{})
	j := h.jobIn(statusPending, nil)
	path := "/api/v4/projects/7/jobs/" + itoa(j.ID)
	var got jobJSON
	h.get(path).json(t, &got)
	require.NotNil(t, got.QueuedDuration)
	q := *got.QueuedDuration
	h.clock.Advance(time.Second)
	h.get(path).json(t, &got)
	assert.InDelta(t, q+1, *got.QueuedDuration, 0.001, "queued_duration grows while pending (§6.1)")
	assert.Nil(t, got.Duration)

	h.clock.Advance(pendingDelay)
	h.get(path).json(t, &got)
	assert.Equal(t, "running", got.Status)
	assert.NotNil(t, got.StartedAt)
	h.clock.Advance(10 * time.Minute)
	h.get(path).json(t, &got)
	assert.Contains(t, []string{"success", "failed"}, got.Status)
	assert.NotEmpty(t, h.get(path+"/trace").body)
}

func TestFrozenClock(t *testing.T) {
	srv := New(Options{Frozen: true})
	t0 := srv.Now()
	time.Sleep(2 * time.Millisecond)
	assert.Equal(t, t0, srv.Now(), "a frozen emulator's clock does not move")
	srv.AdvanceClock(time.Minute)
	assert.Equal(t, t0.Add(time.Minute), srv.Now(), "but the clock control moves it")
}

func TestClockControlEndpoint(t *testing.T) {
	h := newHarness(t, Options{})
	path := "/api/v4/projects/7/jobs/" + itoa(h.srv.liveJob.ID) + "/trace"
	before := len(h.get(path).body)
	r := h.do("POST", "/-/emulator/clock", `{"advance":"30s"}`)
	require.Equal(t, 200, r.status, "%s", r.body)
	assert.Greater(t, len(h.get(path).body), before)
	assert.Equal(t, 400, h.do("POST", "/-/emulator/clock", `{"advance":"soon"}`).status)
}

// TestGrowLogRevealsALogOverTheClock: a benchmark's log grows evenly over
// the time given, and the job finishes with its last line.
func TestGrowLogRevealsALogOverTheClock(t *testing.T) {
	s := New(Options{Frozen: true})
	s.mu.Lock()
	id := s.liveJob.ID
	s.mu.Unlock()
	full := []byte(strings.Repeat("a line of a growing log\n", 100))
	require.NoError(t, s.GrowLog(id, full, 100*time.Second))
	size := func() int {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.advance(s.now())
		return len(s.jobs[id].log.content(s.now()))
	}
	assert.Less(t, size(), len(full)/10, "almost nothing yet")
	s.AdvanceClock(50 * time.Second)
	assert.InDelta(t, len(full)/2, size(), float64(len(full))/20, "half way, half the log")
	s.AdvanceClock(51 * time.Second)
	assert.Equal(t, len(full), size())
	s.mu.Lock()
	st := s.jobs[id].Status
	s.mu.Unlock()
	assert.True(t, st.completed(), "the job finished with its last line (%s)", st)
	assert.Error(t, s.GrowLog(id, full, time.Second), "a finished job's log does not grow")
}
