package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobscope/jobscope/internal/gitlabfake"
)

// TestFirstLineIsInfo starts the command and checks its first stdout line
// (issue 2) and that the API answers at the printed URL.
func TestFirstLineIsInfo(t *testing.T) {
	cases := []struct {
		name  string
		args  []string
		env   map[string]string
		token string
		extra string // a project path the seed file adds
	}{
		{"defaults print the default token", nil, map[string]string{"FROZEN": "1"}, gitlabfake.DefaultToken, ""},
		{"-token and SEED_FILE are honoured", []string{"-token=glpat-mine"},
			map[string]string{"FROZEN": "1", "SEED_FILE": filepath.Join("..", "..", "gitlabfake", "testdata", "fixtures.json")}, "glpat-mine", "fixtures/render-bugs"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			pr, pw := io.Pipe()
			done := make(chan error, 1)
			go func() {
				done <- run(ctx, append([]string{"-listen=127.0.0.1:0"}, tc.args...), func(k string) string { return tc.env[k] }, pw)
				pw.Close()
			}()
			sc := bufio.NewScanner(pr)
			require.True(t, sc.Scan(), "no first line")
			var info gitlabfake.Info
			require.NoError(t, json.Unmarshal(sc.Bytes(), &info), "first line: %s", sc.Text())
			go func() { _, _ = io.Copy(io.Discard, pr) }()
			assert.Equal(t, tc.token, info.Token)
			assert.Equal(t, "demo/platform/api", info.Projects[0], "the richest project first")
			assert.NotZero(t, info.PipelineID)
			assert.NotEmpty(t, info.JobToken)
			if tc.extra != "" {
				assert.Contains(t, info.Projects, tc.extra)
			}

			req, _ := http.NewRequest("GET", info.APIURL+"/job", nil)
			req.Header.Set("JOB-TOKEN", info.JobToken)
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, 200, resp.StatusCode, "the printed job token is a running job's")

			cancel()
			assert.NoError(t, <-done)
		})
	}
}

func TestBadSeedFileFails(t *testing.T) {
	err := run(context.Background(), []string{"-listen=127.0.0.1:0"}, func(k string) string {
		return map[string]string{"SEED_FILE": filepath.Join(t.TempDir(), "none.json")}[k]
	}, io.Discard)
	assert.ErrorIs(t, err, os.ErrNotExist)
}
