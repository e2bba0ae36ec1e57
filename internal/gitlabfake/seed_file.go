package gitlabfake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Fixtures (Options.SeedFile, env SEED_FILE) add projects, pipelines, jobs
// and logs to the seeded data. The format is documented in README.md;
// testdata/fixtures.json is an example.

type fixtureFile struct {
	Projects []fixtureProject `json:"projects"`
}

type fixtureProject struct {
	ID                int64             `json:"id"`
	PathWithNamespace string            `json:"path_with_namespace"`
	Name              string            `json:"name"`
	Description       string            `json:"description"`
	Visibility        string            `json:"visibility"`
	DefaultBranch     string            `json:"default_branch"`
	Pipelines         []fixturePipeline `json:"pipelines"`
}

type fixturePipeline struct {
	ID        int64      `json:"id"`
	Ref       string     `json:"ref"`
	SHA       string     `json:"sha"`
	Source    string     `json:"source"`
	Status    string     `json:"status"`
	Name      string     `json:"name"`
	CreatedAt *time.Time `json:"created_at"`
	Commit    *struct {
		Title       string `json:"title"`
		Message     string `json:"message"`
		AuthorName  string `json:"author_name"`
		AuthorEmail string `json:"author_email"`
	} `json:"commit"`
	Jobs []map[string]json.RawMessage `json:"jobs"`
}

// jobFields are the job entity fields the emulator keeps as state; any
// other field of a fixture job is rendered verbatim over the entity.
type jobFields struct {
	ID                int64      `json:"id"`
	Status            string     `json:"status"`
	Stage             string     `json:"stage"`
	Name              string     `json:"name"`
	When              string     `json:"when"`
	AllowFailure      bool       `json:"allow_failure"`
	Coverage          *float64   `json:"coverage"`
	CreatedAt         *time.Time `json:"created_at"`
	StartedAt         *time.Time `json:"started_at"`
	FinishedAt        *time.Time `json:"finished_at"`
	ErasedAt          *time.Time `json:"erased_at"`
	ArtifactsExpireAt *time.Time `json:"artifacts_expire_at"`
	Duration          *float64   `json:"duration"`
	QueuedDuration    *float64   `json:"queued_duration"`
	FailureReason     string     `json:"failure_reason"`
	TagList           []string   `json:"tag_list"`
	Archived          bool       `json:"archived"`
	Log               *string    `json:"log"`
	LogFile           string     `json:"log_file"`
	Variables         []variable `json:"variables"`
}

// derived are fields computed by the emulator, never rendered verbatim.
var derived = []string{"id", "status", "stage", "name", "when", "allow_failure", "coverage", "created_at",
	"started_at", "finished_at", "erased_at", "artifacts_expire_at", "duration", "queued_duration",
	"failure_reason", "tag_list", "archived", "log", "log_file", "variables"}

func (s *Server) loadFixtures(path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("seed file: %w", err)
	}
	var f fixtureFile
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return fmt.Errorf("seed file %s: %w", path, err)
	}
	dir := filepath.Dir(path)
	for pi, fp := range f.Projects {
		where := fmt.Sprintf("seed file %s: projects[%d]", path, pi)
		p, err := s.fixtureProject(fp)
		if err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		for li, fpl := range fp.Pipelines {
			if err := s.fixturePipeline(p, fpl, dir, fmt.Sprintf("%s.pipelines[%d]", where, li)); err != nil {
				return err
			}
		}
	}
	return nil
}

var errFixture = errors.New("invalid fixture")

