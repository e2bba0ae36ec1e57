package gitlabfake

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jobscope/jobscope/internal/loggen"
)

// The demo data (issue 2): a few projects, the first the richest. Every
// value derives from the seed and the start time. The seed_*.go files build
// the model (model.go) and nothing else: no HTTP, no rendering; seed_file.go
// adds a fixtures file on top.

// Hostile text for the safety tests to come: HTML, script, bidi controls.
const (
	hostileHTML   = `<img src=x onerror=alert(1)>`
	hostileScript = `<script>alert("jobscope")</script>`
	hostileBidi   = "invoice\u202Egnp.exe"
)

// seeder builds the demo data; it exists only during seedDemo.
type seeder struct {
	s   *Server
	rng *rand.Rand
	now time.Time
	cet *time.Location
}

func (s *Server) seedDemo() {
	s.users = map[string]*user{}
	s.jobs = map[int64]*job{}
	s.pipes = map[int64]*pipeline{}
	s.jobTokens = map[string]*job{}
	s.nextJob, s.nextPipe = 4_100_000, 310_000
	day := s.start.Add(-400 * 24 * time.Hour)
	mk := func(id int64, username, name string) *user {
		u := &user{ID: id, Username: username, Name: name, CreatedAt: day.Add(time.Duration(id) * time.Hour)}
		s.users[username] = u
		return u
	}
	s.demo = mk(1, "jobscope-demo", "Demo Developer")
	gu := mk(2, "guest-gus", "Gus Guest")
	alice := mk(3, "alice", "Alice Liddell")
	bob := mk(4, "bob", "Bob Builder")
	mallory := mk(5, "mallory", hostileHTML+" "+hostileBidi)
	s.tokens = map[string]*tokenInfo{
		s.token():    {user: s.demo, scopes: []string{"api"}},
		ReadAPIToken: {user: s.demo, scopes: []string{"read_api"}},
		GuestToken:   {user: gu, scopes: []string{"api"}},
		ExpiredToken: {user: s.demo, scopes: []string{"api"}, expired: true},
		RevokedToken: {user: s.demo, scopes: []string{"api"}, revoked: true},
	}
	sd := &seeder{s: s, rng: rand.New(rand.NewPCG(uint64(s.seed), 2026)), now: s.start, cet: time.FixedZone("", 3600)}
	members := func() map[int64]accessLevel {
		return map[int64]accessLevel{1: maintainer, 2: guest, 3: developer, 4: developer, 5: developer}
	}
	api := &project{ID: 7, Name: "api", Path: "api", Namespace: "demo/platform", Visibility: "private",
		Description: "The platform's REST API: the richest demo project.", DefaultBranch: "main",
		CreatedAt: day, members: members()}
	web := &project{ID: 12, Name: "web-frontend", Path: "web-frontend", Namespace: "demo", Visibility: "internal",
		Description: "Web UI", DefaultBranch: "main", CreatedAt: day.Add(48 * time.Hour), members: members()}
	docs := &project{ID: 15, Name: "docs", Path: "docs", Namespace: "demo", Visibility: "public",
		Description: "Public documentation site", DefaultBranch: "main", CreatedAt: day.Add(96 * time.Hour), members: members()}
	s.projects = []*project{api, web, docs}

	people := []*user{s.demo, alice, bob}
	// History: finished pipelines, newest last, three hours apart.
	for i := 30; i >= 1; i-- {
		sd.historyPipeline(api, sd.now.Add(-time.Duration(i)*3*time.Hour-2*time.Hour), people[i%3], fullStages)
	}
	sd.showcasePipeline(api, alice)
	sd.hostilePipeline(api, mallory)
	sd.activePipeline(api, bob)
	sd.hugeLogPipeline(api, s.demo)

	for i := 10; i >= 1; i-- {
		sd.historyPipeline(web, sd.now.Add(-time.Duration(i)*5*time.Hour), people[i%3], webStages)
	}
	sd.testsPipeline(web, bob)
	for i := 6; i >= 1; i-- {
		sd.historyPipeline(docs, sd.now.Add(-time.Duration(i)*7*time.Hour), people[i%3], docsStages)
	}
	pl := sd.pipeline(docs, "main", sd.now.Add(-2*time.Minute), alice, "Docs: explain job tokens", "push")
	sd.job(pl, spec{stage: "build", name: "build-site", st: statusSuccess, at: 0, dur: 50 * time.Second})
	sd.job(pl, spec{stage: "deploy", name: "pages", st: statusRunning, at: 70 * time.Second, lines: 300})
	sd.greenRedHistories(members(), s.demo)
	s.nextSpawn = s.start.Add(spawnEvery)
	for _, p := range s.projects {
		for _, pl := range p.pipelines { // updated_at follows the last status change
			for _, j := range pl.jobs {
				if j.since.After(pl.UpdatedAt) && !j.since.After(s.start) {
					pl.UpdatedAt = j.since
				}
			}
		}
		p.LastActivityAt = p.pipelines[len(p.pipelines)-1].CreatedAt
	}
}

