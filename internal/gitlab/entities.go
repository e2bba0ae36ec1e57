package gitlab

import "time"

// The entities follow gitlab-api.md §6 field by field. Nullable fields are
// pointers (nil = JSON null); fields GitLab leaves out are omitempty, so
// encoding a decoded entity gives back GitLab's keys (entities_test.go
// checks it). Unknown fields are ignored, unknown statuses kept as is.

// JobBasic is what jobs and bridges share (§6.1).
type JobBasic struct {
	ID             int64         `json:"id"`
	Status         Status        `json:"status"`
	Stage          string        `json:"stage"`
	Name           string        `json:"name"`
	Ref            string        `json:"ref"`
	Tag            bool          `json:"tag"`
	Coverage       *float64      `json:"coverage"`
	AllowFailure   bool          `json:"allow_failure"`
	CreatedAt      time.Time     `json:"created_at"`
	StartedAt      *time.Time    `json:"started_at"`
	FinishedAt     *time.Time    `json:"finished_at"`
	ErasedAt       *time.Time    `json:"erased_at"`
	Duration       *float64      `json:"duration"`        // seconds; grows while running
	QueuedDuration *float64      `json:"queued_duration"` // seconds; grows while queued
	User           *User         `json:"user"`
	Commit         *Commit       `json:"commit"`
	Pipeline       PipelineBasic `json:"pipeline"`
	FailureReason  FailureReason `json:"failure_reason,omitempty"` // key absent unless failed
	WebURL         string        `json:"web_url"`
	Project        JobProject    `json:"project"`
	Source         string        `json:"source,omitempty"` // newer GitLab only (§6.1 ⚠)
}

// JobProject is the small project object on a job (§6.1).
type JobProject struct {
	CIJobTokenScopeEnabled bool `json:"ci_job_token_scope_enabled"`
}

// FailureReason says why a failed job failed, e.g. "script_failure".
// GitLab has dozens and adds more; they are kept as strings.
type FailureReason string

// A few common reasons; any other value decodes too.
const (
	FailureScript         FailureReason = "script_failure"
	FailureStuckOrTimeout FailureReason = "stuck_or_timeout_failure"
	FailureRunnerSystem   FailureReason = "runner_system_failure"
	FailureUnknown        FailureReason = "unknown_failure"
	FailureAPI            FailureReason = "api_failure"
	FailureJobExecTimeout FailureReason = "job_execution_timeout"
)

// Job is a build job (§6.2): JobBasic plus runner, artifacts and tags.
type Job struct {
	JobBasic
	ArtifactsFile     *ArtifactsFile `json:"artifacts_file,omitempty"` // key absent unless an unexpired archive exists
	Artifacts         []Artifact     `json:"artifacts"`                // [] when none
	Runner            *Runner        `json:"runner"`
	RunnerManager     *RunnerManager `json:"runner_manager"`
	ArtifactsExpireAt *time.Time     `json:"artifacts_expire_at"`
	Archived          bool           `json:"archived"`
	TagList           []string       `json:"tag_list"` // sorted; [] when none
}

// Bridge is a trigger job (§6.3): JobBasic plus the downstream pipeline,
// nil until one exists.
type Bridge struct {
	JobBasic
	DownstreamPipeline *PipelineBasic `json:"downstream_pipeline"`
}

// ArtifactsFile is a job's artifacts archive (§6.2).
type ArtifactsFile struct {
	Filename string `json:"filename"`
	Size     int64  `json:"size"`
}

// Artifact is one of a job's artifact files; FileType "trace" is the log.
type Artifact struct {
	FileType   string `json:"file_type"`
	Size       int64  `json:"size"`
	Filename   string `json:"filename"`
	FileFormat string `json:"file_format"`
}

// Runner ran the job (§6.2).
type Runner struct {
	ID          int64   `json:"id"`
	Description string  `json:"description"`
	IPAddress   *string `json:"ip_address"` // deprecated; null on current GitLab
	Active      bool    `json:"active"`
	Paused      bool    `json:"paused"`
	IsShared    bool    `json:"is_shared"`
	RunnerType  string  `json:"runner_type"`
	Name        string  `json:"name"`
	Online      bool    `json:"online"`
	Status      string  `json:"status"`
}

// RunnerManager is the runner process that ran the job (§6.2).
type RunnerManager struct {
	ID           int64      `json:"id"`
	SystemID     string     `json:"system_id"`
	Version      string     `json:"version"`
	Revision     string     `json:"revision"`
	Platform     string     `json:"platform"`
	Architecture string     `json:"architecture"`
	CreatedAt    time.Time  `json:"created_at"`
	ContactedAt  *time.Time `json:"contacted_at"`
	IPAddress    string     `json:"ip_address"`
	Status       string     `json:"status"`
}

