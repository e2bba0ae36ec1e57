package pwabench

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTheReportListsScoresAndEveryFailedAudit(t *testing.T) {
	raw, err := os.ReadFile("testdata/lhr-small.json")
	require.NoError(t, err)
	cats, err := parseReport(raw)
	require.NoError(t, err)
	require.Len(t, cats, 2)
	assert.Equal(t, "accessibility", cats[0].ID)
	assert.InDelta(t, 0.93, cats[0].Score, 1e-9)
	ids := []string{}
	for _, a := range cats[0].Failed {
		ids = append(ids, a.ID)
	}
	assert.Equal(t, []string{"color-contrast", "aria-allowed-role"}, ids, "passed and not-applicable audits are left out")
	assert.Equal(t, []string{"span.xterm-fg-214: Element has insufficient color contrast of 1.78 (foreground color: #ffaf00)"}, cats[0].Failed[0].Items,
		"an element: its selector's last step and axe's reason, the same one once")
	assert.Equal(t, []string{"Failed to load resource: the server responded with a status of 404 (Not Found)"}, cats[0].Failed[1].Items, "a message as it is")
	assert.Empty(t, cats[1].Failed, "informative audits do not count as failed")
}

func TestABrokenReportIsAnError(t *testing.T) {
	_, err := parseReport([]byte("<html>"))
	assert.ErrorContains(t, err, "lighthouse report")
}