type stageJobs struct {
	stage string
	names []string
}

var (
	fullStages = []stageJobs{
		{"build", []string{"compile", "docker-image"}},
		{"test", []string{"unit-tests", "integration-tests", "lint", "race"}},
		{"security", []string{"sast", "dependency-scan"}},
		{"deploy", []string{"deploy-staging", "deploy-production"}},
	}
	webStages  = []stageJobs{{"build", []string{"npm-install", "bundle"}}, {"test", []string{"jest", "eslint"}}, {"deploy", []string{"deploy-production"}}}
	docsStages = []stageJobs{{"build", []string{"build-site"}}, {"test", []string{"linkcheck"}}, {"deploy", []string{"pages"}}}
)

// spec describes one seeded job; at and dur are offsets from the pipeline's
// creation: when it was queued and how long it ran.
type spec struct {
	stage, name  string
	st           status
	when         string
	allowFailure bool
	at, dur      time.Duration
	lines        int
	hostile      bool
	artifacts    bool
	coverage     float64
	vars         []variable
	bridge       bool
}

var commitTitles = []string{
	"Add pagination to the jobs endpoint", "Fix flaky integration test", "Bump Go to 1.26",
	"Refactor the runner registration", "Speed up docker layer caching", "Handle 429 from upstream",
	"Document the job token scope", "Remove dead feature flag", "Retry transient network errors",
}

func (sd *seeder) sha() string {
	return fmt.Sprintf("%016x%016x%08x", sd.rng.Uint64(), sd.rng.Uint64(), sd.rng.Uint32())
}

func (sd *seeder) pipeline(p *project, ref string, created time.Time, by *user, title, source string) *pipeline {
	s := sd.s
	s.nextPipe += 1 + int64(sd.rng.IntN(40)) // ids are instance-global: other projects' pipelines in between
	authored := created.Add(-time.Duration(10+sd.rng.IntN(300)) * time.Minute).In(sd.cet).Truncate(time.Second)
	pl := &pipeline{ID: s.nextPipe, IID: int64(len(p.pipelines) + 1), project: p, SHA: sd.sha(), BeforeSHA: sd.sha(),
		Ref: ref, Tag: isTagRef(ref), Source: source, CreatedAt: created, UpdatedAt: created, user: by,
		commit: &commit{Title: title, Message: title + "\n", AuthorName: by.Name, AuthorEmail: by.Username + "@example.com",
			AuthoredDate: authored, CommittedDate: authored}}
	pl.commit.ID = pl.SHA
	pl.commit.ParentIDs = []string{pl.BeforeSHA}
	p.pipelines = append(p.pipelines, pl)
	s.pipes[pl.ID] = pl
	return pl
}

