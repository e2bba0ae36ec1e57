package oauth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
)

// Verifier lengths allowed by RFC 7636 §4.1 (oauth §2: 43–128 characters).
const (
	MinVerifierLen = 43
	MaxVerifierLen = 128
)

// NewVerifier returns a PKCE code verifier: 32 bytes from crypto/rand in
// base64url without padding, 43 characters (RFC 7636 §4.1's recommendation).
func NewVerifier() string { return randomToken() }

// Challenge is the S256 code challenge of verifier: base64url(SHA-256),
// no padding (RFC 7636 §4.2, oauth §2).
func Challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// ValidVerifier reports whether v is a verifier RFC 7636 §4.1 allows:
// 43 to 128 characters from [A-Za-z0-9-._~].
func ValidVerifier(v string) error {
	if len(v) < MinVerifierLen || len(v) > MaxVerifierLen {
		return fmt.Errorf("%w: a PKCE verifier has 43 to 128 characters, got %d", ErrInvalidArgument, len(v))
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
			return fmt.Errorf("%w: a PKCE verifier may only hold letters, digits and -._~ (byte %d is not one)", ErrInvalidArgument, i)
		}
	}
	return nil
}

// randomToken is 256 random bits as 43 base64url characters.
func randomToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // never returns an error (crypto/rand docs), in wasm too
	return base64.RawURLEncoding.EncodeToString(b[:])
}
