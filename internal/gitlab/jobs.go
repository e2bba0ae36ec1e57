package gitlab

import (
	"context"
	"fmt"
	"iter"
	"net/url"
	"strconv"
)

// ListProjectJobsOptions filters and pages GET /projects/:id/jobs
// (gitlab-api.md §5.1). Results are always newest first (id descending).
type ListProjectJobsOptions struct {
	Scope       ScopeSet // statuses to include; zero = all
	ListOptions          // offset paging; ignored with Keyset

	// Keyset selects keyset pagination (§7.2): no totals, no page numbers,
	// but deep pages cost GitLab nothing. Only this endpoint supports it.
	Keyset bool
	// Cursor continues a keyset walk: PageInfo.NextCursor of the previous
	// page. Setting it implies Keyset.
	Cursor string
}

func (o ListProjectJobsOptions) query() (url.Values, error) {
	if err := o.Scope.validate(); err != nil {
		return nil, err
	}
	if err := o.ListOptions.validate(); err != nil {
		return nil, err
	}
	keyset := o.Keyset || o.Cursor != ""
	if keyset && o.Page > 1 {
		return nil, fmt.Errorf("%w: page and keyset pagination exclude each other", ErrInvalidArgument)
	}
	q := url.Values{}
	encodeScope(q, o.Scope)
	if keyset {
		q.Set("pagination", "keyset")
		if o.PerPage > 0 {
			q.Set("per_page", strconv.Itoa(o.PerPage))
		}
		if o.Cursor != "" {
			q.Set("cursor", o.Cursor)
		}
	} else {
		o.ListOptions.encode(q)
	}
	return q, nil
}

// encodeScope writes scope[]=a&scope[]=b (gitlab-api.md §1, §5.1).
func encodeScope(q url.Values, s ScopeSet) {
	for _, st := range s.Statuses() {
		q.Add("scope[]", string(st))
	}
}

// ListProjectJobs returns one page of a project's jobs: builds only (no
// bridges), retried attempts included (gitlab-api.md §5.1). Offset pages
// never carry totals here. An invalid scope set or page option fails with
// ErrInvalidArgument before any request.
func (c *Client) ListProjectJobs(ctx context.Context, project ProjectRef, opts ListProjectJobsOptions) ([]Job, PageInfo, error) {
	if err := project.validate(); err != nil {
		return nil, PageInfo{}, fmt.Errorf("list project jobs: %w", err)
	}
	q, err := opts.query()
	if err != nil {
		return nil, PageInfo{}, fmt.Errorf("list project jobs: %w", err)
	}
	return listPage[Job](ctx, c, "list project jobs", "/projects/"+project.segment()+"/jobs", q, opts.IfNoneMatch)
}

// AllProjectJobs walks every page of ListProjectJobs from opts' page or
// cursor, keyset or offset as opts say. Breaking out of the loop stops it,
// and so does ctx; an error is yielded once and ends the walk.
func (c *Client) AllProjectJobs(ctx context.Context, project ProjectRef, opts ListProjectJobsOptions) iter.Seq2[Job, error] {
	return all(ctx, pageRequest{page: opts.Page, cursor: opts.Cursor}, func(ctx context.Context, pr pageRequest) ([]Job, PageInfo, error) {
		o := opts
		o.Page, o.Cursor, o.IfNoneMatch = pr.page, pr.cursor, ""
		return c.ListProjectJobs(ctx, project, o)
	})
}

// ListPipelineJobsOptions filters and pages GET
// /projects/:id/pipelines/:pipeline_id/jobs (gitlab-api.md §5.2).
type ListPipelineJobsOptions struct {
	Scope ScopeSet
	// IncludeRetried adds earlier attempts of retried jobs; they are told
	// apart only by same name and lower id (§5.2).
	IncludeRetried bool
	ListOptions
}

// ListPipelineJobs returns one page of a pipeline's jobs, newest first:
// builds only, not bridges nor child pipelines' jobs (§5.2). A caller who
// may see the pipeline but not its jobs gets an empty list, not 403.
func (c *Client) ListPipelineJobs(ctx context.Context, project ProjectRef, pipelineID int64, opts ListPipelineJobsOptions) ([]Job, PageInfo, error) {
	q, err := pipelineListQuery(project, pipelineID, opts.Scope, opts.ListOptions)
	if err != nil {
		return nil, PageInfo{}, fmt.Errorf("list pipeline jobs: %w", err)
	}
	if opts.IncludeRetried {
		q.Set("include_retried", "true")
	}
	return listPage[Job](ctx, c, "list pipeline jobs", pipelinePath(project, pipelineID)+"/jobs", q, opts.IfNoneMatch)
}

