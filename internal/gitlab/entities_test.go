package gitlab

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func loadJobsPage(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/jobs_page.json")
	require.NoError(t, err)
	return b
}

// testdata/jobs_page.json: 100 jobs shaped as GET /projects/:id/jobs sends
// them (gitlab-api.md §6.1, §6.2), every status, nulls and absent keys.
func TestAJobsPageDecodesWithGitLabsNullsAndAbsences(t *testing.T) {
	var jobs []Job
	require.NoError(t, json.Unmarshal(loadJobsPage(t), &jobs))
	require.Len(t, jobs, 100)
	for _, j := range jobs {
		assert.Positive(t, j.ID)
		assert.True(t, j.Status.Known(), "status %q", j.Status)
		assert.False(t, j.CreatedAt.IsZero())
		// §6.1: failure_reason only on failed jobs.
		assert.Equal(t, j.Status == StatusFailed, j.FailureReason != "", "job %d %s", j.ID, j.Status)
		// §6.1: started_at null until started; duration null if never started.
		assert.Equal(t, j.StartedAt == nil, j.Duration == nil, "job %d", j.ID)
		if j.FinishedAt != nil {
			require.NotNil(t, j.StartedAt)
			assert.True(t, j.FinishedAt.After(*j.StartedAt))
		}
		// §6.2: artifacts is [] not null; tag_list [] not null.
		assert.NotNil(t, j.Artifacts)
		assert.NotNil(t, j.TagList)
		require.NotNil(t, j.Commit)
		_, offset := j.Commit.AuthoredDate.Zone()
		assert.Equal(t, 3600, offset, "commit dates keep their offset (§1)")
	}
	first := jobs[0]
	assert.Equal(t, int64(8100), first.ID)
	assert.Equal(t, time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC), first.CreatedAt)
	require.NotNil(t, first.ArtifactsFile)
	assert.Equal(t, "artifacts.zip", first.ArtifactsFile.Filename)
	require.NotNil(t, first.Runner)
	assert.Equal(t, "instance_type", first.Runner.RunnerType)
}

// Encoding a decoded job gives back GitLab's keys and values: nulls stay
// null, absent keys stay absent. Times compare as instants (Go writes
// "09:00:00Z" where GitLab writes "09:00:00.000Z").
func TestAJobEncodesBackToGitLabsShape(t *testing.T) {
	var raw []map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(loadJobsPage(t), &raw))
	var jobs []Job
	require.NoError(t, json.Unmarshal(loadJobsPage(t), &jobs))
	for i, j := range jobs {
		b, err := json.Marshal(j)
		require.NoError(t, err)
		var again map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(b, &again))
		for key, want := range raw[i] {
			switch key {
			case "commit", "user": // carry fields this package does not model
				continue
			}
			got, present := again[key]
			require.True(t, present, "job %d lost key %q", j.ID, key)
			assert.Equal(t, normalizeJSON(t, want), normalizeJSON(t, got), "job %d key %q", j.ID, key)
		}
		for key := range again {
			_, inGitLab := raw[i][key]
			assert.True(t, inGitLab, "job %d grew key %q", j.ID, key)
		}
	}
}

// gitlab-api.md §6.3: a bridge's downstream pipeline is null until it exists.
func TestBridgesDecode(t *testing.T) {
	const page = `[
	 {"id":9,"status":"success","stage":"deploy","name":"trigger-child","ref":"main","tag":false,"coverage":null,
	  "allow_failure":false,"created_at":"2026-11-24T09:00:00.000Z","started_at":null,"finished_at":null,"erased_at":null,
	  "duration":null,"queued_duration":null,"user":null,"commit":null,
	  "pipeline":{"id":100,"iid":7,"project_id":3,"sha":"abc","ref":"main","status":"success","source":"push",
	   "created_at":"2026-11-24T09:00:00.000Z","updated_at":"2026-11-24T09:05:00.000Z","web_url":"https://h/g/p/-/pipelines/100"},
	  "web_url":"https://h/g/p/-/jobs/9","project":{"ci_job_token_scope_enabled":false},
	  "downstream_pipeline":{"id":101,"iid":8,"project_id":3,"sha":"abc","ref":"main","status":"running","source":"parent_pipeline",
	   "created_at":"2026-11-24T09:01:00.000Z","updated_at":"2026-11-24T09:02:00.000Z","web_url":"https://h/g/p/-/pipelines/101"}},
	 {"id":8,"status":"created","stage":"deploy","name":"trigger-later","ref":"main","tag":false,"coverage":null,
	  "allow_failure":false,"created_at":"2026-11-24T09:00:00.000Z","started_at":null,"finished_at":null,"erased_at":null,
	  "duration":null,"queued_duration":null,"user":null,"commit":null,"pipeline":{"id":100},"web_url":"","project":{},
	  "downstream_pipeline":null}
	]`
	var bridges []Bridge
	require.NoError(t, json.Unmarshal([]byte(page), &bridges))
	require.Len(t, bridges, 2)
	require.NotNil(t, bridges[0].DownstreamPipeline)
	assert.Equal(t, int64(101), bridges[0].DownstreamPipeline.ID)
	assert.Equal(t, "parent_pipeline", bridges[0].DownstreamPipeline.Source)
	assert.Nil(t, bridges[1].DownstreamPipeline)
	assert.Nil(t, bridges[1].Coverage)
}

// normalizeJSON decodes raw and rewrites every RFC 3339 string as the same
// instant in one format.
func normalizeJSON(t *testing.T, raw json.RawMessage) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(raw, &v))
	var walk func(any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case string:
			if tm, err := time.Parse(time.RFC3339Nano, x); err == nil {
				return tm.UTC().Format(time.RFC3339Nano)
			}
		case []any:
			for i := range x {
				x[i] = walk(x[i])
			}
		case map[string]any:
			for k := range x {
				x[k] = walk(x[k])
			}
		}
		return v
	}
	return walk(v)
}
