package oauth

import (
	"context"
	"errors"
	"testing"

	"github.com/jobscope/jobscope/internal/gitlab"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAnswerErrorIsWhatTheGrantReturns: an answer read elsewhere (the
// extension's background) gives the popup the very error the grant would
// have given here.
func TestAnswerErrorIsWhatTheGrantReturns(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		kind   error
	}{
		{"expired or reused code", 400, `{"error":"invalid_grant","error_description":"The provided authorization grant is invalid"}`, ErrCodeRejected},
		{"confidential application", 401, `{"error":"invalid_client","error_description":"Client authentication failed"}`, ErrPKCEUnsupported},
		{"revoked refresh token", 400, `{"error":"invalid_grant"}`, ErrRefreshRevoked},
		{"rate limited", 429, `Retry later`, gitlab.ErrRateLimited},
		{"server down", 502, `<html>Bad Gateway</html>`, gitlab.ErrServer},
	}
	a, err := NewAttempt(ScopeReadAPI)
	require.NoError(t, err)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewClient(testConfig, WithTransport(cannedTransport{tt.status, []byte(tt.body)}))
			require.NoError(t, err)
			_, exchanged := c.Exchange(context.Background(), "code", a)
			_, refreshed := c.Refresh(context.Background(), "refresh")
			assert.Equal(t, exchanged.Error(), AnswerError("authorization_code", tt.status, []byte(tt.body)).Error())
			assert.Equal(t, refreshed.Error(), AnswerError("refresh_token", tt.status, []byte(tt.body)).Error())
			assert.True(t, errors.Is(AnswerError("authorization_code", tt.status, []byte(tt.body)), tt.kind) ||
				errors.Is(AnswerError("refresh_token", tt.status, []byte(tt.body)), tt.kind))
		})
	}
}