// job adds a seeded job with timestamps, log and artifacts fitting its
// status.
func (sd *seeder) job(pl *pipeline, sp spec) *job {
	s := sd.s
	s.nextJob += int64(sd.rng.IntN(3)) // other projects' jobs in between
	created := pl.CreatedAt
	j := &job{Stage: sp.stage, Name: sp.name, Status: sp.st, When: firstNonEmpty(sp.when, "on_success"),
		AllowFailure: sp.allowFailure || sp.when == "manual", CreatedAt: created, user: pl.user, TagList: []string{"docker", "linux"}, // manual jobs default to allow_failure: true
		variables: sp.vars, bridge: sp.bridge, auto: true}
	if sp.coverage > 0 {
		c := sp.coverage
		j.Coverage = &c
	}
	s.addJob(pl, j)
	queued := created.Add(sp.at)
	started := queued.Add(time.Duration(1+sd.rng.IntN(9)) * time.Second)
	finished := started.Add(sp.dur)
	j.since = created
	lines := sp.lines
	if lines == 0 {
		lines = 80 + sd.rng.IntN(400)
	}
	switch sp.st {
	case statusPending, statusWaitingForResource, statusPreparing:
		j.QueuedAt = &queued
		j.since = queued
	case statusWaitingForCallback:
		j.QueuedAt, j.StartedAt = &queued, &started
		j.since = started
	case statusRunning:
		j.outcome = statusSuccess
		s.startRunning(j, started, lines)
		j.QueuedAt = &queued
	case statusCanceling:
		j.outcome = statusCanceled
		s.startRunning(j, started, lines)
		j.QueuedAt = &queued
		s.setStatus(j, statusCanceling, sd.now.Add(-time.Second))
		j.log = withTail(j.log, sd.now, "\x1b[0;33mWARNING: Job was canceled, running after_script\x1b[0;m\n")
	case statusScheduled:
		j.since = sd.now.Add(-time.Minute)
	case statusSuccess, statusFailed, statusCanceled:
		j.QueuedAt, j.StartedAt, j.FinishedAt = &queued, &started, &finished
		j.since = finished
		j.runner = &runner{ID: 40 + j.ID%7, Description: fmt.Sprintf("shared-runner-%d", j.ID%7)}
		if sp.st == statusFailed {
			j.FailureReason = "script_failure"
		}
		if !j.bridge {
			opts := loggen.Options{Seed: s.seed*1_000_003 + j.ID, Lines: lines, Timestamps: j.ID%2 == 0,
				Start: started, Hostile: sp.hostile, Failed: sp.st == statusFailed}
			j.log = &lazyLog{gen: func() []byte { return loggen.Generate(opts) }, size: lines * 72}
		}
		if sp.st == statusCanceled && !j.bridge {
			j.log = withTail(j.log, finished, "\x1b[31;1mERROR: Job failed: canceled\x1b[0;m\n")
		}
		if sp.artifacts && sp.st != statusCanceled {
			j.artifacts = newArtifacts(map[string]string{
				"report.txt":   fmt.Sprintf("job %d (%s) report\n", j.ID, j.Name),
				"bin/VERSION":  pl.SHA[:8] + "\n",
				"coverage.txt": fmt.Sprintf("coverage: %.1f%%\n", sp.coverage),
			}, []string{"report.txt", "bin/VERSION", "coverage.txt"}, finished)
			exp := finished.Add(30 * 24 * time.Hour)
			j.ArtifactsExpireAt = &exp
		}
	}
	return j
}

// historyPipeline is a finished pipeline: mostly green, sometimes a failed
// test (later stages skipped), sometimes canceled, sometimes a test that
// failed once and was retried.
func (sd *seeder) historyPipeline(p *project, created time.Time, by *user, stages []stageJobs) *pipeline {
	title := commitTitles[sd.rng.IntN(len(commitTitles))]
	ref := p.DefaultBranch
	if sd.rng.IntN(4) == 0 {
		ref = fmt.Sprintf("feature/%d-%s", 100+sd.rng.IntN(900), []string{"pagination", "retries", "tokens", "cache"}[sd.rng.IntN(4)])
	}
	if sd.rng.IntN(12) == 0 {
		ref = fmt.Sprintf("v1.%d.%d", sd.rng.IntN(20), sd.rng.IntN(10))
	}
	pl := sd.pipeline(p, ref, created, by, title, []string{"push", "push", "push", "merge_request_event", "schedule"}[sd.rng.IntN(5)])
	roll := sd.rng.IntN(20)
	outcome := statusSuccess
	switch {
	case roll < 3:
		outcome = statusFailed
	case roll < 5:
		outcome = statusCanceled
	}
	retry := outcome == statusSuccess && sd.rng.IntN(5) == 0
	at := time.Duration(0)
	broken := -1 // the stage that failed or was canceled
	for si, st := range stages {
		longest := time.Duration(0)
		for ni, name := range st.names {
			sp := spec{stage: st.stage, name: name, at: at, dur: time.Duration(20+sd.rng.IntN(200)) * time.Second,
				artifacts: si == 0 || name == "unit-tests", st: statusSuccess}
			if name == "unit-tests" || name == "jest" {
				sp.coverage = 70 + float64(sd.rng.IntN(250))/10
			}
			last := si == len(stages)-1
			switch {
			case broken >= 0 && outcome == statusCanceled:
				sp.st = statusCanceled // canceling a pipeline cancels what has not finished
				sp.dur = 0
			case broken >= 0 && si > broken:
				sp.st = statusSkipped
			case outcome == statusFailed && si == 1 && ni == 0:
				sp.st = statusFailed
				broken = si
			case outcome == statusCanceled && si == 1 && ni == 0:
				sp.st = statusCanceled
				broken = si
			case name == "lint" && sd.rng.IntN(6) == 0:
				sp.st, sp.allowFailure = statusFailed, true
			case last && name == "deploy-production":
				sp.when = "manual"
				sp.st = statusManual
				if ref == p.DefaultBranch && sd.rng.IntN(2) == 0 {
					sp.st = statusSuccess
					sp.vars = []variable{{Key: "DEPLOY_REASON", Value: "scheduled release"}}
				}
			}
			if retry && si == 1 && ni == 1 {
				first := sp
				first.st = statusFailed
				sd.job(pl, first).retried = true
				sp.at += first.dur + time.Minute
			}
			sd.job(pl, sp)
			longest = max(longest, sp.dur)
		}
		at += longest + 5*time.Second
	}
	return pl
}

