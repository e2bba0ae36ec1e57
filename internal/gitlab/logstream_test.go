//go:build !js

package gitlab

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/jobscope/jobscope/internal/gitlabfake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// emulatorWith is a frozen emulator with its trace endpoint set as o says,
// a client for it, and a finished and a running job of the first project.
func emulatorWith(t *testing.T, o gitlabfake.TraceOptions) (c *Client, project ProjectRef, finished, running int64, fake *gitlabfake.Server) {
	t.Helper()
	fake = gitlabfake.New(gitlabfake.Options{Frozen: true, Trace: o})
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	c, err := New(srv.URL, PrivateToken(gitlabfake.DefaultToken), WithBackoff(Backoff{}))
	require.NoError(t, err)
	info := fake.Info()
	project = ProjectPath(info.Projects[0])
	jobs, _, err := c.ListProjectJobs(context.Background(), project, ListProjectJobsOptions{Scope: ScopeSuccess})
	require.NoError(t, err)
	for _, j := range jobs {
		if j.Name != "huge-log" { // 59 MB: a whole test's worth of bytes
			finished = j.ID
			break
		}
	}
	require.NotZero(t, finished)
	run, err := c.WithAuth(JobToken(info.JobToken)).CurrentJob(context.Background())
	require.NoError(t, err)
	return c, project, finished, run.ID, fake
}

func readAll(t *testing.T, l *LogStream) []byte {
	t.Helper()
	if l.Body == nil {
		return nil
	}
	defer l.Body.Close()
	b, err := io.ReadAll(l.Body)
	require.NoError(t, err)
	return b
}

// TestJobLogStreamReadsEachKindOfAnswer: a log asked by range is read right
// from each kind of GitLab the emulator plays (gitlabfake README, "The job
// log"): GitLab's own (Range ignored: the whole log), a proxy serving ranges
// of finished logs, or of every log; 304 on an unchanged ETag (§5.7).
func TestJobLogStreamReadsEachKindOfAnswer(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name       string
		ranges     gitlabfake.TraceRanges
		running    bool
		req        func(whole []byte, etag string) LogRequest
		wantStatus int
		want       func(whole []byte) []byte
	}{
		{"GitLab ignores Range: the whole log", gitlabfake.RangesNone, false,
			func(w []byte, _ string) LogRequest { return LogRequest{From: 10} }, 200,
			func(w []byte) []byte { return w }},
		{"the tail of a finished log where ranges are served", gitlabfake.RangesFinished, false,
			func(w []byte, _ string) LogRequest { return LogRequest{Tail: 100} }, 206,
			func(w []byte) []byte { return w[len(w)-100:] }},
		{"a running log from a byte, ranges for finished logs only", gitlabfake.RangesFinished, true,
			func(w []byte, _ string) LogRequest { return LogRequest{From: 10} }, 200,
			func(w []byte) []byte { return w }},
		{"a running log from a byte, ranges for every log", gitlabfake.RangesAll, true,
			func(w []byte, _ string) LogRequest { return LogRequest{From: 10} }, 206,
			func(w []byte) []byte { return w[10:] }},
		{"nothing new past the end", gitlabfake.RangesAll, false,
			func(w []byte, _ string) LogRequest { return LogRequest{From: int64(len(w))} }, 416,
			func([]byte) []byte { return nil }},
		{"unchanged since the ETag held", gitlabfake.RangesNone, false,
			func(_ []byte, etag string) LogRequest { return LogRequest{IfNoneMatch: etag} }, 304,
			func([]byte) []byte { return nil }},
		{"unchanged, asked from a byte where ranges are served", gitlabfake.RangesAll, false,
			func(w []byte, etag string) LogRequest { return LogRequest{From: 10, IfNoneMatch: etag} }, 304,
			func([]byte) []byte { return nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, project, finished, running, _ := emulatorWith(t, gitlabfake.TraceOptions{Ranges: tt.ranges})
			id := finished
			if tt.running {
				id = running
			}
			first, err := c.JobLogStream(ctx, project, id, LogRequest{})
			require.NoError(t, err)
			require.Equal(t, 200, first.Status)
			require.NotEmpty(t, first.ETag, "Rails gives a string body a weak ETag")
			whole := readAll(t, first)
			require.Greater(t, len(whole), 200)
			assert.Equal(t, int64(len(whole)), first.Length, "Content-Length is the log's size")

			got, err := c.JobLogStream(ctx, project, id, tt.req(whole, first.ETag))
			require.NoError(t, err)
			assert.Equal(t, tt.wantStatus, got.Status)
			assert.Equal(t, tt.want(whole), readAll(t, got))
			assert.Equal(t, tt.wantStatus == 206, got.Partial())
		})
	}
}

// TestJobLogStreamETagChangesAsTheLogGrows: a running log's ETag moves with
// its bytes, so a 304 never hides new lines.
func TestJobLogStreamETagChangesAsTheLogGrows(t *testing.T) {
	ctx := context.Background()
	c, project, _, running, fake := emulatorWith(t, gitlabfake.TraceOptions{})
	first, err := c.JobLogStream(ctx, project, running, LogRequest{})
	require.NoError(t, err)
	readAll(t, first)
	fake.AdvanceClock(5 * time.Second)
	next, err := c.JobLogStream(ctx, project, running, LogRequest{IfNoneMatch: first.ETag})
	require.NoError(t, err)
	assert.Equal(t, 200, next.Status)
	assert.NotEqual(t, first.ETag, next.ETag)
	assert.NotEmpty(t, readAll(t, next))
}

// TestJobLogStreamThroughGzip: an nginx that gzips text/plain; net/http
// asks for gzip and inflates it, so the bytes are the log's, and the
// compressed Content-Length is not taken for the log's size.
func TestJobLogStreamThroughGzip(t *testing.T) {
	ctx := context.Background()
	c, project, finished, _, _ := emulatorWith(t, gitlabfake.TraceOptions{Gzip: true})
	want, err := c.JobLog(ctx, project, finished)
	require.NoError(t, err)
	got, err := c.JobLogStream(ctx, project, finished, LogRequest{})
	require.NoError(t, err)
	assert.Equal(t, int64(-1), got.Length)
	assert.Equal(t, want, readAll(t, got))

	// The emulator did compress: asked for gzip, it says so.
	req, err := http.NewRequest("GET", c.base+apiPrefix+jobPath(project, finished)+"/trace", nil)
	require.NoError(t, err)
	req.Header.Set("PRIVATE-TOKEN", gitlabfake.DefaultToken)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
}

// TestJobLogStreamCutHalfWay: a connection that closes before the
// Content-Length is reached is a read error, not a shorter log.
func TestJobLogStreamCutHalfWay(t *testing.T) {
	ctx := context.Background()
	c, project, finished, _, fake := emulatorWith(t, gitlabfake.TraceOptions{})
	fake.SetFault(gitlabfake.RouteTrace, gitlabfake.Fault{Cut: true, Times: 1})
	got, err := c.JobLogStream(ctx, project, finished, LogRequest{})
	require.NoError(t, err, "the status and headers arrive")
	defer got.Body.Close()
	b, err := io.ReadAll(got.Body)
	require.Error(t, err)
	assert.Less(t, int64(len(b)), got.Length)
}
