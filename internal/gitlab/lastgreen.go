package gitlab

import (
	"context"
	"errors"
	"fmt"
)

// ErrNoGreenRun is LastGreenRun's answer when no successful pipeline of the
// ref before the job's holds a successful run of the job.
var ErrNoGreenRun = errors.New("no successful run of this job on its ref before it")

// GreenRunSearch bounds LastGreenRun: how many successful pipelines, newest
// first, it looks into for the job before it gives up.
const GreenRunSearch = 10

// LastGreenRun finds the newest successful run of job's name on job's ref
// before job's pipeline, in as few calls as the history allows (§5.9,
// §5.2): the ref's successful pipelines newest first (one page of 20), then
// each one older than the job's pipeline (ids grow with creation) until one
// holds a successful job of that name, retried attempts included. Usually
// that is two calls. It returns ErrNoGreenRun when GreenRunSearch pipelines
// hold none, and calls is the number of requests made.
func (c *Client) LastGreenRun(ctx context.Context, project ProjectRef, job *Job) (green *Job, calls int, err error) {
	ref := job.Ref
	if ref == "" {
		ref = job.Pipeline.Ref
	}
	looked := 0
	for page := 1; looked < GreenRunSearch; page++ {
		pls, info, err := c.ListPipelines(ctx, project, ListPipelinesOptions{
			Ref: ref, Status: StatusSuccess, OrderBy: PipelineOrderID, Sort: SortDesc,
			ListOptions: ListOptions{Page: page, PerPage: 20},
		})
		calls++
		if err != nil {
			return nil, calls, fmt.Errorf("last green run: %w", err)
		}
		for _, pl := range pls {
			if pl.ID >= job.Pipeline.ID || looked >= GreenRunSearch {
				continue
			}
			looked++
			var best *Job
			for j, err := range c.AllPipelineJobs(ctx, project, pl.ID, ListPipelineJobsOptions{IncludeRetried: true, ListOptions: ListOptions{PerPage: 100}}) {
				if err != nil {
					return nil, calls + 1, fmt.Errorf("last green run: %w", err)
				}
				if j.Name == job.Name && j.Status == StatusSuccess && (best == nil || j.ID > best.ID) {
					best = &j
				}
			}
			calls++
			if best != nil {
				return best, calls, nil
			}
		}
		if info.NextPage == 0 || len(pls) == 0 {
			break
		}
	}
	return nil, calls, ErrNoGreenRun
}
