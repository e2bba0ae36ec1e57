//go:build !js

package gitlab

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// LastGreenRun on the emulator's green → red histories (gitlab-api.md §5.9
// and §5.2): the newest successful run on the same ref before the failed
// job's pipeline, a retried attempt counted, in two calls.
func TestLastGreenRunOnTheEmulatorsHistories(t *testing.T) {
	e := newEmu(t)
	ctx := context.Background()
	h := e.fake.Histories()
	project := ProjectPath(h.Project)
	job := func(id int64) *Job {
		j, err := e.c.GetJob(ctx, project, id)
		require.NoError(t, err)
		return j
	}
	for _, tc := range []struct {
		name      string
		failed    int64
		green     int64
		calls     int
		wantError error
	}{
		{"main: the retried green run, past a canceled pipeline", h.Red, h.Green, 2, nil},
		{"feature/sections: the green run", h.Sections, 0, 2, nil},
		{"feature/erased: the green run, log erased", h.Erased, 0, 2, nil},
		{"feature/no-green: none", h.NoGreen, 0, 1, ErrNoGreenRun},
	} {
		t.Run(tc.name, func(t *testing.T) {
			failed := job(tc.failed)
			green, calls, err := e.c.LastGreenRun(ctx, project, failed)
			assert.Equal(t, tc.calls, calls)
			if tc.wantError != nil {
				require.ErrorIs(t, err, tc.wantError)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, StatusSuccess, green.Status)
			assert.Equal(t, failed.Name, green.Name)
			assert.Equal(t, failed.Ref, green.Ref)
			assert.Less(t, green.Pipeline.ID, failed.Pipeline.ID)
			if tc.green != 0 {
				assert.Equal(t, tc.green, green.ID)
			}
		})
	}
	t.Run("the erased run says so", func(t *testing.T) {
		green, _, err := e.c.LastGreenRun(ctx, project, job(h.Erased))
		require.NoError(t, err)
		assert.NotNil(t, green.ErasedAt)
	})
}