// AllPipelineJobs walks every page of ListPipelineJobs (see AllProjectJobs).
func (c *Client) AllPipelineJobs(ctx context.Context, project ProjectRef, pipelineID int64, opts ListPipelineJobsOptions) iter.Seq2[Job, error] {
	return all(ctx, pageRequest{page: opts.Page}, func(ctx context.Context, pr pageRequest) ([]Job, PageInfo, error) {
		o := opts
		o.Page, o.IfNoneMatch = pr.page, ""
		return c.ListPipelineJobs(ctx, project, pipelineID, o)
	})
}

// ListPipelineBridgesOptions filters and pages GET
// /projects/:id/pipelines/:pipeline_id/bridges (gitlab-api.md §5.3).
type ListPipelineBridgesOptions struct {
	Scope ScopeSet
	ListOptions
}

// ListPipelineBridges returns one page of a pipeline's trigger jobs, latest
// attempts only (§5.3). It uses /bridges, which every GitLab version has;
// 19.2+ also names it /trigger_jobs.
func (c *Client) ListPipelineBridges(ctx context.Context, project ProjectRef, pipelineID int64, opts ListPipelineBridgesOptions) ([]Bridge, PageInfo, error) {
	q, err := pipelineListQuery(project, pipelineID, opts.Scope, opts.ListOptions)
	if err != nil {
		return nil, PageInfo{}, fmt.Errorf("list pipeline bridges: %w", err)
	}
	return listPage[Bridge](ctx, c, "list pipeline bridges", pipelinePath(project, pipelineID)+"/bridges", q, opts.IfNoneMatch)
}

// AllPipelineBridges walks every page of ListPipelineBridges.
func (c *Client) AllPipelineBridges(ctx context.Context, project ProjectRef, pipelineID int64, opts ListPipelineBridgesOptions) iter.Seq2[Bridge, error] {
	return all(ctx, pageRequest{page: opts.Page}, func(ctx context.Context, pr pageRequest) ([]Bridge, PageInfo, error) {
		o := opts
		o.Page, o.IfNoneMatch = pr.page, ""
		return c.ListPipelineBridges(ctx, project, pipelineID, o)
	})
}

func pipelineListQuery(project ProjectRef, pipelineID int64, scope ScopeSet, lo ListOptions) (url.Values, error) {
	if err := project.validate(); err != nil {
		return nil, err
	}
	if err := validateID("pipeline", pipelineID); err != nil {
		return nil, err
	}
	if err := scope.validate(); err != nil {
		return nil, err
	}
	if err := lo.validate(); err != nil {
		return nil, err
	}
	q := url.Values{}
	encodeScope(q, scope)
	lo.encode(q)
	return q, nil
}

func pipelinePath(project ProjectRef, pipelineID int64) string {
	return "/projects/" + project.segment() + "/pipelines/" + strconv.FormatInt(pipelineID, 10)
}

func jobPath(project ProjectRef, jobID int64) string {
	return "/projects/" + project.segment() + "/jobs/" + strconv.FormatInt(jobID, 10)
}

func validateID(what string, id int64) error {
	if id <= 0 {
		return fmt.Errorf("%w: %s id must be positive, got %d", ErrInvalidArgument, what, id)
	}
	return nil
}

func validateJob(project ProjectRef, jobID int64) error {
	if err := project.validate(); err != nil {
		return err
	}
	return validateID("job", jobID)
}

// GetJob returns one job (gitlab-api.md §5.6). A bridge's id is not found
// here: GitLab looks among builds only (§3).
func (c *Client) GetJob(ctx context.Context, project ProjectRef, jobID int64) (*Job, error) {
	return c.jobJSON(ctx, "get job", "GET", project, jobID, "", nil)
}

// JobLog returns a job's whole raw log, ANSI escapes and section markers
// untouched (gitlab-api.md §5.7). A job without a log, or an erased one,
// gives an empty log, not an error. There is no incremental API: to follow
// a running job, fetch again and parse the new tail.
func (c *Client) JobLog(ctx context.Context, project ProjectRef, jobID int64) ([]byte, error) {
	return c.jobBytes(ctx, "get job log", project, jobID, "/trace")
}

// CancelOptions are the parameters of CancelJob.
type CancelOptions struct {
	// Force moves a canceling job to canceled without waiting for its
	// after_script; GitLab requires Maintainer for it (§8.3).
	Force bool
}

// CancelJob asks GitLab to cancel a job and returns it in its current state
// (gitlab-api.md §5.8). GitLab answers 201 even when the job cannot be
// canceled (already finished): the returned status says what happened
// (§8.3). Never retried automatically.
func (c *Client) CancelJob(ctx context.Context, project ProjectRef, jobID int64, opts CancelOptions) (*Job, error) {
	var body any
	if opts.Force {
		body = map[string]bool{"force": true}
	}
	return c.jobJSON(ctx, "cancel job", "POST", project, jobID, "/cancel", body)
}