// showcasePipeline has a retried job, a bridge with a downstream (child)
// pipeline and manual jobs, one played with variables: Info.PipelineID.
func (sd *seeder) showcasePipeline(p *project, by *user) {
	pl := sd.pipeline(p, "main", sd.now.Add(-90*time.Minute), by, "Release 2.4: trigger the integration suite", "push")
	sd.s.showcase = pl
	sd.job(pl, spec{stage: "build", name: "compile", st: statusSuccess, dur: 95 * time.Second, artifacts: true})
	sd.job(pl, spec{stage: "build", name: "docker-image", st: statusSuccess, dur: 140 * time.Second, artifacts: true})
	sd.job(pl, spec{stage: "test", name: "unit-tests", st: statusFailed, at: 3 * time.Minute, dur: 4 * time.Minute}).retried = true
	sd.job(pl, spec{stage: "test", name: "integration-tests", st: statusSuccess, at: 3 * time.Minute, dur: 6 * time.Minute})
	sd.job(pl, spec{stage: "test", name: "lint", st: statusFailed, allowFailure: true, at: 3 * time.Minute, dur: 40 * time.Second})
	sd.job(pl, spec{stage: "test", name: "unit-tests", st: statusSuccess, at: 9 * time.Minute, dur: 4 * time.Minute,
		artifacts: true, coverage: 84.3})
	sd.job(pl, spec{stage: "deploy", name: "deploy-staging", st: statusSuccess, at: 14 * time.Minute, dur: 2 * time.Minute})
	sd.job(pl, spec{stage: "deploy", name: "deploy-production", st: statusSuccess, when: "manual", at: 20 * time.Minute,
		dur: 3 * time.Minute, vars: []variable{{Key: "DEPLOY_TARGET", Value: "eu-west"}, {Key: "DRY_RUN", Value: "false"}}})
	sd.job(pl, spec{stage: "deploy", name: "rollback", st: statusManual, when: "manual", allowFailure: true})
	bridge := sd.job(pl, spec{stage: "trigger", name: "integration-suite", st: statusSuccess, at: 24 * time.Minute,
		dur: 10 * time.Minute, bridge: true})
	child := sd.pipeline(p, "main", pl.CreatedAt.Add(24*time.Minute), by, pl.commit.Title, "parent_pipeline")
	child.SHA, child.commit = pl.SHA, pl.commit
	child.parent = bridge
	bridge.downstream = child
	sd.job(child, spec{stage: "test", name: "suite-a", st: statusSuccess, dur: 4 * time.Minute})
	sd.job(child, spec{stage: "test", name: "suite-b", st: statusSuccess, dur: 5 * time.Minute})
	sd.job(child, spec{stage: "report", name: "merge-reports", st: statusSuccess, at: 6 * time.Minute, dur: 30 * time.Second})
}

