package logview

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCommandFor(t *testing.T) {
	cases := []struct {
		name                     string
		key                      string
		ctrl, meta, alt, inField bool
		want                     command
	}{
		{"slash searches", "/", false, false, false, false, cmdSearch},
		{"n is the next match, N the previous", "n", false, false, false, false, cmdNextHit},
		{"N is the previous match", "N", false, false, false, false, cmdPrevHit},
		{"e is the next error", "e", false, false, false, false, cmdNextError},
		{"E is the previous error", "E", false, false, false, false, cmdPrevError},
		{"g is the top", "g", false, false, false, false, cmdTop},
		{"G is the bottom", "G", false, false, false, false, cmdBottom},
		{"t cycles timestamps", "t", false, false, false, false, cmdTimes},
		{"w wraps", "w", false, false, false, false, cmdWrap},
		{"[ collapses all", "[", false, false, false, false, cmdCollapseAll},
		{"] expands all", "]", false, false, false, false, cmdExpandAll},
		{"s is the next section", "s", false, false, false, false, cmdNextSection},
		{"S is the previous section", "S", false, false, false, false, cmdPrevSection},
		{"o opens or closes the selected line's section", "o", false, false, false, false, cmdToggleSection},
		{"? shows the help", "?", false, false, false, false, cmdHelp},
		{"ctrl+f stays the browser's", "f", true, false, false, false, cmdNone},
		{"ctrl+n is not next match", "n", true, false, false, false, cmdNone},
		{"cmd+g stays the browser's find again", "g", false, true, false, false, cmdNone},
		{"alt+e is left to the browser's menus", "e", false, false, true, false, cmdNone},
		{"keys type in a text field", "n", false, false, false, true, cmdNone},
		{"slash types in the search field", "/", false, false, false, true, cmdNone},
		{"space scrolls as the browser does", " ", false, false, false, false, cmdNone},
		{"arrows stay the browser's", "ArrowDown", false, false, false, false, cmdNone},
		{"Enter stays the browser's", "Enter", false, false, false, false, cmdNone},
		{"Home stays the browser's", "Home", false, false, false, false, cmdNone},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, commandFor(c.key, c.ctrl, c.meta, c.alt, c.inField))
		})
	}
}

func TestEveryShortcutHasItsOwnKeyAndSaysWhatItDoes(t *testing.T) {
	seen := map[string]bool{}
	cmds := map[command]bool{}
	for _, s := range shortcuts {
		assert.False(t, seen[s.key], "key %q listed twice", s.key)
		assert.False(t, cmds[s.cmd], "command of %q listed twice", s.key)
		assert.NotEmpty(t, s.what, "key %q says what it does", s.key)
		assert.Len(t, []rune(s.key), 1, "one printable character, no modifier")
		seen[s.key], cmds[s.cmd] = true, true
	}
	assert.Len(t, cmds, int(cmdHelp), "every command but none has a key")
}