// PipelineBasic is the pipeline summary on jobs and in lists (§6.4).
type PipelineBasic struct {
	ID        int64     `json:"id"`
	IID       int64     `json:"iid"`
	ProjectID int64     `json:"project_id"`
	SHA       string    `json:"sha"`
	Ref       string    `json:"ref"`
	Status    Status    `json:"status"`
	Source    string    `json:"source"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	WebURL    string    `json:"web_url"`
	Name      *string   `json:"name,omitempty"` // pipelines list and single pipeline only (§11)
}

// Pipeline is a single pipeline (§11): PipelineBasic and more.
type Pipeline struct {
	PipelineBasic
	BeforeSHA      string          `json:"before_sha"`
	Tag            bool            `json:"tag"`
	YAMLErrors     *string         `json:"yaml_errors"`
	User           *User           `json:"user"`
	StartedAt      *time.Time      `json:"started_at"`
	FinishedAt     *time.Time      `json:"finished_at"`
	CommittedAt    *time.Time      `json:"committed_at"`
	Duration       *float64        `json:"duration"`
	QueuedDuration *float64        `json:"queued_duration"`
	Coverage       *string         `json:"coverage"` // a string in the pipeline entity
	DetailedStatus *DetailedStatus `json:"detailed_status"`
	Archived       *bool           `json:"archived,omitempty"` // shown in newer docs only
}

// DetailedStatus is how GitLab's UI shows a pipeline's status (§11).
type DetailedStatus struct {
	Icon         string `json:"icon"`
	Text         string `json:"text"`
	Label        string `json:"label"`
	Group        string `json:"group"`
	Tooltip      string `json:"tooltip"`
	HasDetails   bool   `json:"has_details"`
	DetailsPath  string `json:"details_path"`
	Illustration any    `json:"illustration"` // null or an object; shape not used
	Favicon      string `json:"favicon"`
}

// Commit is the commit a job ran on (§6.4). Dates keep their offset.
type Commit struct {
	ID             string            `json:"id"`
	ShortID        string            `json:"short_id"`
	CreatedAt      time.Time         `json:"created_at"`
	ParentIDs      []string          `json:"parent_ids"`
	Title          string            `json:"title"`
	Message        string            `json:"message"`
	AuthorName     string            `json:"author_name"`
	AuthorEmail    string            `json:"author_email"`
	AuthoredDate   time.Time         `json:"authored_date"`
	CommitterName  string            `json:"committer_name"`
	CommitterEmail string            `json:"committer_email"`
	CommittedDate  time.Time         `json:"committed_date"`
	Trailers       map[string]string `json:"trailers"`
	WebURL         string            `json:"web_url"`
}

// User is a user as shown on jobs and by GET /user (§6.4, §11). Profile
// fields beyond these are ignored.
type User struct {
	ID           int64      `json:"id"`
	Username     string     `json:"username"`
	Name         string     `json:"name"`
	State        string     `json:"state"`
	AvatarURL    string     `json:"avatar_url"`
	WebURL       string     `json:"web_url"`
	CreatedAt    *time.Time `json:"created_at,omitempty"`
	Bio          string     `json:"bio,omitempty"`
	Location     string     `json:"location,omitempty"`
	PublicEmail  string     `json:"public_email,omitempty"`
	WebsiteURL   string     `json:"website_url,omitempty"`
	Organization string     `json:"organization,omitempty"`
}

// Project is a project from GET /projects or /projects/:id (§11). With
// simple=true GitLab sends only the first fields; the rest stay zero.
type Project struct {
	ID                int64               `json:"id"`
	Name              string              `json:"name"`
	Path              string              `json:"path"`
	PathWithNamespace string              `json:"path_with_namespace"`
	NameWithNamespace string              `json:"name_with_namespace"`
	Description       *string             `json:"description"`
	DefaultBranch     string              `json:"default_branch"`
	WebURL            string              `json:"web_url"`
	AvatarURL         *string             `json:"avatar_url"`
	Namespace         *Namespace          `json:"namespace"`
	CreatedAt         *time.Time          `json:"created_at,omitempty"`
	LastActivityAt    *time.Time          `json:"last_activity_at,omitempty"`
	Visibility        string              `json:"visibility,omitempty"`
	Archived          bool                `json:"archived,omitempty"`
	JobsEnabled       *bool               `json:"jobs_enabled,omitempty"`
	BuildsAccessLevel string              `json:"builds_access_level,omitempty"`
	Permissions       *ProjectPermissions `json:"permissions,omitempty"`
}

// Namespace is a project's group or user namespace.
type Namespace struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Path     string `json:"path"`
	Kind     string `json:"kind"`
	FullPath string `json:"full_path"`
	ParentID *int64 `json:"parent_id"`
	WebURL   string `json:"web_url"`
}

// ProjectPermissions is the caller's access to a project; either level may
// be null.
type ProjectPermissions struct {
	ProjectAccess *AccessLevel `json:"project_access"`
	GroupAccess   *AccessLevel `json:"group_access"`
}

// AccessLevel is a membership: 10 Guest, 20 Reporter, 30 Developer,
// 40 Maintainer, 50 Owner.
type AccessLevel struct {
	AccessLevel       int `json:"access_level"`
	NotificationLevel int `json:"notification_level"`
}

// AllowedAgents is GET /job/allowed_agents (§5.5): not a job entity.
type AllowedAgents struct {
	AllowedAgents []Agent           `json:"allowed_agents"`
	Job           IDRef             `json:"job"`
	Pipeline      IDRef             `json:"pipeline"`
	Project       AgentsProject     `json:"project"`
	User          AgentsUser        `json:"user"`
	Environment   *AgentEnvironment `json:"environment,omitempty"` // only when the job has an environment
}

// IDRef is an object that only names an id.
type IDRef struct {
	ID int64 `json:"id"`
}

// AgentsProject is the job's project in AllowedAgents.
type AgentsProject struct {
	ID     int64   `json:"id"`
	Groups []IDRef `json:"groups"`
}

// AgentsUser is the job's user in AllowedAgents.
type AgentsUser struct {
	ID             int64    `json:"id"`
	Username       string   `json:"username"`
	RolesInProject []string `json:"roles_in_project"`
}

// AgentEnvironment is the job's environment in AllowedAgents.
type AgentEnvironment struct {
	Tier string `json:"tier"`
	Slug string `json:"slug"`
}

// Agent is a Kubernetes agent a job may use. The nested objects vary by
// GitLab version and are kept as decoded JSON.
type Agent struct {
	ID            int64          `json:"id"`
	ConfigProject map[string]any `json:"config_project"`
	Configuration map[string]any `json:"configuration"`
}
