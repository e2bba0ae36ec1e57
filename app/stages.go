package app

import (
	"slices"

	"github.com/jobscope/jobscope/internal/gitlab"
)

// stage is one column of a pipeline: its jobs (latest attempts first by
// name order of creation) and the status it sums up to.
type stage struct {
	Name    string
	Status  gitlab.Status
	Jobs    []pipelineJob
	Retried int // earlier attempts hidden unless asked for
}

// pipelineJob is a job or a trigger job of a pipeline.
type pipelineJob struct {
	gitlab.JobBasic
	Retried    bool                  // an earlier attempt: same name, lower id (§5.2)
	Downstream *gitlab.PipelineBasic // trigger jobs only; nil until one exists
	Bridge     bool
}

// groupStages groups a pipeline's jobs and trigger jobs by stage, in stage
// order. The API gives no stage order; GitLab creates a pipeline's jobs
// stage by stage, so the order of each stage's lowest job id is used
// (inferred, gitlab-api.md §5.2 lists jobs id descending).
func groupStages(jobs []gitlab.Job, bridges []gitlab.Bridge) []stage {
	all := make([]pipelineJob, 0, len(jobs)+len(bridges))
	for _, j := range jobs {
		all = append(all, pipelineJob{JobBasic: j.JobBasic})
	}
	for _, b := range bridges {
		all = append(all, pipelineJob{JobBasic: b.JobBasic, Downstream: b.DownstreamPipeline, Bridge: true})
	}
	slices.SortFunc(all, func(a, b pipelineJob) int { return cmpInt64(a.ID, b.ID) })
	latest := map[string]int64{} // name -> highest id
	for _, j := range all {
		latest[j.Name] = max(latest[j.Name], j.ID)
	}
	var stages []stage
	index := map[string]int{}
	for _, j := range all {
		j.Retried = j.ID != latest[j.Name]
		i, ok := index[j.Stage]
		if !ok {
			i = len(stages)
			index[j.Stage] = i
			stages = append(stages, stage{Name: j.Stage})
		}
		stages[i].Jobs = append(stages[i].Jobs, j)
		if j.Retried {
			stages[i].Retried++
		}
	}
	for i := range stages {
		stages[i].Status = stageStatus(stages[i].Jobs)
	}
	return stages
}

// stageStatus sums up the latest attempts of a stage's jobs the way a person
// reads a stage: any running job makes it running, a failure (not allowed to
// fail) makes it failed, then waiting, manual, canceled, success, skipped.
func stageStatus(jobs []pipelineJob) gitlab.Status {
	rank := func(j pipelineJob) (int, gitlab.Status) {
		switch {
		case j.Status.Executing():
			return 7, gitlab.StatusRunning
		case j.Status == gitlab.StatusFailed && !j.AllowFailure:
			return 6, gitlab.StatusFailed
		case j.Status.Active() || j.Status == gitlab.StatusCreated:
			return 5, gitlab.StatusPending
		case j.Status.Blocked():
			return 4, gitlab.StatusManual
		case j.Status == gitlab.StatusCanceled:
			return 3, gitlab.StatusCanceled
		case j.Status == gitlab.StatusSuccess, j.Status == gitlab.StatusFailed:
			return 2, gitlab.StatusSuccess // a failure allowed to fail passes
		case j.Status == gitlab.StatusSkipped:
			return 1, gitlab.StatusSkipped
		}
		return 0, j.Status
	}
	best, status := -1, gitlab.Status("")
	for _, j := range jobs {
		if j.Retried {
			continue
		}
		if r, s := rank(j); r > best {
			best, status = r, s
		}
	}
	return status
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
