package gitlabfake

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkJobsPage measures emulator requests per second on loopback for
// GET /projects/:id/jobs?per_page=100 (one 100-job page, the viewer's
// heaviest list), against a reference measured in the same run: a trivial
// handler writing the same bytes over the same kind of connection. The
// ratio is what the emulator costs on top of net/http.
func BenchmarkJobsPage(b *testing.B) {
	emu := httptest.NewServer(New(Options{Frozen: true}))
	defer emu.Close()
	const path = "/api/v4/projects/7/jobs?per_page=100"
	get := func(base string) []byte {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("PRIVATE-TOKEN", DefaultToken)
		resp, err := emu.Client().Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			b.Fatalf("status %d, %v", resp.StatusCode, err)
		}
		return body
	}
	page := get(emu.URL)
	ref := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(page)
	}))
	defer ref.Close()
	b.SetBytes(int64(len(page)))

	start := time.Now()
	for b.Loop() {
		get(emu.URL)
	}
	emuTime := time.Since(start)
	n := b.N
	start = time.Now()
	for range n {
		get(ref.URL)
	}
	refTime := time.Since(start)
	b.ReportMetric(float64(n)/emuTime.Seconds(), "req/s")
	b.ReportMetric(float64(n)/refTime.Seconds(), "ref-req/s")
	b.ReportMetric(emuTime.Seconds()/refTime.Seconds(), "x-ref-time")
}
