// Package tabcontext turns the address of the tab an extension popup was
// opened on into the viewer screen to show: a GitLab job page shows that job,
// a pipeline page its jobs, a merge request its latest pipeline, any other
// page of a project the project's jobs, and anything else the recent
// projects. Plain Go: the popup's wasm (extension/wasm) feeds it the tab
// address and the saved settings, and tests run it natively.
package tabcontext

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/jobscope/jobscope/app"
	"github.com/jobscope/jobscope/internal/account"
	"github.com/jobscope/jobscope/internal/gitlab"
)

// Page is what a tab address names.
type Page struct {
	Base  string    // GitLab instance, scheme://host; "" when not a GitLab page
	Route app.Route // the viewer route for it (project jobs for a merge request)
	// MergeRequest is the iid of a merge request page, whose latest pipeline
	// needs an API call to find.
	MergeRequest int64
}

// Parse reads a tab address with app.ParseGitLabURL (gitlab-api.md §12
// shapes: nested groups, /-/jobs/N, /-/pipelines/N, project root and
// subpages) and adds merge requests (/-/merge_requests/N), which the viewer
// has no screen of its own for. ok is false for a page that names no project.
func Parse(tabURL string) (p Page, ok bool) {
	base, r, err := app.ParseGitLabURL(tabURL)
	if err != nil {
		return Page{}, false
	}
	p = Page{Base: base, Route: r}
	u, _ := url.Parse(tabURL) // parsed above
	if _, resource, found := strings.Cut(u.Path, "/-/"); found {
		parts := strings.Split(strings.Trim(resource, "/"), "/")
		if len(parts) >= 2 && parts[0] == "merge_requests" {
			if iid, err := strconv.ParseInt(parts[1], 10, 64); err == nil && iid > 0 {
				p.MergeRequest = iid
			}
		}
	}
	return p, true
}

// Resolve picks the screen for tabURL given the saved settings, and the
// instance to make active (its BaseURL, or "" to keep the active one).
// A GitLab page of a saved instance opens that page's screen on that
// instance; a GitLab page of an instance not saved yet opens Connect, to add
// it (popup.js offers host access to it there); anything else shows the
// active instance's projects (Connect when there is none). A project page
// without "/-/" cannot be told from any other site's page, so an unsaved
// origin's such page counts as "anything else". A merge request asks GitLab for its latest pipeline (the newest
// pipeline of refs/merge-requests/<iid>/head); without one, or when GitLab
// cannot say, the project's jobs are shown.
func Resolve(ctx context.Context, env *app.Env, st account.Settings, tabURL string) (r app.Route, activate string) {
	fallback := app.Route{Screen: app.ScreenProjects}
	if _, ok := st.ActiveInstance(); !ok {
		fallback = app.Route{Screen: app.ScreenConnect}
	}
	p, ok := Parse(tabURL)
	if !ok {
		return fallback, ""
	}
	in, saved := instance(st, p.Base)
	if !saved {
		if Unsaved(st, tabURL) != "" {
			return app.Route{Screen: app.ScreenConnect}, ""
		}
		return fallback, ""
	}
	if p.MergeRequest > 0 {
		if id, err := latestPipeline(ctx, env, in, p.Route.Project, p.MergeRequest); err == nil && id > 0 {
			return app.Route{Screen: app.ScreenPipeline, Project: p.Route.Project, ID: id}, in.BaseURL
		}
	}
	return p.Route, in.BaseURL
}

// Unsaved is the GitLab instance of tabURL when it is a GitLab page of an
// instance not in st, for Connect to offer: gitlab.com, or any page with
// GitLab's "/-/" separator (see Resolve). "" otherwise.
func Unsaved(st account.Settings, tabURL string) string {
	p, ok := Parse(tabURL)
	if !ok {
		return ""
	}
	if _, saved := instance(st, p.Base); saved {
		return ""
	}
	if p.Base == account.DefaultBaseURL || strings.Contains(tabURL, "/-/") {
		return p.Base
	}
	return ""
}

func instance(st account.Settings, base string) (account.Instance, bool) {
	for _, in := range st.Instances {
		if strings.EqualFold(in.BaseURL, base) {
			return in, true
		}
	}
	return account.Instance{}, false
}

// latestPipeline is the newest pipeline of a merge request's head ref
// (gitlab-api.md §5.9 pipelines list; GitLab runs merge request pipelines
// on refs/merge-requests/<iid>/head). 0 when there is none.
func latestPipeline(ctx context.Context, env *app.Env, in account.Instance, project string, iid int64) (int64, error) {
	ref, err := gitlab.ParseProjectRef(project)
	if err != nil {
		return 0, err
	}
	c, err := env.Client(in)
	if err != nil {
		return 0, err
	}
	ps, _, err := c.ListPipelines(ctx, ref, gitlab.ListPipelinesOptions{
		Ref:         "refs/merge-requests/" + strconv.FormatInt(iid, 10) + "/head",
		OrderBy:     gitlab.PipelineOrderID,
		Sort:        gitlab.SortDesc,
		ListOptions: gitlab.ListOptions{PerPage: 1},
	})
	if err != nil || len(ps) == 0 {
		return 0, err
	}
	return ps[0].ID, nil
}
