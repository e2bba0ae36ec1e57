package gitlab

import (
	"encoding/json"
	"testing"
)

// BenchmarkDecodeJobsPage decodes a 100-job page (testdata/jobs_page.json)
// into []Job, against the same bytes into []map[string]any in the same run;
// "x_map_time" is typed time / untyped time (below 1 = typed is faster).
func BenchmarkDecodeJobsPage(b *testing.B) {
	page := loadJobsPage(b)
	var mapNs float64
	b.Run("map", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		for b.Loop() {
			var v []map[string]any
			if err := json.Unmarshal(page, &v); err != nil {
				b.Fatal(err)
			}
		}
		mapNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	b.Run("typed", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		for b.Loop() {
			var v []Job
			if err := decodeJSON(page, &v); err != nil {
				b.Fatal(err)
			}
			if len(v) != 100 {
				b.Fatalf("decoded %d jobs", len(v))
			}
		}
		ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		b.ReportMetric(ns/1e3/100, "µs/job")
		if mapNs > 0 {
			b.ReportMetric(ns/mapNs, "x_map_time")
		}
	})
}
