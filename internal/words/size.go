package words

import (
	"fmt"
	"strconv"
)

// Size writes bytes as "512 B", "1.5 KiB", "20.0 MiB".
func Size(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// Lines says "1 line" or "466,070 lines".
func Lines(n int) string {
	if n == 1 {
		return "1 line"
	}
	return Digits(n) + " lines"
}

// Digits writes n with thousands separators: "466,070".
func Digits(n int) string {
	s := strconv.Itoa(n)
	var b []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	return string(b)
}