func (s *Server) fixtureProject(fp fixtureProject) (*project, error) {
	if p := s.projectByPath(fp.PathWithNamespace); p != nil {
		return p, nil // add to a seeded project
	}
	ns, name, ok := strings.Cut(reverse(fp.PathWithNamespace), "/")
	if !ok || ns == "" || name == "" {
		return nil, fmt.Errorf("%w: path_with_namespace %q must be group/.../project", errFixture, fp.PathWithNamespace)
	}
	ns, name = reverse(name), reverse(ns)
	id := fp.ID
	if id == 0 {
		id = 1000 + int64(len(s.projects))
	}
	if s.projectByID(id) != nil {
		return nil, fmt.Errorf("%w: project id %d is taken", errFixture, id)
	}
	vis := firstNonEmpty(fp.Visibility, "private")
	if vis != "private" && vis != "internal" && vis != "public" {
		return nil, fmt.Errorf("%w: visibility %q", errFixture, vis)
	}
	p := &project{ID: id, Name: firstNonEmpty(fp.Name, name), Path: name, Namespace: ns, Visibility: vis,
		Description: fp.Description, DefaultBranch: firstNonEmpty(fp.DefaultBranch, "main"),
		CreatedAt: s.start.Add(-24 * time.Hour), LastActivityAt: s.start,
		members: map[int64]accessLevel{1: maintainer, 2: guest}}
	s.projects = append(s.projects, p)
	return p, nil
}

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

func (s *Server) fixturePipeline(p *project, fpl fixturePipeline, dir, where string) error {
	created := s.start.Add(-time.Hour)
	if fpl.CreatedAt != nil {
		created = *fpl.CreatedAt
	}
	if fpl.ID != 0 && s.pipes[fpl.ID] != nil {
		return fmt.Errorf("%s: %w: pipeline id %d is taken", where, errFixture, fpl.ID)
	}
	if fpl.Status != "" && !validStatus(fpl.Status) {
		return fmt.Errorf("%s: %w: status %q is not a pipeline status", where, errFixture, fpl.Status)
	}
	id := fpl.ID
	if id == 0 {
		s.nextPipe++
		id = s.nextPipe
	}
	s.nextPipe = max(s.nextPipe, id)
	sha := firstNonEmpty(fpl.SHA, fmt.Sprintf("%040x", id))
	if len(sha) < 8 {
		return fmt.Errorf("%s: %w: sha %q is too short", where, errFixture, sha)
	}
	pl := &pipeline{ID: id, IID: int64(len(p.pipelines) + 1), project: p, SHA: sha, BeforeSHA: strings.Repeat("0", 40),
		Ref: firstNonEmpty(fpl.Ref, p.DefaultBranch), Source: firstNonEmpty(fpl.Source, "push"), Name: fpl.Name,
		CreatedAt: created, UpdatedAt: created, user: s.demo, fixedStatus: status(fpl.Status)}
	pl.Tag = isTagRef(pl.Ref)
	pl.commit = &commit{ID: sha, Title: "Fixture pipeline", Message: "Fixture pipeline\n", AuthorName: s.demo.Name,
		AuthorEmail: s.demo.Username + "@example.com", AuthoredDate: created, CommittedDate: created}
	if c := fpl.Commit; c != nil {
		pl.commit.Title = firstNonEmpty(c.Title, pl.commit.Title)
		pl.commit.Message = firstNonEmpty(c.Message, pl.commit.Title+"\n")
		pl.commit.AuthorName = firstNonEmpty(c.AuthorName, pl.commit.AuthorName)
		pl.commit.AuthorEmail = firstNonEmpty(c.AuthorEmail, pl.commit.AuthorEmail)
	}
	p.pipelines = append(p.pipelines, pl)
	s.pipes[pl.ID] = pl
	for ji, raw := range fpl.Jobs {
		if err := s.fixtureJob(pl, raw, dir); err != nil {
			return fmt.Errorf("%s.jobs[%d]: %w", where, ji, err)
		}
	}
	return nil
}

