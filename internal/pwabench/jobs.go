package pwabench

import (
	"context"
	"errors"
	"fmt"

	"github.com/jobscope/jobscope/app"
	"github.com/jobscope/jobscope/internal/gitlab"
)

// Page is one page Lighthouse audits: a name for the report and the app path.
type Page struct {
	Name, Path string
}

// JobPages asks a GitLab (the demo's emulator) for a project's newest job
// of each status in statuses that has a log, and returns the job screen of
// each, in that order.
func JobPages(ctx context.Context, baseURL, token, project string, statuses ...gitlab.Status) ([]Page, error) {
	c, err := gitlab.New(baseURL, gitlab.PrivateToken(token), gitlab.WithBackoff(gitlab.NoBackoff))
	if err != nil {
		return nil, err
	}
	scope, err := gitlab.ScopeSetOf(statuses...)
	if err != nil {
		return nil, err
	}
	found := map[gitlab.Status]gitlab.Job{}
	for j, err := range c.AllProjectJobs(ctx, gitlab.ProjectPath(project), gitlab.ListProjectJobsOptions{Scope: scope, Keyset: true}) {
		if err != nil {
			return nil, err
		}
		// huge-log's 500,000 lines would audit the parse, not the page.
		if _, ok := found[j.Status]; ok || j.Name == "huge-log" {
			continue
		}
		if !hasLog(ctx, c, project, j.ID) {
			continue
		}
		found[j.Status] = j
		if len(found) == len(statuses) {
			break
		}
	}
	var pages []Page
	for _, st := range statuses {
		j, ok := found[st]
		if !ok {
			return nil, fmt.Errorf("no %s job with a log in %s", st, project)
		}
		pages = append(pages, Page{
			Name: fmt.Sprintf("job %d (%s)", j.ID, st),
			Path: app.Route{Screen: app.ScreenJob, Project: project, ID: j.ID}.Path(),
		})
	}
	return pages, nil
}

// hasLog reports whether the job's log has any bytes.
func hasLog(ctx context.Context, c *gitlab.Client, project string, id int64) bool {
	log, err := c.JobLog(ctx, gitlab.ProjectPath(project), id)
	if errors.Is(err, gitlab.ErrNotFound) {
		return false
	}
	return err == nil && len(log) > 0
}
