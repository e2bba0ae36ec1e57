// Package visibility tells pollers when the page is hidden, so a background
// tab stops asking GitLab (issue 4: polling pauses while the page is hidden).
package visibility
