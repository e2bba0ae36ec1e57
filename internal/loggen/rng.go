package loggen

import "math/bits"

// rng is wyrand: tiny, fast, and ours, so the output of a seed never changes
// with the Go version (math/rand's generators are stable too, but a
// value-type state lets a generator copy itself for a dry run).
type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s += 0xa0761d6478bd642f
	hi, lo := bits.Mul64(r.s, r.s^0xe7037ed1a0b428db)
	return hi ^ lo
}

// intn returns a number in [0, n); n must be positive.
func (r *rng) intn(n int) int {
	hi, _ := bits.Mul64(r.next(), uint64(n))
	return int(hi)
}

// between returns a number in [lo, hi].
func (r *rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

// chance is true n times in a thousand.
func (r *rng) chance(n int) bool { return r.intn(1000) < n }

// hex returns n lowercase hex digits.
func (r *rng) hex(n int) string { return r.from("0123456789abcdef", n) }

// alnum returns n letters and digits.
func (r *rng) alnum(n int) string {
	return r.from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", n)
}

// from returns n bytes drawn from set.
func (r *rng) from(set string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = set[r.intn(len(set))]
	}
	return string(b)
}

func pick[T any](r *rng, xs []T) T { return xs[r.intn(len(xs))] }
