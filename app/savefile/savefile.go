// Package savefile lets the browser save bytes the app holds as a file
// (a Blob behind an object URL and a clicked download link). Downloads that
// need the GitLab token (raw logs already fetched, artifact archives) go
// through here: a plain link would need the token in its URL.
package savefile
