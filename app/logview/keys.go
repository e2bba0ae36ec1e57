package logview

// command is what a key, or the item of the tools menu beside it, does in
// the log view.
type command int

const (
	cmdNone command = iota
	cmdSearch
	cmdNextHit
	cmdPrevHit
	cmdNextError
	cmdPrevError
	cmdTop
	cmdBottom
	cmdTimes
	cmdWrap
	cmdCollapseAll
	cmdExpandAll
	cmdNextSection
	cmdPrevSection
	cmdToggleSection
	cmdOnlyChanges
	cmdNextChange
	cmdPrevChange
	cmdHelp // the last: keys_test counts the commands up to it
)

// shortcut is one key of the log view, as the help overlay lists it.
type shortcut struct {
	key  string // KeyboardEvent.key
	cmd  command
	what string
}

// shortcuts are the log view's keys, in the order the help lists them. None
// needs a modifier, and none is a key the browser or a screen reader needs
// on a page (arrows, Page Up/Down, Home/End, Space, Tab and Enter stay
// theirs; a screen reader in browse mode keeps its single letters, since it
// sees them before the page does).
var shortcuts = []shortcut{
	{"/", cmdSearch, "Search the log"},
	{"n", cmdNextHit, "Next match"},
	{"N", cmdPrevHit, "Previous match"},
	{"e", cmdNextError, "Next error"},
	{"E", cmdPrevError, "Previous error"},
	{"g", cmdTop, "Top of the log"},
	{"G", cmdBottom, "Bottom of the log"},
	{"t", cmdTimes, "Timestamps: off, UTC, local, since start"},
	{"w", cmdWrap, "Wrap long lines"},
	{"[", cmdCollapseAll, "Collapse all sections"},
	{"]", cmdExpandAll, "Expand all sections"},
	{"s", cmdNextSection, "Next section"},
	{"S", cmdPrevSection, "Previous section"},
	{"o", cmdToggleSection, "Open or close the selected line's section"},
	{"c", cmdOnlyChanges, "Only what changed since the last passing run, or everything"},
	{"x", cmdNextChange, "Next change"},
	{"X", cmdPrevChange, "Previous change"},
	{"?", cmdHelp, "Show or hide these keys"},
}

// commandFor is what a keydown does: nothing while a modifier other than
// Shift is held (those combinations belong to the browser and assistive
// technology) or while focus is in a text field, where keys type.
func commandFor(key string, ctrl, meta, alt, inField bool) command {
	if ctrl || meta || alt || inField {
		return cmdNone
	}
	for _, s := range shortcuts {
		if s.key == key {
			return s.cmd
		}
	}
	return cmdNone
}
