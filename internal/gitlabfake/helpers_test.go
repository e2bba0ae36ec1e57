package gitlabfake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// testStart is the fixed start of every test server: with a ManualClock the
// seeded data is the same on every run.
var testStart = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

type harness struct {
	t     *testing.T
	srv   *Server
	ts    *httptest.Server
	clock *ManualClock
}

func newHarness(t *testing.T, opts Options) *harness {
	t.Helper()
	clock := NewManualClock(testStart)
	if opts.Clock == nil {
		opts.Clock = clock
	}
	srv, err := Open(opts)
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &harness{t: t, srv: srv, ts: ts, clock: clock}
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json(t *testing.T, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal(r.body, v), "body: %.300s", r.body)
}

// do sends a request; headers alternate name, value.
func (h *harness) do(method, path string, body string, headers ...string) reply {
	h.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, h.ts.URL+path, rd)
	require.NoError(h.t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := h.ts.Client().Do(req)
	require.NoError(h.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(h.t, err)
	return reply{status: resp.StatusCode, header: resp.Header, body: b}
}

// get and post authenticate with the default token.
func (h *harness) get(path string) reply { return h.do("GET", path, "", "PRIVATE-TOKEN", DefaultToken) }
func (h *harness) post(path, body string) reply {
	return h.do("POST", path, body, "PRIVATE-TOKEN", DefaultToken)
}

type jobJSON struct {
	ID             int64    `json:"id"`
	Status         string   `json:"status"`
	Name           string   `json:"name"`
	Stage          string   `json:"stage"`
	StartedAt      *string  `json:"started_at"`
	FinishedAt     *string  `json:"finished_at"`
	ErasedAt       *string  `json:"erased_at"`
	Duration       *float64 `json:"duration"`
	QueuedDuration *float64 `json:"queued_duration"`
	Artifacts      []struct {
		FileType string `json:"file_type"`
	} `json:"artifacts"`
	Pipeline struct {
		ID int64 `json:"id"`
	} `json:"pipeline"`
	DownstreamPipeline *struct {
		ID int64 `json:"id"`
	} `json:"downstream_pipeline"`
}

// allJobs walks GET /projects/7/jobs to the end.
func (h *harness) allJobs() []jobJSON {
	h.t.Helper()
	var all []jobJSON
	for page := 1; ; page++ {
		r := h.get("/api/v4/projects/7/jobs?per_page=100&page=" + itoa(page))
		require.Equal(h.t, 200, r.status)
		var js []jobJSON
		r.json(h.t, &js)
		all = append(all, js...)
		if r.header.Get("X-Next-Page") == "" {
			return all
		}
	}
}

// jobIn finds a seeded job of the richest project in status st (and, if
// when is "manual", a manual-action one), through the emulator's model.
func (h *harness) jobIn(st status, pred func(*job) bool) *job {
	h.t.Helper()
	h.srv.mu.Lock()
	defer h.srv.mu.Unlock()
	for _, j := range h.srv.projects[0].jobs {
		if j.Status == st && !j.retried && (pred == nil || pred(j)) {
			return j
		}
	}
	h.t.Fatalf("no job in status %s", st)
	return nil
}

func itoa[T ~int | ~int64](n T) string { return strconv.FormatInt(int64(n), 10) }
