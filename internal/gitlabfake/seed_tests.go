package gitlabfake

import (
	"time"

	"github.com/jobscope/jobscope/internal/loggen"
)

// The demo's failed tests (issue 14): a pipeline of web-frontend whose test
// jobs upload JUnit reports, one job per state the job screen tells apart.
// The cases come from each job's own log (casesFromGoTest), so a failed
// test's name is in the log where the matcher looks for it.

// testsSuiteError is what GitLab's JUnit parser stores for an empty file
// (TestSuiteSummaryEntity's documented example, §14.2).
const testsSuiteError = "JUnit XML parsing failed: 1:1: FATAL: Document is empty"

// HostileTestName is the failing test of the hostile e2e job: markup that
// would call the browser tests' XSS hook, and a bidi control.
const HostileTestName = `TestEvil/<img_src=x_onerror=__xss('test-name')>` + "\u202Egnp.exe"

// ParsedAfter is when, from the emulator's start, integration-tests' report
// has been parsed into the summary.
const ParsedAfter = 3 * time.Minute

// BigSuiteCases is the size of the big report's suite (big-suite).
const BigSuiteCases = 10_000

func (sd *seeder) testsPipeline(p *project, by *user) *pipeline {
	pl := sd.pipeline(p, "main", sd.now.Add(-25*time.Minute), by, "Parse dates in the user's zone", "push")
	sd.s.testsPipeline = pl
	sd.job(pl, spec{stage: "build", name: "npm-install", st: statusSuccess, dur: 40 * time.Second})
	at := time.Minute
	withTests := func(name string, st status, lines int) *job {
		j := sd.job(pl, spec{stage: "test", name: name, st: st, at: at, dur: 3 * time.Minute, lines: lines})
		log := j.log
		j.tests = &testReport{cases: func() []testCase { return casesFromGoTest(log.content(time.Time{})) },
			parsedAt: *j.FinishedAt}
		return j
	}
	// Parallel jobs share one suite, "unit-tests" (§14.1).
	withTests("unit-tests 1/2", statusFailed, 1500)
	withTests("unit-tests 2/2", statusSuccess, 800)
	// Its summary is not written yet, as behind a busy Sidekiq queue: the
	// report is being parsed until ParsedAfter from the start.
	parsing := withTests("integration-tests", statusFailed, 600)
	parsing.tests.parsedAt = sd.now.Add(ParsedAfter)
	// Its JUnit file could not be read.
	broken := withTests("contract-tests", statusFailed, 300)
	broken.tests.suiteError = testsSuiteError
	// Hostile text in the suite (the job's name), a test's name, class and
	// text: the failing test's line is the log's last.
	hostile := withTests("e2e "+hostileHTML, statusFailed, 200)
	hostile.log = withTail(hostile.log, *hostile.FinishedAt, "--- FAIL: "+HostileTestName+" (0.01s)\n")
	hostileLog := hostile.log
	hostile.tests.cases = func() []testCase {
		cs := casesFromGoTest(hostileLog.content(time.Time{}))
		for i := range cs {
			if cs[i].Name == HostileTestName {
				cs[i].Classname, cs[i].Output = hostileScript, hostileScript+"\n"+hostileBidi
			}
		}
		return cs
	}
	// No artifacts:reports:junit at all.
	sd.job(pl, spec{stage: "test", name: "eslint", st: statusFailed, at: at, dur: 30 * time.Second})
	// 10,000 cases, the failing ones from a long log.
	big := sd.job(pl, spec{stage: "test", name: "big-suite", st: statusFailed, at: at, dur: 9 * time.Minute})
	opts := loggen.Options{Seed: sd.s.seed*1_000_003 + big.ID, Lines: 40_000, Timestamps: true, Start: *big.StartedAt, Failed: true}
	bigLog := &lazyLog{gen: func() []byte { return loggen.Generate(opts) }, size: 40_000 * 80}
	big.log = bigLog
	big.tests = &testReport{cases: func() []testCase {
		return paddedCases(dedupe(casesFromGoTest(bigLog.content(time.Time{}))), BigSuiteCases)
	}, parsedAt: *big.FinishedAt}
	return pl
}

// TestsPipeline is web-frontend's pipeline of failed jobs with test reports:
// its project's path and its id.
func (s *Server) TestsPipeline() (project string, id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.testsPipeline.project.fullPath(), s.testsPipeline.ID
}
