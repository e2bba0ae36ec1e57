package extension

import (
	"encoding/json"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// background.js writes a pair after waiting on GitLab; meanwhile the popup
// adds an instance and keeps its token in storage.session
// (testdata/background_race.js plays both in node). Both writes survive.
func TestTheBackgroundKeepsWhatThePopupWroteWhileItWaited(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed (the wasm tests need it too)")
	}
	for _, which := range []string{"refresh", "signin"} {
		t.Run("after a "+which, func(t *testing.T) {
			out, err := exec.Command(node, "testdata/background_race.js", "background.js", which).Output()
			require.NoError(t, err)
			var got struct {
				Settings struct {
					Instances []struct {
						BaseURL      string `json:"base_url"`
						RefreshToken string `json:"refresh_token"`
					} `json:"instances"`
					Active string `json:"active"`
				} `json:"settings"`
				Session map[string]map[string]string `json:"session"`
			}
			require.NoError(t, json.Unmarshal(out, &got), "%s", out)
			require.Len(t, got.Settings.Instances, 2, "the instance the popup added is kept")
			assert.Equal(t, "https://b.example", got.Settings.Instances[1].BaseURL)
			assert.Equal(t, "r2", got.Settings.Instances[0].RefreshToken, "the new pair is stored")
			assert.Equal(t, "kept-b", got.Session["https://b.example"]["token"], "the popup's memory-only token is kept")
			assert.Equal(t, "a2", got.Session["https://a.example"]["token"])
		})
	}
}
