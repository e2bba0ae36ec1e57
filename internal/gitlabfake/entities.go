package gitlabfake

import (
	"fmt"
	"net/url"
	"time"
)

// This file renders GitLab's API entities (gitlab-api.md §6, §11). Field
// order follows GitLab's entity classes so that raw bodies look alike.

// apiTime renders like ActiveSupport: ISO 8601 with milliseconds, UTC as
// "Z" (§1: "2015-12-24T15:51:21.880Z").
type apiTime time.Time

// MarshalText (not MarshalJSON) spares encoding/json a validation pass.
func (t apiTime) MarshalText() ([]byte, error) {
	return time.Time(t).UTC().AppendFormat(nil, "2006-01-02T15:04:05.000Z"), nil
}

// zonedTime keeps its offset, as commit dates do (§1: "+01:00").
type zonedTime time.Time

func (t zonedTime) MarshalText() ([]byte, error) {
	return time.Time(t).AppendFormat(nil, "2006-01-02T15:04:05.000Z07:00"), nil
}

func timePtr(t *time.Time) *apiTime {
	if t == nil {
		return nil
	}
	a := apiTime(*t)
	return &a
}

func seconds(d time.Duration) *float64 {
	f := float64(d.Milliseconds()) / 1000
	return &f
}

type userEntity struct {
	ID          int64   `json:"id"`
	Username    string  `json:"username"`
	PublicEmail *string `json:"public_email"`
	Name        string  `json:"name"`
	State       string  `json:"state"`
	Locked      bool    `json:"locked"`
	AvatarURL   string  `json:"avatar_url"`
	WebURL      string  `json:"web_url"`
	CreatedAt   apiTime `json:"created_at"`
	Bio         string  `json:"bio"`
	Location    string  `json:"location"`
	Linkedin    string  `json:"linkedin"`
	Twitter     string  `json:"twitter"`
	Discord     string  `json:"discord"`
	WebsiteURL  string  `json:"website_url"`
	Org         string  `json:"organization"`
	JobTitle    string  `json:"job_title"`
	Pronouns    *string `json:"pronouns"`
	Bot         bool    `json:"bot"`
	WorkInfo    *string `json:"work_information"`
	Followers   int     `json:"followers"`
	Following   int     `json:"following"`
	LocalTime   *string `json:"local_time"`
}

type commitEntity struct {
	ID             string            `json:"id"`
	ShortID        string            `json:"short_id"`
	CreatedAt      zonedTime         `json:"created_at"`
	ParentIDs      []string          `json:"parent_ids"`
	Title          string            `json:"title"`
	Message        string            `json:"message"`
	AuthorName     string            `json:"author_name"`
	AuthorEmail    string            `json:"author_email"`
	AuthoredDate   zonedTime         `json:"authored_date"`
	CommitterName  string            `json:"committer_name"`
	CommitterEmail string            `json:"committer_email"`
	CommittedDate  zonedTime         `json:"committed_date"`
	Trailers       map[string]string `json:"trailers"`
	ExtTrailers    map[string]string `json:"extended_trailers"`
	WebURL         string            `json:"web_url"`
}

type pipelineBasic struct {
	ID        int64   `json:"id"`
	IID       int64   `json:"iid"`
	ProjectID int64   `json:"project_id"`
	SHA       string  `json:"sha"`
	Ref       string  `json:"ref"`
	Status    status  `json:"status"`
	Source    string  `json:"source"`
	CreatedAt apiTime `json:"created_at"`
	UpdatedAt apiTime `json:"updated_at"`
	WebURL    string  `json:"web_url"`
}

// pipelineListEntity is PipelineBasic + name, what the list returns (§11).
type pipelineListEntity struct {
	pipelineBasic
	Name *string `json:"name"`
}

type detailedStatus struct {
	Icon         string  `json:"icon"`
	Text         string  `json:"text"`
	Label        string  `json:"label"`
	Group        string  `json:"group"`
	Tooltip      string  `json:"tooltip"`
	HasDetails   bool    `json:"has_details"`
	DetailsPath  string  `json:"details_path"`
	Illustration *string `json:"illustration"`
	Favicon      string  `json:"favicon"`
}

