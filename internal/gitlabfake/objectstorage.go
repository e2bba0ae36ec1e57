package gitlabfake

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
)

// ObjectStorage plays the object storage a GitLab instance keeps artifacts
// in: with direct downloads on, GET .../jobs/:job_id/artifacts answers a
// redirect to a signed URL there (gitlab-api.md §11) rather than the
// archive. Serve it on an origin of its own (a second loopback port) and
// pass it with its URL in Options; it is the place a GitLab credential must
// never reach, so it records every credential it is sent (Credentials).
//
// Like a bucket configured for browsers, it answers CORS for any origin and
// any request header, so a credential header a client wrongly forwards
// arrives and is recorded rather than stopped at the preflight. (What
// GitLab.com's storage answers to CORS is unconfirmed, §13.) Its zero value
// is not usable: call NewObjectStorage. Safe for concurrent use.
type ObjectStorage struct {
	mu      sync.Mutex
	objects map[string][]byte // by path: /<key>/<file name>
	seen    []StorageCredential
}

// StorageCredential is one credential the storage received: the header or
// query parameter that carried it, and the path asked for. The value is not
// kept: that it arrived at all is the failure.
type StorageCredential struct {
	Name string // e.g. "Private-Token", "Authorization", "private_token"
	Path string
}

// NewObjectStorage returns an empty storage.
func NewObjectStorage() *ObjectStorage {
	return &ObjectStorage{objects: map[string][]byte{}}
}

// credentialHeaders and credentialParams are where GitLab reads credentials
// (§2.1), plus cookies, which no request to the storage needs either.
var (
	credentialHeaders = []string{"Private-Token", "Job-Token", "Deploy-Token", "Authorization", "Cookie"}
	credentialParams  = []string{"private_token", "job_token", "access_token"}
)

// put stores body under a key derived from its content (the same archive
// always gets the same URL, so repeated downloads do not grow the storage)
// and returns its path.
func (o *ObjectStorage) put(name string, body []byte) string {
	sum := sha256.Sum256(body)
	p := "/artifacts/" + hex.EncodeToString(sum[:16]) + "/" + name
	o.mu.Lock()
	o.objects[p] = body
	o.mu.Unlock()
	return p
}

// Credentials returns every credential received so far, in order.
func (o *ObjectStorage) Credentials() []StorageCredential {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]StorageCredential(nil), o.seen...)
}

// ServeHTTP serves the stored objects: GET and HEAD, 404 for an unknown
// path (⚠ S3 and GCS answer 403 or 404 depending on the bucket's policy),
// preflights for any origin and header.
func (o *ObjectStorage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	o.record(r)
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	if r.Method == http.MethodOptions {
		h.Set("Access-Control-Allow-Methods", "GET, HEAD")
		if rh := r.Header.Get("Access-Control-Request-Headers"); rh != "" {
			h.Set("Access-Control-Allow-Headers", rh)
		}
		w.WriteHeader(http.StatusOK)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	o.mu.Lock()
	body, ok := o.objects[r.URL.Path]
	o.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	name := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	resp := newResponse(http.StatusOK, "application/zip", body)
	resp.header.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	resp.write(w, r)
}

func (o *ObjectStorage) record(r *http.Request) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, k := range credentialHeaders {
		if r.Header.Get(k) != "" {
			o.seen = append(o.seen, StorageCredential{Name: k, Path: r.URL.Path})
		}
	}
	q := r.URL.Query()
	for _, k := range credentialParams {
		if q.Get(k) != "" {
			o.seen = append(o.seen, StorageCredential{Name: k, Path: r.URL.Path})
		}
	}
}
