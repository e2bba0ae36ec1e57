package gitlabfake

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// storageHarness is an emulator whose artifact archives live in an object
// storage on a second loopback origin (§11).
func storageHarness(t *testing.T) (*harness, *ObjectStorage, *httptest.Server) {
	t.Helper()
	store := NewObjectStorage()
	ts := httptest.NewServer(store)
	t.Cleanup(ts.Close)
	return newHarness(t, Options{ObjectStorage: store, ObjectStorageURL: ts.URL}), store, ts
}

// noFollow sends one request and returns its answer without following a
// redirect; headers alternate name, value.
func noFollow(t *testing.T, method, url string, headers ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}

// GitLab with object storage and direct downloads answers the archive with
// a redirect to a signed URL on the storage (present_carrierwave_file!,
// §11); one file of the archive it serves itself.
func TestArtifactArchivesRedirectToObjectStorage(t *testing.T) {
	h, store, storage := storageHarness(t)
	j := itoa(h.jobIn(statusSuccess, func(j *job) bool { return j.artifacts != nil }).ID)
	api := h.ts.URL + "/api/v4/projects/7/jobs/" + j

	resp, body := noFollow(t, "GET", api+"/artifacts", "PRIVATE-TOKEN", DefaultToken)
	require.Equal(t, http.StatusFound, resp.StatusCode, "Grape's redirect of a GET")
	loc := resp.Header.Get("Location")
	assert.True(t, strings.HasPrefix(loc, storage.URL+"/"), "to the storage's origin: %s", loc)
	assert.Equal(t, "This resource has been moved temporarily to "+loc+".", body)

	resp, body = noFollow(t, "GET", loc)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "PK", body[:2], "the archive, with no credential")
	assert.Contains(t, resp.Header.Get("Content-Disposition"), `filename="artifacts.zip"`)
	again, _ := noFollow(t, "GET", api+"/artifacts", "PRIVATE-TOKEN", DefaultToken)
	assert.Equal(t, loc, again.Header.Get("Location"), "the same archive, the same object")

	resp, body = noFollow(t, "GET", api+"/artifacts/report.txt", "PRIVATE-TOKEN", DefaultToken)
	assert.Equal(t, http.StatusOK, resp.StatusCode, "one file is not redirected")
	assert.Contains(t, body, "report")
	assert.Empty(t, store.Credentials(), "nothing above sent the storage a credential")
}

// The storage is the oracle of the token tests: whatever credential reaches
// it is recorded, and its CORS lets a wrongly forwarded header through the
// preflight so that it does reach it.
func TestObjectStorageRecordsEveryCredentialItIsSent(t *testing.T) {
	h, store, _ := storageHarness(t)
	j := itoa(h.jobIn(statusSuccess, func(j *job) bool { return j.artifacts != nil }).ID)
	resp, _ := noFollow(t, "GET", h.ts.URL+"/api/v4/projects/7/jobs/"+j+"/artifacts", "PRIVATE-TOKEN", DefaultToken)
	loc := resp.Header.Get("Location")
	path := loc[strings.Index(loc, "/artifacts/"):]

	cases := []struct {
		name    string
		url     string
		headers []string
		want    []StorageCredential
	}{
		{"no credential, nothing recorded", loc, nil, nil},
		{"PRIVATE-TOKEN", loc, []string{"PRIVATE-TOKEN", DefaultToken}, []StorageCredential{{"Private-Token", path}}},
		{"a Bearer token", loc, []string{"Authorization", "Bearer " + DefaultToken}, []StorageCredential{{"Authorization", path}}},
		{"JOB-TOKEN and a cookie", loc, []string{"JOB-TOKEN", "glcbt-x", "Cookie", "_gitlab_session=s"},
			[]StorageCredential{{"Job-Token", path}, {"Cookie", path}}},
		{"a token in the query", loc + "?private_token=" + DefaultToken, nil, []StorageCredential{{"private_token", path}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := len(store.Credentials())
			resp, _ := noFollow(t, "GET", tc.url, tc.headers...)
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, tc.want, []StorageCredential(store.Credentials()[before:]))
		})
	}

	t.Run("a preflight for a credential header is allowed", func(t *testing.T) {
		resp, _ := noFollow(t, "OPTIONS", loc, "Origin", "null",
			"Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "private-token")
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Equal(t, "*", resp.Header.Get("Access-Control-Allow-Origin"))
		assert.Equal(t, "private-token", resp.Header.Get("Access-Control-Allow-Headers"))
	})
	t.Run("an unknown object is 404", func(t *testing.T) {
		resp, _ := noFollow(t, "GET", strings.Replace(loc, "/artifacts/", "/artifacts/0", 1))
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	})
}
