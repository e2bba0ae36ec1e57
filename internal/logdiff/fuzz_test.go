package logdiff

import (
	"fmt"
	"testing"
	"time"
)

// noise is one kind of run-to-run noise of docs/design.md §7, drawn from v.
func noise(kind uint8, v uint64) string {
	t := time.Unix(int64(v%4e9), int64(v%1e9)).UTC()
	switch kind % 9 {
	case 0:
		return t.Format(time.RFC3339Nano)
	case 1:
		return t.Format("15:04:05.000")
	case 2:
		return fmt.Sprintf("%d.%03ds", v%1000, v%997)
	case 3:
		return fmt.Sprintf("%dm%ds", v%60, v%59)
	case 4:
		return fmt.Sprintf("%015x1", v)
	case 5:
		return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", v>>32, v&0xffff, v>>16&0xffff, v>>48, v)
	case 6:
		return fmt.Sprintf("127.0.0.1:%d", 1024+v%64000)
	case 7:
		return fmt.Sprintf("%sgo-build%d/b%03d/main", tempRoots[0], v, v%1000)
	default:
		return fmt.Sprintf("runner-%d", v%100)
	}
}

// FuzzNormalise: no input crashes it, its output is stable (normalising
// twice changes nothing more), and two lines that differ only in noise come
// out the same.
func FuzzNormalise(f *testing.F) {
	f.Add([]byte("ok  \tpkg\t0.512s"), "--- PASS:", "(done)", uint8(2), uint64(1), uint64(2))
	f.Add([]byte("\xff\xfe2026-01-21T"), "at", "", uint8(0), uint64(0), uint64(1<<40))
	f.Add([]byte(tempRoots[0]), "dial tcp", ": refused", uint8(6), uint64(7), uint64(9))
	f.Fuzz(func(t *testing.T, line []byte, prefix, suffix string, kind uint8, a, b uint64) {
		once := Normalise(nil, line)
		if twice := Normalise(nil, once); string(twice) != string(Normalise(nil, twice)) {
			t.Fatalf("not stable: %q → %q → %q", line, once, twice)
		}
		x := prefix + " " + noise(kind, a) + " " + suffix
		y := prefix + " " + noise(kind, b) + " " + suffix
		if nx, ny := Normalise(nil, []byte(x)), Normalise(nil, []byte(y)); string(nx) != string(ny) {
			t.Fatalf("noise left a difference:\n%q → %q\n%q → %q", x, nx, y, ny)
		}
	})
}
