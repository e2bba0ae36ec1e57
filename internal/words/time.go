package words

import (
	"fmt"
	"time"

	"github.com/jobscope/jobscope/internal/gitlab"
)

// Duration writes seconds as "45s", "3m 05s" or "2h 03m".
func Duration(sec float64) string {
	d := time.Duration(sec * float64(time.Second)).Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm %02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh %02dm", int(d.Hours()), int(d.Minutes())%60)
}

// Ago writes how long before now t was: "just now", "5 min ago", "3 h ago",
// "2 days ago", or the date beyond a month.
func Ago(t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < 45*time.Second:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d.Round(time.Minute).Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%d h ago", int(d.Hours()))
	case d < 48*time.Hour:
		return "yesterday"
	case d < 30*24*time.Hour:
		return fmt.Sprintf("%d days ago", int(d.Hours()/24))
	}
	return t.Format("2 Jan 2006")
}

// JobTiming is the duration cell of a job row: the duration of a job that
// ran, the elapsed time of a running one (GitLab's duration grows while it
// runs, §6.1), or the time waiting in the queue.
func JobTiming(j gitlab.Job, now time.Time) string {
	switch {
	case j.Status.Executing() && j.StartedAt != nil:
		return Duration(now.Sub(*j.StartedAt).Seconds()) + " so far"
	case j.Duration != nil:
		return Duration(*j.Duration)
	case j.Status.Active():
		return "waiting " + Duration(now.Sub(j.CreatedAt).Seconds())
	}
	return ""
}