type pipelineEntity struct {
	pipelineBasic
	BeforeSHA      string         `json:"before_sha"`
	Tag            bool           `json:"tag"`
	YAMLErrors     *string        `json:"yaml_errors"`
	User           *userEntity    `json:"user"`
	StartedAt      *apiTime       `json:"started_at"`
	FinishedAt     *apiTime       `json:"finished_at"`
	CommittedAt    *apiTime       `json:"committed_at"`
	Duration       *int64         `json:"duration"`
	QueuedDuration *float64       `json:"queued_duration"`
	Coverage       *string        `json:"coverage"`
	DetailedStatus detailedStatus `json:"detailed_status"`
	Archived       bool           `json:"archived"`
	Name           *string        `json:"name"`
}

type jobProjectEntity struct {
	CIJobTokenScopeEnabled bool `json:"ci_job_token_scope_enabled"`
}

type jobBasicEntity struct {
	ID             int64            `json:"id"`
	Status         status           `json:"status"`
	Stage          string           `json:"stage"`
	Name           string           `json:"name"`
	Ref            string           `json:"ref"`
	Tag            bool             `json:"tag"`
	Coverage       *float64         `json:"coverage"`
	AllowFailure   bool             `json:"allow_failure"`
	CreatedAt      apiTime          `json:"created_at"`
	StartedAt      *apiTime         `json:"started_at"`
	FinishedAt     *apiTime         `json:"finished_at"`
	ErasedAt       *apiTime         `json:"erased_at"`
	Duration       *float64         `json:"duration"`
	QueuedDuration *float64         `json:"queued_duration"`
	User           *userEntity      `json:"user"`
	Commit         commitEntity     `json:"commit"`
	Pipeline       pipelineBasic    `json:"pipeline"`
	FailureReason  string           `json:"failure_reason,omitempty"` // key absent unless failed (§6.1)
	WebURL         string           `json:"web_url"`
	Project        jobProjectEntity `json:"project"`
}

type artifactsFileEntity struct {
	Filename string `json:"filename"`
	Size     int    `json:"size"`
}

type artifactEntity struct {
	FileType   string  `json:"file_type"`
	Size       int     `json:"size"`
	Filename   string  `json:"filename"`
	FileFormat *string `json:"file_format"`
}

type runnerEntity struct {
	ID          int64  `json:"id"`
	Description string `json:"description"`
	IPAddress   string `json:"ip_address"`
	Active      bool   `json:"active"`
	Paused      bool   `json:"paused"`
	IsShared    bool   `json:"is_shared"`
	RunnerType  string `json:"runner_type"`
	Name        string `json:"name"`
	Online      bool   `json:"online"`
	Status      string `json:"status"`
}

type runnerManagerEntity struct {
	ID           int64   `json:"id"`
	SystemID     string  `json:"system_id"`
	Version      string  `json:"version"`
	Revision     string  `json:"revision"`
	Platform     string  `json:"platform"`
	Architecture string  `json:"architecture"`
	CreatedAt    apiTime `json:"created_at"`
	ContactedAt  apiTime `json:"contacted_at"`
	IPAddress    string  `json:"ip_address"`
	Status       string  `json:"status"`
}

type jobEntity struct {
	jobBasicEntity
	ArtifactsFile     *artifactsFileEntity `json:"artifacts_file,omitempty"` // key absent without an archive (§6.2)
	Artifacts         []artifactEntity     `json:"artifacts"`
	Runner            *runnerEntity        `json:"runner"`
	RunnerManager     *runnerManagerEntity `json:"runner_manager"`
	ArtifactsExpireAt *apiTime             `json:"artifacts_expire_at"`
	Archived          bool                 `json:"archived"`
	TagList           []string             `json:"tag_list"`
}

type bridgeEntity struct {
	jobBasicEntity
	DownstreamPipeline *pipelineBasic `json:"downstream_pipeline"`
}

// renderer turns model objects into entities; base is GitLab's external URL.
type renderer struct {
	base string
	now  time.Time
}

func (r renderer) user(u *user) *userEntity {
	if u == nil {
		return nil
	}
	return &userEntity{
		ID: u.ID, Username: u.Username, Name: u.Name, State: "active",
		AvatarURL: "https://www.gravatar.com/avatar/" + fmt.Sprintf("%032x", u.ID) + "?s=80&d=identicon",
		WebURL:    r.base + "/" + url.PathEscape(u.Username),
		CreatedAt: apiTime(u.CreatedAt),
	}
}

