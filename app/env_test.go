package app

import (
	"testing"

	"github.com/jobscope/jobscope/internal/account"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOnDiskAsksTheInstanceWithTheLongestMatchingAddress(t *testing.T) {
	cases := []struct {
		name      string
		instances []account.Instance
		url       string
		want      bool
	}{
		{
			name: "a memory-only instance under a remembered one keeps its copies off the disk",
			instances: []account.Instance{
				{BaseURL: "https://host", Token: "a", Remember: true},
				{BaseURL: "https://host/gitlab", Token: "b"},
			},
			url: "https://host/gitlab/api/v4/projects/1/jobs", want: false,
		},
		{
			name: "saved in the other order, the answer is the same",
			instances: []account.Instance{
				{BaseURL: "https://host/gitlab", Token: "b"},
				{BaseURL: "https://host", Token: "a", Remember: true},
			},
			url: "https://host/gitlab/api/v4/projects/1/jobs", want: false,
		},
		{
			name: "the remembered instance at the root keeps its own copies on disk",
			instances: []account.Instance{
				{BaseURL: "https://host/gitlab", Token: "b"},
				{BaseURL: "https://host", Token: "a", Remember: true},
			},
			url: "https://host/api/v4/projects/1/jobs", want: true,
		},
		{
			name:      "a host that only starts like a saved one is not it",
			instances: []account.Instance{{BaseURL: "https://host", Token: "a", Remember: true}},
			url:       "https://host.evil/api/v4/projects/1/jobs", want: false,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := NewEnv(&account.MemoryKV{})
			st := account.Settings{}
			for _, in := range tc.instances {
				st.Put(in)
			}
			require.NoError(t, env.Settings.Save(st))
			assert.Equal(t, tc.want, env.OnDisk(tc.url))
		})
	}
}
