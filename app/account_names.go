package app

import "github.com/jobscope/jobscope/internal/account"

// Instance and Settings now live in internal/account. These names stay only
// for internal/browsertest, which is being edited elsewhere; remove them
// once it imports internal/account. Nothing in app uses them.
type (
	Instance = account.Instance
	Settings = account.Settings
)