func (r renderer) commit(p *pipeline) commitEntity {
	c := p.commit
	return commitEntity{
		ID: c.ID, ShortID: c.ID[:8], CreatedAt: zonedTime(c.CommittedDate), ParentIDs: nonNil(c.ParentIDs),
		Title: c.Title, Message: c.Message, AuthorName: c.AuthorName, AuthorEmail: c.AuthorEmail,
		AuthoredDate: zonedTime(c.AuthoredDate), CommitterName: c.AuthorName, CommitterEmail: c.AuthorEmail,
		CommittedDate: zonedTime(c.CommittedDate), Trailers: map[string]string{}, ExtTrailers: map[string]string{},
		WebURL: r.base + "/" + p.project.fullPath() + "/-/commit/" + c.ID,
	}
}

func (r renderer) pipelineBasic(p *pipeline) pipelineBasic {
	return pipelineBasic{
		ID: p.ID, IID: p.IID, ProjectID: p.project.ID, SHA: p.SHA, Ref: p.Ref, Status: p.status(),
		Source: p.Source, CreatedAt: apiTime(p.CreatedAt), UpdatedAt: apiTime(p.UpdatedAt),
		WebURL: r.base + "/" + p.project.fullPath() + "/-/pipelines/" + fmt.Sprint(p.ID),
	}
}

func (r renderer) pipelineListItem(p *pipeline) pipelineListEntity {
	return pipelineListEntity{pipelineBasic: r.pipelineBasic(p), Name: optString(p.Name)}
}

func (r renderer) pipeline(p *pipeline) pipelineEntity {
	e := pipelineEntity{
		pipelineBasic: r.pipelineBasic(p), BeforeSHA: p.BeforeSHA, Tag: p.Tag, User: r.user(p.user),
		StartedAt: timePtr(p.startedAt()), FinishedAt: timePtr(p.finishedAt()),
		CommittedAt: timePtr(&p.commit.CommittedDate), Name: optString(p.Name),
	}
	if s, f := p.startedAt(), p.finishedAt(); s != nil {
		end := r.now
		if f != nil {
			end = *f
		}
		d := int64(end.Sub(*s) / time.Second)
		e.Duration = &d
		e.QueuedDuration = seconds(s.Sub(p.CreatedAt))
	}
	// coverage: the mean of the latest builds' coverage, as a string.
	var sum float64
	var n int
	for _, j := range p.jobs {
		if !j.retried && j.Coverage != nil {
			sum += *j.Coverage
			n++
		}
	}
	if n > 0 {
		c := fmt.Sprintf("%.2f", sum/float64(n))
		e.Coverage = &c
	}
	e.DetailedStatus = detailedStatusOf(p.status(), "/"+p.project.fullPath()+"/-/pipelines/"+fmt.Sprint(p.ID))
	return e
}

// statusTexts are Gitlab::Ci::Status texts and labels for pipelines
// (GitLab 16+ wording; ⚠ not checked for every status).
var statusTexts = map[status][2]string{
	statusCreated: {"Created", "created"}, statusWaitingForResource: {"Waiting", "waiting for resource"},
	statusPreparing: {"Preparing", "preparing"}, statusWaitingForCallback: {"Waiting", "waiting for callback"},
	statusPending: {"Pending", "pending"}, statusRunning: {"Running", "running"},
	statusSuccess: {"Passed", "passed"}, statusFailed: {"Failed", "failed"},
	statusCanceling: {"Canceling", "canceling"}, statusCanceled: {"Canceled", "canceled"},
	statusSkipped: {"Skipped", "skipped"}, statusManual: {"Blocked", "waiting for manual action"},
	statusScheduled: {"Scheduled", "waiting for delayed job"},
}

// detailedStatusOf renders a pipeline's detailed_status (§11). ⚠ GitLab's
// favicon paths carry an asset digest; ours do not.
func detailedStatusOf(s status, path string) detailedStatus {
	t := statusTexts[s]
	return detailedStatus{
		Icon: "status_" + string(s), Text: t[0], Label: t[1], Group: string(s), Tooltip: t[1],
		HasDetails: true, DetailsPath: path, Favicon: "/assets/ci_favicons/favicon_status_" + string(s) + ".png",
	}
}

