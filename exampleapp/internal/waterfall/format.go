package waterfall

import (
	"strconv"
	"strings"
	"time"
)

// FormatDuration formats d with about three significant digits and a unit that keeps it short:
// "850ns", "4.2us", "12.3ms", "1.24s", "2m03s". Negative durations are shown as "0s".
func FormatDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return "0s"
	case d < time.Microsecond:
		return strconv.FormatInt(int64(d), 10) + "ns"
	case d < time.Millisecond:
		return decimal(float64(d)/float64(time.Microsecond)) + "us"
	case d < time.Second:
		return decimal(float64(d)/float64(time.Millisecond)) + "ms"
	case d < time.Minute:
		return decimal(float64(d)/float64(time.Second)) + "s"
	}
	d = d.Round(time.Second)
	m := int64(d / time.Minute)
	s := int64((d % time.Minute) / time.Second)
	return strconv.FormatInt(m, 10) + "m" + pad2(s) + "s"
}

// decimal prints v (in [1, 1000)) with three significant digits: 1.24, 12.3, 123.
func decimal(v float64) string {
	switch {
	case v < 10:
		return strconv.FormatFloat(v, 'f', 2, 64)
	case v < 100:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

func pad2(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

// ASCII returns s with every byte outside printable ASCII (space to '~') replaced by '?', one '?' per
// character, so that terminal control sequences and wide characters cannot break the layout.
func ASCII(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r >= ' ' && r <= '~' {
			b.WriteRune(r)
		} else {
			b.WriteByte('?')
		}
	}
	return b.String()
}

// Truncate returns s cut to at most n characters, ending in "..." when it was cut. s must be ASCII (see
// [ASCII]). n below 4 is taken as 4.
func Truncate(s string, n int) string {
	n = max(n, 4)
	if len(s) <= n {
		return s
	}
	return s[:n-3] + "..."
}

// padRight pads s with spaces to width n.
func padRight(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return s + strings.Repeat(" ", n-len(s))
}

// padLeft pads s with spaces on the left to width n.
func padLeft(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return strings.Repeat(" ", n-len(s)) + s
}
