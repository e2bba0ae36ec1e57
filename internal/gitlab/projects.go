package gitlab

import (
	"context"
	"fmt"
	"iter"
	"net/url"
	"strconv"
)

// CurrentUser returns the user the credential belongs to (GET /user,
// gitlab-api.md §11): the cheapest way to check a token. A bad token gives
// ErrUnauthorized.
func (c *Client) CurrentUser(ctx context.Context) (*User, error) {
	u, _, err := getJSON[*User](ctx, c, "/user", nil)
	if err != nil {
		return nil, fmt.Errorf("get current user: %w", err)
	}
	return u, nil
}

// Sort is a list's direction.
type Sort string

// Directions; the zero value means GitLab's default (desc everywhere here).
const (
	SortAsc  Sort = "asc"
	SortDesc Sort = "desc"
)

func (s Sort) validate() error {
	switch s {
	case "", SortAsc, SortDesc:
		return nil
	}
	return fmt.Errorf("%w: sort %q is not asc or desc", ErrInvalidArgument, s)
}

// ProjectOrder is what GET /projects sorts by.
type ProjectOrder string

// Project orders from GitLab's projects API docs; zero means created_at.
const (
	ProjectOrderID             ProjectOrder = "id"
	ProjectOrderName           ProjectOrder = "name"
	ProjectOrderPath           ProjectOrder = "path"
	ProjectOrderCreatedAt      ProjectOrder = "created_at"
	ProjectOrderUpdatedAt      ProjectOrder = "updated_at"
	ProjectOrderLastActivityAt ProjectOrder = "last_activity_at"
	ProjectOrderStarCount      ProjectOrder = "star_count"
	ProjectOrderSimilarity     ProjectOrder = "similarity" // with Search only
)

// ListProjectsOptions filters GET /projects (gitlab-api.md §11).
type ListProjectsOptions struct {
	Membership     bool   // only projects the user is a member of
	Search         string // case-insensitive substring of path, name or description
	Simple         bool   // few fields per project: faster
	MinAccessLevel int    // 10 Guest .. 50 Owner; 0 = any
	OrderBy        ProjectOrder
	Sort           Sort
	ListOptions
}

func (o ListProjectsOptions) query() (url.Values, error) {
	switch o.OrderBy {
	case "", ProjectOrderID, ProjectOrderName, ProjectOrderPath, ProjectOrderCreatedAt,
		ProjectOrderUpdatedAt, ProjectOrderLastActivityAt, ProjectOrderStarCount:
	case ProjectOrderSimilarity:
		if o.Search == "" {
			return nil, fmt.Errorf("%w: order by similarity needs a search", ErrInvalidArgument)
		}
	default:
		return nil, fmt.Errorf("%w: unknown project order %q", ErrInvalidArgument, o.OrderBy)
	}
	if err := o.Sort.validate(); err != nil {
		return nil, err
	}
	if err := o.ListOptions.validate(); err != nil {
		return nil, err
	}
	q := url.Values{}
	if o.Membership {
		q.Set("membership", "true")
	}
	if o.Search != "" {
		q.Set("search", o.Search)
	}
	if o.Simple {
		q.Set("simple", "true")
	}
	if o.MinAccessLevel > 0 {
		q.Set("min_access_level", strconv.Itoa(o.MinAccessLevel))
	}
	if o.OrderBy != "" {
		q.Set("order_by", string(o.OrderBy))
	}
	if o.Sort != "" {
		q.Set("sort", string(o.Sort))
	}
	o.ListOptions.encode(q)
	return q, nil
}

// ListProjects returns one page of the projects visible to the caller
// (gitlab-api.md §11), e.g. for a project picker.
func (c *Client) ListProjects(ctx context.Context, opts ListProjectsOptions) ([]Project, PageInfo, error) {
	q, err := opts.query()
	if err != nil {
		return nil, PageInfo{}, fmt.Errorf("list projects: %w", err)
	}
	return listPage[Project](ctx, c, "list projects", "/projects", q, opts.IfNoneMatch)
}

// AllProjects walks every page of ListProjects.
func (c *Client) AllProjects(ctx context.Context, opts ListProjectsOptions) iter.Seq2[Project, error] {
	return all(ctx, pageRequest{page: opts.Page}, func(ctx context.Context, pr pageRequest) ([]Project, PageInfo, error) {
		o := opts
		o.Page, o.IfNoneMatch = pr.page, ""
		return c.ListProjects(ctx, o)
	})
}

// GetProject returns one project (gitlab-api.md §11), e.g. to resolve a
// path to its id once (§3) or to confirm a web URL names a project (§12).
func (c *Client) GetProject(ctx context.Context, project ProjectRef) (*Project, error) {
	if err := project.validate(); err != nil {
		return nil, fmt.Errorf("get project: %w", err)
	}
	p, _, err := getJSON[*Project](ctx, c, "/projects/"+project.segment(), nil)
	if err != nil {
		return nil, fmt.Errorf("get project: %w", err)
	}
	return p, nil
}