// RetryJob starts a new attempt of a finished job and returns the new job,
// which has a new id (gitlab-api.md §5.8). A job not in a retryable state
// gives ErrForbidden with GitLab's message "403 Forbidden - Job is not
// retryable" (§8.3). Never retried automatically.
func (c *Client) RetryJob(ctx context.Context, project ProjectRef, jobID int64) (*Job, error) {
	return c.jobJSON(ctx, "retry job", "POST", project, jobID, "/retry", nil)
}

// EraseJob deletes a finished job's log and artifacts and returns the job
// with ErasedAt set (gitlab-api.md §5.8, §8.3). Never retried automatically.
func (c *Client) EraseJob(ctx context.Context, project ProjectRef, jobID int64) (*Job, error) {
	return c.jobJSON(ctx, "erase job", "POST", project, jobID, "/erase", nil)
}

// JobVariable is a variable passed to a manual job when playing it.
type JobVariable struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// PlayOptions are the parameters of PlayJob.
type PlayOptions struct {
	Variables []JobVariable
}

// PlayJob starts a manual or scheduled job, optionally with variables, and
// returns it (gitlab-api.md §5.8). GitLab answers 200. For a bridge GitLab
// sends the Bridge entity; its JobBasic fields decode into the Job. A job
// that cannot be played gives ErrBadRequest ("400 Bad request - Unplayable
// Job", §8.3). An empty variable key is rejected before the request. Never
// retried automatically.
func (c *Client) PlayJob(ctx context.Context, project ProjectRef, jobID int64, opts PlayOptions) (*Job, error) {
	var body any
	if len(opts.Variables) > 0 {
		for i, v := range opts.Variables {
			if v.Key == "" {
				return nil, fmt.Errorf("play job: %w: variable %d has no key", ErrInvalidArgument, i)
			}
		}
		body = struct {
			Vars []JobVariable `json:"job_variables_attributes"`
		}{opts.Variables}
	}
	return c.jobJSON(ctx, "play job", "POST", project, jobID, "/play", body)
}

// jobJSON checks project and jobID, sends method to the job's path plus
// suffix and decodes the Job GitLab answers; op prefixes every error.
func (c *Client) jobJSON(ctx context.Context, op, method string, project ProjectRef, jobID int64, suffix string, body any) (*Job, error) {
	if err := validateJob(project, jobID); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	j, _, err := doJSON[*Job](ctx, c, call{method: method, path: jobPath(project, jobID) + suffix, body: body})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return j, nil
}

// jobBytes checks project and jobID and GETs the job's path plus suffix as
// raw bytes (a log, an archive); op prefixes every error.
func (c *Client) jobBytes(ctx context.Context, op string, project ProjectRef, jobID int64, suffix string) ([]byte, error) {
	if err := validateJob(project, jobID); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	resp, err := c.send(ctx, call{method: "GET", path: jobPath(project, jobID) + suffix})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return resp.Body, nil
}

// CurrentJob returns the running job that owns the client's job token
// (GET /job, gitlab-api.md §5.4); use c.WithAuth(JobToken(t)). Any other
// credential gets ErrNotFound ("404 Job Not Found"); a finished job's token
// gets ErrUnauthorized.
func (c *Client) CurrentJob(ctx context.Context) (*Job, error) {
	j, _, err := getJSON[*Job](ctx, c, "/job", nil)
	if err != nil {
		return nil, fmt.Errorf("get current job: %w", err)
	}
	return j, nil
}

// JobAllowedAgents returns the Kubernetes agents the job token's job may use
// (GET /job/allowed_agents, gitlab-api.md §5.5); same auth rules as CurrentJob.
func (c *Client) JobAllowedAgents(ctx context.Context) (*AllowedAgents, error) {
	a, _, err := getJSON[*AllowedAgents](ctx, c, "/job/allowed_agents", nil)
	if err != nil {
		return nil, fmt.Errorf("get job allowed agents: %w", err)
	}
	return a, nil
}

// listPage GETs one page of a list and reads its page info. With etag, an
// unchanged page is a 304 (§4): no items, PageInfo.NotModified. The fetch
// transport sets cache "no-store", so the browser never revalidates by
// itself: the If-None-Match must come from here.
func listPage[T any](ctx context.Context, c *Client, op, path string, q url.Values, etag string) ([]T, PageInfo, error) {
	cl := call{method: "GET", path: path, query: q}
	if etag != "" {
		cl.header, cl.answers = Header{}, []int{304}
		cl.header.Set("If-None-Match", etag)
	}
	items, resp, err := doJSON[[]T](ctx, c, cl)
	if err != nil {
		return nil, PageInfo{}, fmt.Errorf("%s: %w", op, err)
	}
	info := pageInfo(resp.Header)
	if resp.StatusCode == 304 {
		info.NotModified = true
		if info.ETag == "" {
			info.ETag = etag // Rack::ConditionalGet keeps it, a proxy might not
		}
	}
	return items, info, nil
}
