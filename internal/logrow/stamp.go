package logrow

import (
	"time"

	"github.com/jobscope/jobscope/internal/joblog"
)

// TimeMode is how timestamps are shown.
type TimeMode int

const (
	TimeOff      TimeMode = iota // no timestamps
	TimeUTC                      // 15:04:05.000 UTC, as the runner wrote it
	TimeLocal                    // in the browser's zone
	TimeRelative                 // +MM:SS.mmm since the job started
)

// AppendStamp appends line l's timestamp in mode to dst. loc is the zone of
// TimeLocal; start is the job's start (for TimeRelative; when zero the first
// timestamp of the log is the caller's choice of origin). A line without a
// timestamp appends nothing.
func AppendStamp(dst []byte, l joblog.Line, mode TimeMode, loc *time.Location, start time.Time) []byte {
	usec, ok := l.Timestamp()
	if !ok || mode == TimeOff {
		return dst
	}
	t := time.UnixMicro(usec)
	switch mode {
	case TimeUTC:
		return t.UTC().AppendFormat(dst, "2006-01-02 15:04:05.000Z")
	case TimeLocal:
		if loc == nil {
			loc = time.Local
		}
		return t.In(loc).AppendFormat(dst, "2006-01-02 15:04:05.000")
	case TimeRelative:
		d := t.Sub(start)
		sign := byte('+')
		if d < 0 {
			sign, d = '-', -d
		}
		dst = append(dst, sign)
		ms := d.Milliseconds()
		h, m, s, frac := ms/3600000, ms/60000%60, ms/1000%60, ms%1000
		if h > 0 {
			dst = appendPad(dst, h, 2)
			dst = append(dst, ':')
		}
		dst = appendPad(dst, m, 2)
		dst = append(dst, ':')
		dst = appendPad(dst, s, 2)
		dst = append(dst, '.')
		return appendPad(dst, frac, 3)
	}
	return dst
}

func appendPad(dst []byte, v int64, width int) []byte {
	var buf [20]byte
	i := len(buf)
	for v > 0 || i == len(buf) {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
	}
	for len(buf)-i < width {
		i--
		buf[i] = '0'
	}
	return append(dst, buf[i:]...)
}
