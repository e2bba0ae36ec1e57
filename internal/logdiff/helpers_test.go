package logdiff

import (
	"sort"

	"github.com/jobscope/jobscope/internal/joblog"
	"github.com/jobscope/jobscope/internal/loggen"
)

// parse builds a store of a whole log.
func parse(log []byte) *joblog.Store {
	s := new(joblog.Store)
	for len(log) > 0 {
		n := min(64<<10, len(log))
		s.Append(log[:n])
		log = log[n:]
	}
	s.Finish()
	return s
}

// failureLines is the store lines holding the pair's failure offsets.
func failureLines(s *joblog.Store, p loggen.Pair) []int {
	var out []int
	for _, off := range p.Failure {
		i := sort.Search(s.Len(), func(i int) bool { return s.Line(i).Offset > off }) - 1
		if len(out) == 0 || out[len(out)-1] != i {
			out = append(out, i)
		}
	}
	return out
}

// quality is what a comparison of a pair scores: the share of the true
// failure lines marked (recall) and the share of all lines marked.
func quality(changed, truth []int, lines int) (recall, marked float64) {
	found := 0
	for _, i := range truth {
		if k := sort.SearchInts(changed, i); k < len(changed) && changed[k] == i {
			found++
		}
	}
	return float64(found) / float64(len(truth)), float64(len(changed)) / float64(lines)
}

// texts is Lines over strings.
type texts []string

func (t texts) Len() int          { return len(t) }
func (t texts) Text(i int) []byte { return []byte(t[i]) }
