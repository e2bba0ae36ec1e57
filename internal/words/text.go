package words

import (
	"fmt"
	"strings"
)

// ShowControls makes invisible bidi and direction controls in untrusted
// text visible ("invoice[U+202E]gnp.exe"), so a name cannot pose as
// another. The CSS also isolates such text, so nothing leaks into its
// neighbours.
func ShowControls(s string) string {
	if !strings.ContainsFunc(s, isDirectionControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isDirectionControl(r) {
			fmt.Fprintf(&b, "[U+%04X]", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isDirectionControl(r rune) bool {
	return r == '\u061C' || r == '\u200E' || r == '\u200F' ||
		(r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069')
}
