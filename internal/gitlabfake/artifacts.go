package gitlabfake

import (
	"archive/zip"
	"bytes"
	"fmt"
	"time"
)

// artifacts is a job's archive: a small real zip, so clients can open it.
type artifacts struct {
	zip          []byte
	metadataSize int
}

// newArtifacts builds a deterministic zip holding files (name → content).
func newArtifacts(files map[string]string, order []string, mod time.Time) *artifacts {
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, name := range order {
		f, err := w.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: mod.UTC()})
		if err != nil {
			panic(fmt.Sprintf("zip header: %v", err)) // unreachable: writing to a bytes.Buffer
		}
		_, _ = f.Write([]byte(files[name]))
	}
	_ = w.Close()
	return &artifacts{zip: b.Bytes(), metadataSize: 150 + 40*len(order)}
}

// file returns one member of the archive.
func (a *artifacts) file(name string) ([]byte, bool) {
	r, err := zip.NewReader(bytes.NewReader(a.zip), int64(len(a.zip)))
	if err != nil {
		return nil, false
	}
	for _, f := range r.File {
		if f.Name != name {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, false
		}
		defer rc.Close()
		var b bytes.Buffer
		if _, err := b.ReadFrom(rc); err != nil {
			return nil, false
		}
		return b.Bytes(), true
	}
	return nil, false
}
