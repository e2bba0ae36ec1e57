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

// The emulator has a well-known token and unauthenticated control endpoints:
// it listens on loopback unless -allow-remote says otherwise (issue 15, the
// test oracle).
func TestListenIsLoopbackUnlessAllowed(t *testing.T) {
	cases := []struct {
		name string
		args []string
		err  error // nil: it serves
	}{
		{"every interface is refused", []string{"-listen=0.0.0.0:0"}, errNotLoopback},
		{"an address without a host is every interface, refused", []string{"-listen=:0"}, errNotLoopback},
		{"another machine's address is refused", []string{"-listen=192.0.2.1:0"}, errNotLoopback},
		{"a host name is refused, localhost too: it may resolve elsewhere", []string{"-listen=localhost:0"}, errNotLoopback},
		{"127.0.0.1 serves", []string{"-listen=127.0.0.1:0"}, nil},
		{"-allow-remote lifts the refusal", []string{"-listen=localhost:0", "-allow-remote"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tc.err != nil {
				err := run(ctx, tc.args, func(string) string { return "" }, io.Discard)
				assert.ErrorIs(t, err, tc.err)
				return
			}
			pr, pw := io.Pipe()
			done := make(chan error, 1)
			go func() {
				done <- run(ctx, tc.args, func(k string) string { return map[string]string{"FROZEN": "1"}[k] }, pw)
				pw.Close()
			}()
			sc := bufio.NewScanner(pr)
			require.True(t, sc.Scan(), "no first line")
			go func() { _, _ = io.Copy(io.Discard, pr) }()
			var info gitlabfake.Info
			require.NoError(t, json.Unmarshal(sc.Bytes(), &info))
			assert.NotEmpty(t, info.APIURL)
			cancel()
			assert.NoError(t, <-done)
		})
	}
}
