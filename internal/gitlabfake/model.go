package gitlabfake

import (
	"encoding/json"
	"strings"
	"time"
)

// accessLevel is a member's role (GitLab's Gitlab::Access values).
type accessLevel int

const (
	noAccess   accessLevel = 0
	guest      accessLevel = 10
	reporter   accessLevel = 20
	developer  accessLevel = 30
	maintainer accessLevel = 40
)

type user struct {
	ID        int64
	Username  string
	Name      string
	CreatedAt time.Time
}

type project struct {
	ID             int64
	Name           string
	Path           string
	Namespace      string // full path of the group, e.g. "demo/platform"
	Description    string
	Visibility     string // private, internal or public
	DefaultBranch  string
	CreatedAt      time.Time
	LastActivityAt time.Time
	Archived       bool
	members        map[int64]accessLevel
	pipelines      []*pipeline // ascending id
	jobs           []*job      // ascending id, builds and bridges, retried included
}

func (p *project) fullPath() string { return p.Namespace + "/" + p.Path }

type commit struct {
	ID            string
	Title         string
	Message       string
	AuthorName    string
	AuthorEmail   string
	AuthoredDate  time.Time // keeps its zone offset (§1)
	CommittedDate time.Time
	ParentIDs     []string
}

type pipeline struct {
	ID        int64
	IID       int64
	project   *project
	SHA       string
	BeforeSHA string
	Ref       string
	Tag       bool
	Source    string
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
	user      *user
	commit    *commit
	jobs      []*job // ascending id
	// fixedStatus, when set (fixtures), replaces the status derived from jobs.
	fixedStatus status
	// parent is the bridge that triggered this pipeline, if any.
	parent *job
}

type variable struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type runner struct {
	ID          int64
	Description string
	Tag         string
}

type job struct {
	ID                int64
	Status            status
	Stage             string
	Name              string
	When              string // on_success, manual, delayed, always
	AllowFailure      bool
	Coverage          *float64
	CreatedAt         time.Time
	QueuedAt          *time.Time
	StartedAt         *time.Time
	FinishedAt        *time.Time
	ErasedAt          *time.Time
	ArtifactsExpireAt *time.Time
	FailureReason     string
	TagList           []string
	Archived          bool

	pipeline   *pipeline
	user       *user
	erasedBy   *user
	runner     *runner
	bridge     bool
	downstream *pipeline
	retried    bool
	variables  []variable
	artifacts  *artifacts  // nil when the job has no archive
	log        logSource   // nil when the job has no log
	logETag    etagMemo    // the log's last ETag (tracehttp.go)
	tests      *testReport // artifacts:reports:junit, nil when none (testreports.go)
	token      string      // CI job token, valid while running (§2.1)

	// auto jobs move by themselves as the clock runs (lifecycle.go);
	// fixture jobs stay as written.
	auto      bool
	since     time.Time // when the job entered its current status
	outcome   status    // what a running auto job ends as
	cancelAt  time.Time
	overrides map[string]json.RawMessage // fixture fields rendered verbatim
}

func (j *job) project() *project { return j.pipeline.project }

// latest reports whether the job is the newest attempt of its name.
func (j *job) latest() bool { return !j.retried }

func (j *job) hasLog(now time.Time) bool { return j.log != nil && len(j.log.content(now)) > 0 }

// pipelineStatus derives a pipeline's status from its latest jobs, a
// simplified Ci::Status::Composite: allowed failures count as success,
// non-blocking manual jobs are ignored.
func (p *pipeline) status() status {
	if p.fixedStatus != "" {
		return p.fixedStatus
	}
	has := map[status]bool{}
	n := 0
	for _, j := range p.jobs {
		if j.retried {
			continue
		}
		s := j.Status
		if s == statusFailed && j.AllowFailure {
			s = statusSuccess
		}
		if s == statusManual && j.AllowFailure {
			continue
		}
		has[s] = true
		n++
	}
	switch {
	case n == 0:
		return statusCreated
	case has[statusRunning] || has[statusCanceling]:
		return statusRunning
	case has[statusPending] || has[statusPreparing] || has[statusWaitingForResource] || has[statusWaitingForCallback]:
		if has[statusSuccess] || has[statusFailed] {
			return statusRunning
		}
		return statusPending
	case has[statusCreated] && (has[statusSuccess] || has[statusFailed]):
		return statusRunning
	case has[statusManual]:
		return statusManual
	case has[statusScheduled]:
		return statusScheduled
	case has[statusCreated]:
		return statusCreated
	case has[statusFailed]:
		return statusFailed
	case has[statusCanceled]:
		return statusCanceled
	case has[statusSuccess]:
		return statusSuccess
	}
	return statusSkipped
}

func (p *pipeline) startedAt() *time.Time {
	var t *time.Time
	for _, j := range p.jobs {
		if j.StartedAt != nil && (t == nil || j.StartedAt.Before(*t)) {
			t = j.StartedAt
		}
	}
	return t
}

func (p *pipeline) finishedAt() *time.Time {
	if !p.status().completed() {
		return nil
	}
	var t *time.Time
	for _, j := range p.jobs {
		if j.FinishedAt != nil && (t == nil || j.FinishedAt.After(*t)) {
			t = j.FinishedAt
		}
	}
	return t
}

func (p *pipeline) stages() []string {
	var out []string
	seen := map[string]bool{}
	for _, j := range p.jobs {
		if !seen[j.Stage] {
			seen[j.Stage] = true
			out = append(out, j.Stage)
		}
	}
	return out
}

// stageIndex maps each stage to its position (order of first appearance).
func (p *pipeline) stageIndex() map[string]int {
	m := map[string]int{}
	for i, st := range p.stages() {
		m[st] = i
	}
	return m
}

// isTagRef is how the seed decides `tag`: refs that look like versions.
func isTagRef(ref string) bool { return strings.HasPrefix(ref, "v") && strings.Count(ref, ".") >= 1 }
