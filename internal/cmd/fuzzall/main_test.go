package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCoordinatorRace(t *testing.T) {
	tests := []struct {
		name string
		out  string
		want bool
	}{
		{"the race, as CI printed it", `fuzz: elapsed: 11s, execs: 70439 (2039/sec), new interesting: 12 (total: 181)
--- FAIL: FuzzTokenAnswer (10.78s)
    context deadline exceeded
FAIL
exit status 1
`, true},
		{"a crasher", `--- FAIL: FuzzTokenAnswer (0.12s)
    --- FAIL: FuzzTokenAnswer (0.00s)
        fuzz_test.go:79: a secret in "x"

    Failing input written to testdata/fuzz/FuzzTokenAnswer/3f2a
    To re-run:
    go test -run=FuzzTokenAnswer/3f2a
FAIL
`, false},
		{"a panic that mentions a deadline", `--- FAIL: FuzzTokenAnswer (1.00s)
    context deadline exceeded
panic: boom
`, false},
		{"another target's race", `--- FAIL: FuzzOther (10.00s)
    context deadline exceeded
`, false},
		{"a build failure", "# github.com/x\n./a.go:1: syntax error\nFAIL\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, coordinatorRace(tt.out, "FuzzTokenAnswer"))
		})
	}
}
