package joblog

// FoldOnly builds a visibility index that shows only the given lines: show
// holds sorted, disjoint, inclusive ranges [a, b]; the header of every
// section around a shown line shows too, so the lines keep their sections
// ("only what changed", internal/logdiff). Collapsed sections do not hide
// a shown line.
func (s *Store) FoldOnly(show [][2]int) *Fold {
	n := s.Len()
	keep := make([]bool, n)
	for _, r := range show {
		for i := max(r[0], 0); i <= min(r[1], n-1); i++ {
			if keep[i] {
				continue
			}
			keep[i] = true
			for sec := s.Line(i).Section; sec >= 0; sec = int(s.secs[sec].parent) {
				if h := int(s.secs[sec].header); h >= 0 && h < n {
					keep[h] = true
				}
			}
		}
	}
	f := &Fold{lines: n}
	for i := 0; i < n; {
		if keep[i] {
			i++
			continue
		}
		j := i
		for j+1 < n && !keep[j+1] {
			j++
		}
		f.starts = append(f.starts, i)
		f.ends = append(f.ends, j)
		i = j + 1
	}
	hidden := 0
	f.before = make([]int, len(f.starts))
	for k := range f.starts {
		f.before[k] = hidden
		hidden += f.ends[k] - f.starts[k] + 1
	}
	return f
}
