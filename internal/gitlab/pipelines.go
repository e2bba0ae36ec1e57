package gitlab

import (
	"context"
	"fmt"
	"iter"
	"net/url"
	"time"
)

// PipelineScope filters pipelines by kind, unlike Status (gitlab-api.md §11).
type PipelineScope string

// The pipeline scopes GitLab accepts.
const (
	PipelineScopeRunning  PipelineScope = "running"
	PipelineScopePending  PipelineScope = "pending"
	PipelineScopeFinished PipelineScope = "finished"
	PipelineScopeBranches PipelineScope = "branches"
	PipelineScopeTags     PipelineScope = "tags"
)

// PipelineOrder is what GET /projects/:id/pipelines sorts by.
type PipelineOrder string

// Pipeline orders; zero means id.
const (
	PipelineOrderID        PipelineOrder = "id"
	PipelineOrderStatus    PipelineOrder = "status"
	PipelineOrderRef       PipelineOrder = "ref"
	PipelineOrderUpdatedAt PipelineOrder = "updated_at"
	PipelineOrderUserID    PipelineOrder = "user_id"
)

// ListPipelinesOptions filters GET /projects/:id/pipelines (gitlab-api.md
// §11). Zero fields are not sent. Child pipelines are excluded unless
// Source is "parent_pipeline".
type ListPipelinesOptions struct {
	Scope         PipelineScope
	Status        Status
	Ref           string
	SHA           string
	YAMLErrors    bool
	Username      string
	Source        string
	Name          string
	UpdatedAfter  time.Time
	UpdatedBefore time.Time
	CreatedAfter  time.Time
	CreatedBefore time.Time
	OrderBy       PipelineOrder
	Sort          Sort
	ListOptions
}

func (o ListPipelinesOptions) query() (url.Values, error) {
	switch o.Scope {
	case "", PipelineScopeRunning, PipelineScopePending, PipelineScopeFinished, PipelineScopeBranches, PipelineScopeTags:
	default:
		return nil, fmt.Errorf("%w: unknown pipeline scope %q", ErrInvalidArgument, o.Scope)
	}
	if o.Status != "" && !o.Status.Known() {
		return nil, fmt.Errorf("%w: unknown pipeline status %q", ErrInvalidArgument, o.Status)
	}
	switch o.OrderBy {
	case "", PipelineOrderID, PipelineOrderStatus, PipelineOrderRef, PipelineOrderUpdatedAt, PipelineOrderUserID:
	default:
		return nil, fmt.Errorf("%w: unknown pipeline order %q", ErrInvalidArgument, o.OrderBy)
	}
	if err := o.Sort.validate(); err != nil {
		return nil, err
	}
	if err := o.ListOptions.validate(); err != nil {
		return nil, err
	}
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("scope", string(o.Scope))
	set("status", string(o.Status))
	set("ref", o.Ref)
	set("sha", o.SHA)
	if o.YAMLErrors {
		q.Set("yaml_errors", "true")
	}
	set("username", o.Username)
	set("source", o.Source)
	set("name", o.Name)
	for k, t := range map[string]time.Time{
		"updated_after": o.UpdatedAfter, "updated_before": o.UpdatedBefore,
		"created_after": o.CreatedAfter, "created_before": o.CreatedBefore,
	} {
		if !t.IsZero() {
			q.Set(k, t.UTC().Format(time.RFC3339))
		}
	}
	set("order_by", string(o.OrderBy))
	set("sort", string(o.Sort))
	o.ListOptions.encode(q)
	return q, nil
}

// ListPipelines returns one page of a project's pipelines (gitlab-api.md §11).
func (c *Client) ListPipelines(ctx context.Context, project ProjectRef, opts ListPipelinesOptions) ([]PipelineBasic, PageInfo, error) {
	if err := project.validate(); err != nil {
		return nil, PageInfo{}, fmt.Errorf("list pipelines: %w", err)
	}
	q, err := opts.query()
	if err != nil {
		return nil, PageInfo{}, fmt.Errorf("list pipelines: %w", err)
	}
	return listPage[PipelineBasic](ctx, c, "list pipelines", "/projects/"+project.segment()+"/pipelines", q, opts.IfNoneMatch)
}

// AllPipelines walks every page of ListPipelines.
func (c *Client) AllPipelines(ctx context.Context, project ProjectRef, opts ListPipelinesOptions) iter.Seq2[PipelineBasic, error] {
	return all(ctx, pageRequest{page: opts.Page}, func(ctx context.Context, pr pageRequest) ([]PipelineBasic, PageInfo, error) {
		o := opts
		o.Page, o.IfNoneMatch = pr.page, ""
		return c.ListPipelines(ctx, project, o)
	})
}

// GetPipeline returns one pipeline with its detailed status (gitlab-api.md
// §11). Unknown ids give ErrNotFound.
func (c *Client) GetPipeline(ctx context.Context, project ProjectRef, pipelineID int64) (*Pipeline, error) {
	if err := project.validate(); err != nil {
		return nil, fmt.Errorf("get pipeline: %w", err)
	}
	if err := validateID("pipeline", pipelineID); err != nil {
		return nil, fmt.Errorf("get pipeline: %w", err)
	}
	p, _, err := getJSON[*Pipeline](ctx, c, pipelinePath(project, pipelineID), nil)
	if err != nil {
		return nil, fmt.Errorf("get pipeline: %w", err)
	}
	return p, nil
}
