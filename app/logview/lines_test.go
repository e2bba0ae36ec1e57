package logview

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseLineHash(t *testing.T) {
	cases := []struct {
		name        string
		hash        string
		first, last int
		ok          bool
	}{
		{"a job log line, as GitLab links it", "#L12", 11, 11, true},
		{"a range in GitLab's blob form", "#L10-20", 9, 19, true},
		{"a range with L twice, as GitHub writes it", "#L10-L20", 9, 19, true},
		{"a range written backwards is put in order", "#L20-10", 9, 19, true},
		{"line one", "#L1", 0, 0, true},
		{"no fragment", "", 0, 0, false},
		{"another fragment", "#main", 0, 0, false},
		{"line zero does not exist", "#L0", 0, 0, false},
		{"a negative line", "#L-3", 0, 0, false},
		{"a sign is not a digit", "#L+3", 0, 0, false},
		{"trailing junk", "#L12x", 0, 0, false},
		{"an open range", "#L12-", 0, 0, false},
		{"a range to line zero", "#L12-0", 0, 0, false},
		{"lower-case l is not GitLab's", "#l12", 0, 0, false},
		{"a number too big for an int", "#L99999999999999999999999", 0, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			first, last, ok := parseLineHash(c.hash)
			assert.Equal(t, c.ok, ok)
			assert.Equal(t, c.first, first)
			assert.Equal(t, c.last, last)
		})
	}
}

func TestLineHashRoundTrips(t *testing.T) {
	cases := []struct {
		name string
		a, b int
		want string
	}{
		{"one line", 11, 11, "#L12"},
		{"a range", 9, 19, "#L10-20"},
		{"a range selected upwards", 19, 9, "#L10-20"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := lineHash(c.a, c.b)
			assert.Equal(t, c.want, h)
			first, last, ok := parseLineHash(h)
			assert.True(t, ok)
			assert.Equal(t, min(c.a, c.b), first)
			assert.Equal(t, max(c.a, c.b), last)
		})
	}
}
