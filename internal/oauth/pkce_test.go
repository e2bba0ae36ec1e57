package oauth

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestChallengeMatchesRFC7636AppendixB(t *testing.T) {
	// RFC 7636 Appendix B: the S256 example.
	assert.Equal(t, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
}

func TestNewVerifierIsValidAndFresh(t *testing.T) {
	seen := map[string]bool{}
	for range 50 {
		v := NewVerifier()
		require.NoError(t, ValidVerifier(v))
		assert.Len(t, v, 43, "32 random bytes in base64url without padding (RFC 7636 §4.1)")
		assert.False(t, seen[v], "a verifier repeated")
		seen[v] = true
		c := Challenge(v)
		assert.Len(t, c, 43)
		assert.NotContains(t, c, "=", "no padding (oauth §2)")
		assert.False(t, strings.ContainsAny(c, "+/"), "base64url alphabet")
	}
}

func TestValidVerifier(t *testing.T) {
	cases := []struct {
		name string
		v    string
		ok   bool
	}{
		{"43 unreserved characters are the minimum (oauth §2)", strings.Repeat("a", 43), true},
		{"128 characters are the maximum", strings.Repeat("Z", 128), true},
		{"42 characters are too short", strings.Repeat("a", 42), false},
		{"129 characters are too long", strings.Repeat("a", 129), false},
		{"all four marks -._~ are allowed", strings.Repeat("-._~", 11), true},
		{"a plus sign is not allowed", strings.Repeat("a", 42) + "+", false},
		{"a non-ASCII letter is not allowed", strings.Repeat("a", 41) + "é", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidVerifier(tc.v)
			if tc.ok {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, ErrInvalidArgument)
			}
		})
	}
}
