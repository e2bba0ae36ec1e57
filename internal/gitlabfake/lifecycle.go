package gitlabfake

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/jobscope/jobscope/internal/loggen"
)

// How an auto job moves on the clock (gitlab-api.md §8.2). The numbers are
// the emulator's, chosen so the demo visibly moves within a minute or two.
const (
	prepareDelay   = 15 * time.Second       // preparing, waiting_for_resource → pending
	pendingDelay   = 8 * time.Second        // pending → running (a runner picks it up)
	cancelDelay    = 3 * time.Second        // canceling → canceled (after_script)
	scheduleDelay  = 5 * time.Minute        // scheduled → pending (when due)
	lineEvery      = 250 * time.Millisecond // a running job's log grows one line per tick
	liveLines      = 2400                   // the showcase running job: 10 minutes of log
	jobTokenPrefix = "glcbt-"
	spawnEvery     = 4 * time.Minute // a new pipeline in the second project, so the demo never settles
)

// setStatus changes a job's status and remembers when.
func (s *Server) setStatus(j *job, st status, at time.Time) {
	j.Status = st
	j.since = at
	j.pipeline.UpdatedAt = at
}

// addJob registers a new job with the next instance-global id.
func (s *Server) addJob(pl *pipeline, j *job) *job {
	s.nextJob++
	j.ID = s.nextJob
	j.pipeline = pl
	if j.since.IsZero() {
		j.since = j.CreatedAt
	}
	pl.jobs = append(pl.jobs, j)
	pl.project.jobs = append(pl.project.jobs, j)
	s.jobs[j.ID] = j
	return j
}

// retryJob clones j into a new pending job (§8.3): the old one is marked
// retried, skipped jobs of later stages are reset to created.
func (s *Server) retryJob(j *job, by *user, now time.Time, vars []variable) *job {
	n := &job{
		Stage: j.Stage, Name: j.Name, When: j.When, AllowFailure: j.AllowFailure, CreatedAt: now,
		TagList: j.TagList, user: by, bridge: j.bridge, downstream: j.downstream, variables: vars,
		auto: true, Status: statusPending, QueuedAt: &now, since: now,
	}
	if n.user == nil {
		n.user = j.user
	}
	j.retried = true
	s.addJob(j.pipeline, n)
	stage := j.pipeline.stageIndex()
	for _, o := range j.pipeline.jobs {
		if stage[o.Stage] > stage[j.Stage] && !o.retried && o.Status == statusSkipped {
			o.auto = true
			s.setStatus(o, statusCreated, now)
		}
	}
	j.pipeline.UpdatedAt = now
	return n
}

// jobToken derives a job's CI token from the seed and its id.
func (s *Server) jobToken(j *job) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%d/%d", s.seed, j.ID))
	return jobTokenPrefix + hex.EncodeToString(sum[:10])
}

// startRunning moves j to running at `at` with a runner, a job token and a
// log that grows from then on.
func (s *Server) startRunning(j *job, at time.Time, lines int) {
	s.setStatus(j, statusRunning, at)
	j.StartedAt = &at
	if j.QueuedAt == nil {
		j.QueuedAt = &at
	}
	j.runner = &runner{ID: 40 + j.ID%7, Description: fmt.Sprintf("shared-runner-%d", j.ID%7)}
	j.token = s.jobToken(j)
	s.jobTokens[j.token] = j
	if j.outcome == "" {
		j.outcome = statusSuccess
		if mix(s.seed, j.ID)%7 == 0 {
			j.outcome = statusFailed
		}
	}
	if j.bridge {
		return
	}
	if lines == 0 {
		lines = 120 + int(mix(s.seed, j.ID)%280)
	}
	full := loggen.Generate(loggen.Options{Seed: s.seed*1_000_003 + j.ID, Lines: lines, Timestamps: true, Start: at,
		Failed: j.outcome == statusFailed})
	j.log = newGrowingLog(full, at, lineEvery)
}

// mix is a small deterministic hash for per-job choices.
func mix(seed, id int64) uint64 {
	x := uint64(seed)*0x9E3779B97F4A7C15 + uint64(id)*0xBF58476D1CE4E5B9
	x ^= x >> 31
	x *= 0x94D049BB133111EB
	return x ^ x>>29
}

// advance moves every auto job to where the clock says it is. Each
// transition happens at its own due time, not at now, so timestamps and
// logs are the same however often the clock is sampled. Called with s.mu
// held.
func (s *Server) advance(now time.Time) {
	if !now.After(s.advanced) {
		return
	}
	s.advanced = now
	for !s.nextSpawn.After(now) {
		s.spawnPipeline(s.nextSpawn)
		s.nextSpawn = s.nextSpawn.Add(spawnEvery)
	}
	for range 1000 { // bounded: each pass moves some job one step forward
		moved := false
		for _, p := range s.projects {
			for _, pl := range p.pipelines {
				for _, j := range pl.jobs {
					if j.auto && s.step(j, now) {
						moved = true
					}
				}
			}
		}
		if !moved {
			return
		}
	}
}

