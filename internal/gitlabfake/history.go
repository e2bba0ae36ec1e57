package gitlabfake

import (
	"bytes"
	"strconv"
	"time"

	"github.com/jobscope/jobscope/internal/loggen"
)

// Histories of one job going green → red (issue 14), in a project of their
// own (demo/flaky-service), one ref per case, so that "the newest
// successful run of the same job on the same ref before this one"
// (gitlab-api.md §5.9) has one answer per case:
//
//   - main: unit-tests passed (on its second attempt: the first failed and
//     was retried), a later pipeline was canceled, then unit-tests failed.
//     Both logs come from loggen.GreenRed, so the failure's lines are known;
//   - feature/no-green: unit-tests failed and never passed on that ref;
//   - feature/erased: it passed, its log was erased, then it failed;
//   - feature/sections: it passed, then failed with a section more.
type Histories struct {
	Project string `json:"project"` // path with namespace
	// Red is main's failed job and Green the run it compares with;
	// RedFailure the byte offsets in Red's log of the failure's lines
	// (loggen.Pair.Failure).
	Red, Green int64
	RedFailure []int64
	// NoGreen, Erased and Sections are the failed jobs of the other refs.
	NoGreen, Erased, Sections int64
}

// Histories describes the seeded green → red histories.
func (s *Server) Histories() Histories {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.histories
}

// historyJob is the job every history is about.
const historyJob = "unit-tests"

// greenRedHistories seeds the project. Its pipelines and jobs take their
// ids after every other seeded one (seeded last), with creation times in
// the last two days.
func (sd *seeder) greenRedHistories(members map[int64]accessLevel, by *user) {
	s := sd.s
	p := &project{ID: 21, Name: "flaky-service", Path: "flaky-service", Namespace: "demo", Visibility: "private",
		Description:   "A service whose unit tests passed, then failed: what changed since the last green run.",
		DefaultBranch: "main", CreatedAt: s.start.Add(-500 * 24 * time.Hour), members: members}
	s.projects = append(s.projects, p)
	h := Histories{Project: p.fullPath()}
	day := 24 * time.Hour

	// main: green (retried once), canceled, red.
	greenPl := sd.pipeline(p, "main", sd.now.Add(-2*day), by, "Cache parsed configs", "push")
	first := sd.job(greenPl, spec{stage: "test", name: historyJob, st: statusFailed, dur: 3 * time.Minute})
	first.retried = true
	green := sd.job(greenPl, spec{stage: "test", name: historyJob, st: statusSuccess, at: 4 * time.Minute, dur: 3 * time.Minute})
	sd.job(greenPl, spec{stage: "test", name: "lint", st: statusSuccess, dur: 40 * time.Second})
	canceled := sd.pipeline(p, "main", sd.now.Add(-30*time.Hour), by, "Try a bigger runner", "push")
	sd.job(canceled, spec{stage: "test", name: historyJob, st: statusCanceled, dur: time.Minute})
	redPl := sd.pipeline(p, "main", sd.now.Add(-3*time.Hour), by, "Evict stale cache entries", "push")
	red := sd.job(redPl, spec{stage: "test", name: historyJob, st: statusFailed, dur: 3 * time.Minute})
	sd.job(redPl, spec{stage: "test", name: "lint", st: statusSuccess, dur: 40 * time.Second})
	pair := loggen.GreenRed(loggen.Options{Seed: s.seed*7919 + 14, Size: 2 << 20, Timestamps: true, Start: *green.StartedAt}, *red.StartedAt)
	green.log, red.log = staticLog(pair.Green), staticLog(pair.Red)
	h.Green, h.Red, h.RedFailure = green.ID, red.ID, pair.Failure

	// feature/no-green: only ever red.
	pl := sd.pipeline(p, "feature/no-green", sd.now.Add(-2*time.Hour), by, "Start the cache rewrite", "push")
	h.NoGreen = sd.job(pl, spec{stage: "test", name: historyJob, st: statusFailed, dur: 2 * time.Minute}).ID

	// feature/erased: green, its log erased, then red.
	pl = sd.pipeline(p, "feature/erased", sd.now.Add(-26*time.Hour), by, "Cache by tenant", "push")
	erased := sd.job(pl, spec{stage: "test", name: historyJob, st: statusSuccess, dur: 2 * time.Minute})
	at := erased.FinishedAt.Add(time.Hour)
	erased.log, erased.ErasedAt, erased.erasedBy = nil, &at, by
	pl = sd.pipeline(p, "feature/erased", sd.now.Add(-time.Hour), by, "Cache by tenant and region", "push")
	h.Erased = sd.job(pl, spec{stage: "test", name: historyJob, st: statusFailed, dur: 2 * time.Minute}).ID

	// feature/sections: green, then red with a section more.
	pl = sd.pipeline(p, "feature/sections", sd.now.Add(-20*time.Hour), by, "Dump the cache on failure", "push")
	green2 := sd.job(pl, spec{stage: "test", name: historyJob, st: statusSuccess, dur: 2 * time.Minute})
	pl = sd.pipeline(p, "feature/sections", sd.now.Add(-50*time.Minute), by, "Dump the cache on failure, collapsed", "push")
	red2 := sd.job(pl, spec{stage: "test", name: historyJob, st: statusFailed, dur: 2 * time.Minute})
	pair2 := loggen.GreenRed(loggen.Options{Seed: s.seed*7919 + 15, Size: 256 << 10, Start: *green2.StartedAt}, *red2.StartedAt)
	green2.log, red2.log = staticLog(pair2.Green), staticLog(withSection(pair2.Red, *red2.StartedAt))
	h.Sections = red2.ID

	s.histories = h
}

// withSection adds a collapsed user section before the failure's "make"
// line, as a job script that dumps state on failure would.
func withSection(log []byte, at time.Time) []byte {
	i := bytes.Index(log, []byte("make: *** "))
	if i < 0 {
		return log
	}
	i = bytes.LastIndexByte(log[:i], '\n') + 1
	unix := strconv.FormatInt(at.Unix(), 10)
	dump := "\x1b[0Ksection_start:" + unix + ":cache_dump[collapsed=true]\r\x1b[0KCache dump\n" +
		"entries: 3\nstale: 1\n" +
		"\x1b[0Ksection_end:" + unix + ":cache_dump\r\x1b[0K\n"
	return append(append(append([]byte(nil), log[:i]...), dump...), log[i:]...)
}
