// Package words is what jobscope says to a person: statuses and failure
// reasons, durations and ages, sizes and line counts, and what went wrong
// talking to GitLab with what to do about it (Problem). The app's screens
// and the log view share it, so a job reads the same everywhere.
//
// Every function returns plain text for go-app's Text; nothing here is
// markup. Errors are matched by kind (errors.Is/As), never by their
// strings, and no text ever carries a token (gitlab.Error and oauth's
// errors never hold one).
package words
