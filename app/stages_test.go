package app

import (
	"testing"

	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func job(id int64, stage, name string, st gitlab.Status, allowFailure bool) gitlab.Job {
	return gitlab.Job{JobBasic: gitlab.JobBasic{ID: id, Stage: stage, Name: name, Status: st, AllowFailure: allowFailure}}
}

func TestGroupStages(t *testing.T) {
	// As GitLab lists them: id descending (gitlab-api.md §5.2).
	jobs := []gitlab.Job{
		job(9, "deploy", "deploy", gitlab.StatusManual, false),
		job(8, "test", "unit", gitlab.StatusSuccess, false), // the retry of 5
		job(7, "test", "lint", gitlab.StatusFailed, true),
		job(5, "test", "unit", gitlab.StatusFailed, false),
		job(3, "build", "compile", gitlab.StatusSuccess, false),
	}
	down := &gitlab.PipelineBasic{ID: 77, ProjectID: 15}
	bridges := []gitlab.Bridge{{JobBasic: gitlab.JobBasic{ID: 6, Stage: "test", Name: "docs", Status: gitlab.StatusSuccess}, DownstreamPipeline: down}}

	stages := groupStages(jobs, bridges)
	require.Len(t, stages, 3)
	assert.Equal(t, []string{"build", "test", "deploy"}, []string{stages[0].Name, stages[1].Name, stages[2].Name}, "stage order follows creation")

	test := stages[1]
	assert.Equal(t, 1, test.Retried, "unit #5 was retried as #8")
	assert.Equal(t, gitlab.StatusSuccess, test.Status, "the retry passed and lint may fail")
	var retried, bridge []int64
	for _, j := range test.Jobs {
		if j.Retried {
			retried = append(retried, j.ID)
		}
		if j.Bridge {
			bridge = append(bridge, j.ID)
			assert.Equal(t, down, j.Downstream)
		}
	}
	assert.Equal(t, []int64{5}, retried)
	assert.Equal(t, []int64{6}, bridge)
	assert.Equal(t, gitlab.StatusManual, stages[2].Status)
}

func TestStageStatus(t *testing.T) {
	pj := func(st gitlab.Status, allow, retried bool) pipelineJob {
		return pipelineJob{JobBasic: gitlab.JobBasic{Status: st, AllowFailure: allow}, Retried: retried}
	}
	cases := []struct {
		name string
		jobs []pipelineJob
		want gitlab.Status
	}{
		{"a running job makes the stage running", []pipelineJob{pj(gitlab.StatusFailed, false, false), pj(gitlab.StatusRunning, false, false)}, gitlab.StatusRunning},
		{"a failure fails the stage", []pipelineJob{pj(gitlab.StatusSuccess, false, false), pj(gitlab.StatusFailed, false, false)}, gitlab.StatusFailed},
		{"an allowed failure passes", []pipelineJob{pj(gitlab.StatusSuccess, false, false), pj(gitlab.StatusFailed, true, false)}, gitlab.StatusSuccess},
		{"a retried failure no longer counts", []pipelineJob{pj(gitlab.StatusFailed, false, true), pj(gitlab.StatusSuccess, false, false)}, gitlab.StatusSuccess},
		{"only skipped jobs skip the stage", []pipelineJob{pj(gitlab.StatusSkipped, false, false)}, gitlab.StatusSkipped},
		{"waiting jobs make it pending", []pipelineJob{pj(gitlab.StatusSuccess, false, false), pj(gitlab.StatusWaitingForResource, false, false)}, gitlab.StatusPending},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, stageStatus(tc.jobs)) })
	}
}
