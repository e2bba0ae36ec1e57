package gitlab

import (
	"context"
	"fmt"
	"net/url"
	"strings"
)

// ArtifactsURL is the download URL of a job's artifacts archive
// (GET /projects/:id/jobs/:job_id/artifacts, gitlab-api.md §11). It carries
// no credential: fetch it with the token header, since a plain navigation
// would need the token in the URL, which this package never builds. GitLab
// may redirect to object storage.
func (c *Client) ArtifactsURL(project ProjectRef, jobID int64) (string, error) {
	if err := validateJob(project, jobID); err != nil {
		return "", fmt.Errorf("artifacts url: %w", err)
	}
	return c.base + apiPrefix + jobPath(project, jobID) + "/artifacts", nil
}

// ArtifactFileURL is the URL of one file inside a job's artifacts archive
// (GET /projects/:id/jobs/:job_id/artifacts/*artifact_path, §11). Each path
// segment is escaped; "." and ".." segments are rejected.
func (c *Client) ArtifactFileURL(project ProjectRef, jobID int64, path string) (string, error) {
	base, err := c.ArtifactsURL(project, jobID)
	if err != nil {
		return "", err
	}
	escaped, err := escapeFilePath(path)
	if err != nil {
		return "", fmt.Errorf("artifacts url: %w", err)
	}
	return base + "/" + escaped, nil
}

// escapeFilePath escapes each segment of a relative file path, keeping the
// slashes, and refuses empty, "." and ".." segments.
func escapeFilePath(p string) (string, error) {
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, s := range segs {
		if s == "" || s == "." || s == ".." {
			return "", fmt.Errorf("%w: artifact path %q", ErrInvalidArgument, p)
		}
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/"), nil
}

// JobArtifacts downloads a job's artifacts archive (GET
// /projects/:id/jobs/:job_id/artifacts, §11) with the client's credential in
// a header, for a browser to save as a file. 404 (ErrNotFound) when the job
// has none. A redirect to object storage is followed by the transport; in
// the browser that needs the storage's CORS (§11, unconfirmed for gitlab.com).
func (c *Client) JobArtifacts(ctx context.Context, project ProjectRef, jobID int64) ([]byte, error) {
	return c.jobBytes(ctx, "download artifacts", project, jobID, "/artifacts")
}