// step makes one transition of j if it is due by now.
func (s *Server) step(j *job, now time.Time) bool {
	due := func(d time.Duration) (time.Time, bool) {
		t := j.since.Add(d)
		return t, !t.After(now)
	}
	switch j.Status {
	case statusPreparing, statusWaitingForResource:
		if t, ok := due(prepareDelay); ok {
			s.setStatus(j, statusPending, t)
			j.QueuedAt = &t
			return true
		}
	case statusScheduled:
		if t, ok := due(scheduleDelay); ok {
			s.setStatus(j, statusPending, t)
			j.QueuedAt = &t
			return true
		}
	case statusPending:
		if t, ok := due(pendingDelay); ok {
			s.startRunning(j, t, 0)
			return true
		}
	case statusRunning:
		end := j.since.Add(40 * time.Second) // bridges: downstream "runs" 40 s
		if g, ok := j.log.(*growingLog); ok {
			end = g.done()
		}
		if !end.After(now) {
			s.setStatus(j, j.outcome, end)
			j.FinishedAt = &end
			if j.outcome == statusFailed {
				j.FailureReason = "script_failure"
			}
			if g, ok := j.log.(*growingLog); ok {
				j.log = staticLog(g.full)
			}
			return true
		}
	case statusCanceling:
		if t, ok := due(cancelDelay); ok {
			s.finishCancel(j, t)
			return true
		}
	case statusCreated:
		return s.stepCreated(j, now)
	}
	return false
}

// stepCreated starts a created job once every earlier stage is done: pending
// (or manual) after success, skipped after a failure.
func (s *Server) stepCreated(j *job, now time.Time) bool {
	var last time.Time
	failed := false
	stage := j.pipeline.stageIndex()
	for _, o := range j.pipeline.jobs {
		if stage[o.Stage] >= stage[j.Stage] {
			continue
		}
		if o.retried || (o.Status == statusManual && o.AllowFailure) {
			continue
		}
		switch {
		case o.Status == statusFailed && !o.AllowFailure, o.Status == statusCanceled:
			failed = true
		case !o.Status.completed():
			return false
		}
		if o.FinishedAt != nil && o.FinishedAt.After(last) {
			last = *o.FinishedAt
		}
	}
	if last.Before(j.since) {
		last = j.since
	}
	if last.After(now) {
		return false
	}
	switch {
	case failed:
		s.setStatus(j, statusSkipped, last)
	case j.When == "manual":
		s.setStatus(j, statusManual, last)
	default:
		s.setStatus(j, statusPending, last)
		j.QueuedAt = &last
	}
	return true
}

// spawnPipeline starts a new pipeline in the second project at `at`. It
// goes there, not in the richest project, so that project's first page
// (with huge-log) stays as seeded.
func (s *Server) spawnPipeline(at time.Time) {
	p := s.projects[1]
	s.nextPipe++
	sha := fmt.Sprintf("%040x", mix(s.seed, s.nextPipe))
	by := []*user{s.demo, s.users["alice"], s.users["bob"]}[s.nextPipe%3]
	title := commitTitles[mix(s.seed, s.nextPipe)%uint64(len(commitTitles))]
	pl := &pipeline{ID: s.nextPipe, IID: int64(len(p.pipelines) + 1), project: p, SHA: sha, BeforeSHA: p.pipelines[len(p.pipelines)-1].SHA,
		Ref: p.DefaultBranch, Source: "push", CreatedAt: at, UpdatedAt: at, user: by,
		commit: &commit{ID: sha, Title: title, Message: title + "\n", AuthorName: by.Name, AuthorEmail: by.Username + "@example.com",
			AuthoredDate: at.Add(-time.Minute), CommittedDate: at.Add(-time.Minute), ParentIDs: []string{p.pipelines[len(p.pipelines)-1].SHA}}}
	p.pipelines = append(p.pipelines, pl)
	p.LastActivityAt = at
	s.pipes[pl.ID] = pl
	for i, st := range webStages {
		for _, name := range st.names {
			j := &job{Stage: st.stage, Name: name, When: "on_success", CreatedAt: at, user: by, auto: true,
				TagList: []string{"docker", "linux"}, Status: statusCreated, since: at}
			if i == 0 {
				j.Status, j.QueuedAt = statusPending, &at
			}
			s.addJob(pl, j)
		}
	}
}