func (s *Server) fixtureJob(pl *pipeline, raw map[string]json.RawMessage, dir string) error {
	whole, _ := json.Marshal(raw)
	var f jobFields
	if err := json.Unmarshal(whole, &f); err != nil {
		return fmt.Errorf("%w: %v", errFixture, err)
	}
	if f.Name == "" {
		return fmt.Errorf("%w: a job needs a name", errFixture)
	}
	st := firstNonEmpty(f.Status, "success")
	if !validStatus(st) {
		return fmt.Errorf("%w: status %q is not a job status", errFixture, st)
	}
	if f.ID != 0 && s.jobs[f.ID] != nil {
		return fmt.Errorf("%w: job id %d is taken", errFixture, f.ID)
	}
	j := &job{Status: status(st), Stage: firstNonEmpty(f.Stage, "test"), Name: f.Name,
		When: firstNonEmpty(f.When, "on_success"), AllowFailure: f.AllowFailure, Coverage: f.Coverage,
		CreatedAt: pl.CreatedAt, StartedAt: f.StartedAt, FinishedAt: f.FinishedAt, ErasedAt: f.ErasedAt,
		ArtifactsExpireAt: f.ArtifactsExpireAt, FailureReason: f.FailureReason, TagList: f.TagList,
		Archived: f.Archived, user: s.demo, variables: f.Variables}
	if f.CreatedAt != nil {
		j.CreatedAt = *f.CreatedAt
	}
	// duration without timestamps: derive them, so the entity's duration matches.
	if f.Duration != nil {
		d := time.Duration(*f.Duration * float64(time.Second))
		switch {
		case j.StartedAt == nil && j.FinishedAt != nil:
			t := j.FinishedAt.Add(-d)
			j.StartedAt = &t
		case j.StartedAt != nil && j.FinishedAt == nil && status(st).completed():
			t := j.StartedAt.Add(d)
			j.FinishedAt = &t
		case j.StartedAt == nil && status(st).completed():
			t := j.CreatedAt.Add(d)
			j.StartedAt, j.FinishedAt = &j.CreatedAt, &t
		}
	}
	if f.QueuedDuration != nil && j.StartedAt != nil {
		t := j.StartedAt.Add(-time.Duration(*f.QueuedDuration * float64(time.Second)))
		j.QueuedAt = &t
	}
	switch {
	case f.Log != nil && f.LogFile != "":
		return fmt.Errorf("%w: job %q has both log and log_file", errFixture, f.Name)
	case f.Log != nil:
		j.log = staticLog(*f.Log)
	case f.LogFile != "":
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.LogFile)))
		if err != nil {
			return fmt.Errorf("job %q: %w", f.Name, err)
		}
		j.log = staticLog(b)
	}
	for _, k := range derived {
		delete(raw, k)
	}
	if len(raw) > 0 {
		j.overrides = raw
	}
	if f.ID != 0 {
		j.ID = f.ID
		pl.jobs = append(pl.jobs, j)
		pl.project.jobs = insertByID(pl.project.jobs, j)
		j.pipeline = pl
		s.jobs[j.ID] = j
		s.nextJob = max(s.nextJob, j.ID)
	} else {
		s.addJob(pl, j)
	}
	j.since = j.CreatedAt
	if j.Status == statusRunning {
		j.token = s.jobToken(j)
		s.jobTokens[j.token] = j
	}
	return nil
}

// insertByID keeps a project's jobs in ascending id order.
func insertByID(list []*job, j *job) []*job {
	i := len(list)
	for i > 0 && list[i-1].ID > j.ID {
		i--
	}
	list = append(list, nil)
	copy(list[i+1:], list[i:])
	list[i] = j
	return list
}

// withOverrides merges fixture fields over a rendered entity (SEED_FILE jobs
// may set any field of the job entity).
func withOverrides(e any, ov map[string]json.RawMessage) any {
	if len(ov) == 0 {
		return e
	}
	raw, err := json.Marshal(e)
	if err != nil {
		return e
	}
	m := map[string]json.RawMessage{}
	if err := json.Unmarshal(raw, &m); err != nil {
		return e
	}
	for k, v := range ov {
		m[k] = v
	}
	return m
}