// hostilePipeline carries hostile text in its ref, commit, job names, user
// and logs.
func (sd *seeder) hostilePipeline(p *project, by *user) {
	pl := sd.pipeline(p, "hostile/"+hostileScript, sd.now.Add(-40*time.Minute), by, hostileHTML+" "+hostileBidi, "push")
	pl.commit.Message = pl.commit.Title + "\n\n" + hostileScript + "\nbidi: \u202Eevil\u202C\n"
	sd.job(pl, spec{stage: "build", name: hostileHTML, st: statusSuccess, dur: 30 * time.Second, hostile: true, lines: 400})
	sd.job(pl, spec{stage: "test", name: hostileScript, st: statusFailed, at: time.Minute, dur: 50 * time.Second, hostile: true, lines: 600})
	sd.job(pl, spec{stage: "test", name: "test " + hostileBidi, st: statusSuccess, at: time.Minute, dur: 20 * time.Second, hostile: true})
	j := sd.job(pl, spec{stage: "test", name: "broken-utf8", st: statusSuccess, at: time.Minute, dur: 10 * time.Second})
	j.log = staticLog("plain line\ninvalid: \xff\xfe\xfd\ntruncated rune: \xe2\x82\nnul: \x00 bel: \x07\n" +
		"\x1b[31m" + hostileHTML + "\x1b[0m\n\x1b]8;;javascript:alert(1)\x1b\\click\x1b]8;;\x1b\\\n")
}

// activePipeline is the running one: the live job whose log grows, and a
// job in each in-flight status.
func (sd *seeder) activePipeline(p *project, by *user) {
	pl := sd.pipeline(p, "main", sd.now.Add(-5*time.Minute), by, "Stream job logs to the viewer", "push")
	sd.job(pl, spec{stage: "build", name: "compile", st: statusSuccess, dur: 70 * time.Second, artifacts: true})
	sd.job(pl, spec{stage: "build", name: "docker-image", st: statusSuccess, dur: 100 * time.Second})
	// The live job: started 40 s ago, 2,400 lines at four a second.
	live := sd.job(pl, spec{stage: "test", name: "unit-tests", st: statusRunning, at: 5*time.Minute - 48*time.Second, lines: liveLines})
	sd.s.liveJob = live
	sd.job(pl, spec{stage: "test", name: "integration-tests", st: statusRunning, at: 4 * time.Minute, lines: 500})
	sd.job(pl, spec{stage: "test", name: "flaky-e2e", st: statusCanceling, at: 3 * time.Minute, lines: 200})
	sd.job(pl, spec{stage: "test", name: "race", st: statusPending, at: 5*time.Minute - 2*time.Second})
	sd.job(pl, spec{stage: "test", name: "db-migrations", st: statusWaitingForResource, at: 5*time.Minute - 2*time.Second})
	sd.job(pl, spec{stage: "test", name: "gpu-benchmarks", st: statusPreparing, at: 5*time.Minute - 2*time.Second})
	sd.job(pl, spec{stage: "test", name: "external-security-review", st: statusWaitingForCallback, at: 3 * time.Minute})
	sd.job(pl, spec{stage: "deploy", name: "deploy-staging", st: statusCreated})
	sd.job(pl, spec{stage: "deploy", name: "deploy-canary", st: statusScheduled, when: "delayed"})
	sd.job(pl, spec{stage: "deploy", name: "deploy-production", st: statusManual, when: "manual"})
	sd.job(pl, spec{stage: "trigger", name: "downstream-e2e", st: statusCreated, bridge: true})
}

// hugeLogPipeline holds `huge-log`, 500,000 lines, generated on first read.
// Newest pipeline, so the job sits on the first page of the jobs list.
func (sd *seeder) hugeLogPipeline(p *project, by *user) {
	pl := sd.pipeline(p, "main", sd.now.Add(-30*time.Minute), by, "Add a stress test that prints a lot", "push")
	j := sd.job(pl, spec{stage: "test", name: "huge-log", st: statusSuccess, dur: 12 * time.Minute})
	opts := loggen.Options{Seed: sd.s.seed*1_000_003 + j.ID, Lines: 500_000, Timestamps: true, Start: *j.StartedAt}
	j.log = &lazyLog{gen: func() []byte { return loggen.Generate(opts) }, size: 500_000 * 119} // what loggen makes of it
}