func (r renderer) jobBasic(j *job) jobBasicEntity {
	p := j.pipeline
	e := jobBasicEntity{
		ID: j.ID, Status: j.Status, Stage: j.Stage, Name: j.Name, Ref: p.Ref, Tag: p.Tag,
		Coverage: j.Coverage, AllowFailure: j.AllowFailure, CreatedAt: apiTime(j.CreatedAt),
		StartedAt: timePtr(j.StartedAt), FinishedAt: timePtr(j.FinishedAt), ErasedAt: timePtr(j.ErasedAt),
		User: r.user(j.user), Commit: r.commit(p), Pipeline: r.pipelineBasic(p),
		WebURL: r.base + "/" + p.project.fullPath() + "/-/jobs/" + fmt.Sprint(j.ID),
	}
	// duration grows while running; queued_duration while queued (§6.1).
	if j.StartedAt != nil {
		end := r.now
		if j.FinishedAt != nil {
			end = *j.FinishedAt
		}
		e.Duration = seconds(end.Sub(*j.StartedAt))
	}
	if j.QueuedAt != nil {
		end := r.now
		if j.StartedAt != nil {
			end = *j.StartedAt
		}
		e.QueuedDuration = seconds(end.Sub(*j.QueuedAt))
	}
	if j.Status == statusFailed {
		e.FailureReason = j.FailureReason
		if e.FailureReason == "" {
			e.FailureReason = "script_failure"
		}
	}
	return e
}

func (r renderer) job(j *job) any {
	if j.bridge {
		e := bridgeEntity{jobBasicEntity: r.jobBasic(j)}
		if j.downstream != nil {
			d := r.pipelineBasic(j.downstream)
			e.DownstreamPipeline = &d
		}
		return withOverrides(e, j.overrides)
	}
	e := jobEntity{jobBasicEntity: r.jobBasic(j), Artifacts: []artifactEntity{}, Archived: j.Archived,
		TagList: nonNil(j.TagList), ArtifactsExpireAt: timePtr(j.ArtifactsExpireAt)}
	if a := j.artifacts; a != nil {
		e.ArtifactsFile = &artifactsFileEntity{Filename: "artifacts.zip", Size: len(a.zip)}
		e.Artifacts = append(e.Artifacts,
			artifactEntity{FileType: "archive", Size: len(a.zip), Filename: "artifacts.zip", FileFormat: optString("zip")},
			artifactEntity{FileType: "metadata", Size: a.metadataSize, Filename: "metadata.gz", FileFormat: optString("gzip")})
	}
	if j.tests != nil && j.ErasedAt == nil {
		// artifacts:reports:junit is uploaded as its own artifact (§14.1).
		e.Artifacts = append(e.Artifacts, artifactEntity{FileType: "junit", Size: 1024 + 96*len(j.Name), Filename: "junit.xml.gz", FileFormat: optString("gzip")})
	}
	if j.ErasedAt == nil && j.Status.completed() && j.log != nil {
		// Finished logs are archived as a trace artifact (§6.2).
		e.Artifacts = append(e.Artifacts, artifactEntity{FileType: "trace", Size: traceSize(j, r.now), Filename: "job.log"})
	}
	if rn := j.runner; rn != nil {
		e.Runner = &runnerEntity{ID: rn.ID, Description: rn.Description, IPAddress: "10.0.0." + fmt.Sprint(rn.ID%250),
			Active: true, IsShared: true, RunnerType: "instance_type", Name: "gitlab-runner", Online: true, Status: "online"}
		if j.StartedAt != nil {
			e.RunnerManager = &runnerManagerEntity{ID: rn.ID, SystemID: fmt.Sprintf("r_%012x", rn.ID), Version: "17.8.0",
				Revision: "e4f782b3", Platform: "linux", Architecture: "amd64", CreatedAt: apiTime(j.StartedAt.Add(-24 * time.Hour)),
				ContactedAt: apiTime(r.now), IPAddress: e.Runner.IPAddress, Status: "online"}
		}
	}
	return withOverrides(e, j.overrides)
}

// traceSize avoids generating a lazy log just to list the job; its planned
// size is reported even once generated, so the entity never changes under
// a client's eyes.
func traceSize(j *job, now time.Time) int {
	if l, ok := j.log.(*lazyLog); ok {
		return l.size
	}
	return len(j.log.content(now))
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
