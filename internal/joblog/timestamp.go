package joblog

// Runner timestamps (joblog.md §5): every record starts with
// `YYYY-MM-DDTHH:MM:SS.ffffffZ` (27 bytes, UTC, microseconds), a space, two
// hex digits of stream, O or E, and ' ' or '+'. The parser strips the 32
// bytes and keeps the time per line as microseconds since the epoch.

// parseTimestamp reads the 27-byte runner timestamp. GitLab strips any
// prefix that passes its loose check; one that is not a real time (only in
// hostile logs) is stripped but its time is not kept.
func parseTimestamp(b []byte) int64 {
	const layout = "dddd-dd-ddTdd:dd:dd.ddddddZ"
	for i := 0; i < len(layout); i++ {
		if c := b[i]; layout[i] == 'd' && (c < '0' || c > '9') || layout[i] != 'd' && c != layout[i] {
			return tsNone
		}
	}
	num := func(from, to int) int {
		v := 0
		for _, c := range b[from:to] {
			v = v*10 + int(c-'0')
		}
		return v
	}
	year, month, day := num(0, 4), num(5, 7), num(8, 10)
	hour, minute, sec, micro := num(11, 13), num(14, 16), num(17, 19), num(20, 26)
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || sec > 59 {
		return tsNone
	}
	return daysFromCivil(year, month, day)*86400e6 + int64(hour*3600+minute*60+sec)*1e6 + int64(micro)
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil is the number of days from 1970-01-01 (Howard Hinnant's algorithm).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era*146097 + doe - 719468)
}

// Timestamp is the line's runner timestamp in microseconds since the Unix
// epoch (UTC; time.UnixMicro turns it into a time.Time); ok is false when
// the line has none. (The package avoids importing time: on js/wasm it
// pulls in syscall/js, which internal/deptest bans here.)
func (l Line) Timestamp() (usec int64, ok bool) {
	return l.ts, l.ts != tsNone
}

// AppendTimestamp appends the line's timestamp in the runner's 27-byte form
// (2024-01-02T03:04:05.123456Z) to dst; dst is returned unchanged without one.
func (l Line) AppendTimestamp(dst []byte) []byte {
	if l.ts == tsNone {
		return dst
	}
	days, usec := l.ts/86400e6, l.ts%86400e6
	if usec < 0 {
		days, usec = days-1, usec+86400e6
	}
	y, m, d := civilFromDays(days)
	sec := usec / 1e6
	dst = appendDigits(dst, int64(y), 4)
	dst = append(dst, '-')
	dst = appendDigits(dst, int64(m), 2)
	dst = append(dst, '-')
	dst = appendDigits(dst, int64(d), 2)
	dst = append(dst, 'T')
	dst = appendDigits(dst, sec/3600, 2)
	dst = append(dst, ':')
	dst = appendDigits(dst, sec/60%60, 2)
	dst = append(dst, ':')
	dst = appendDigits(dst, sec%60, 2)
	dst = append(dst, '.')
	dst = appendDigits(dst, usec%1e6, 6)
	return append(dst, 'Z')
}

func appendDigits(dst []byte, v int64, width int) []byte {
	var buf [20]byte
	i := len(buf)
	for ; width > 0 || v > 0; width-- {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
	}
	return append(dst, buf[i:]...)
}

// civilFromDays is the date of a day number from 1970-01-01 (Howard Hinnant's algorithm).
func civilFromDays(z int64) (y, m, d int) {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = int(doy - (153*mp+2)/5 + 1)
	m = int(mp + 3)
	if m > 12 {
		m -= 12
	}
	y = int(yoe + era*400)
	if m <= 2 {
		y++
	}
	return y, m, d
}
