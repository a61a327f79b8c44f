package session

// sanitizeOriginator maps a free-form originator to a valid metric tag value (see metrics.Sanitize).
func sanitizeOriginator(s string) string {
	if s == "" {
		return ""
	}
	return sanitize(s)
}

// sanitize replaces characters outside [A-Za-z0-9._-/] with '_', trims '_' at both ends, maps a result
// without letters or digits to "unspecified", and caps the length at 256 bytes.
func sanitize(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-' || c == '/') {
			b[i] = '_'
		}
	}
	start, end := 0, len(b)
	for start < end && b[start] == '_' {
		start++
	}
	for end > start && b[end-1] == '_' {
		end--
	}
	b = b[start:end]
	alnum := false
	for _, c := range b {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			alnum = true
			break
		}
	}
	if !alnum {
		return "unspecified"
	}
	if len(b) > 256 {
		b = b[:256]
	}
	return string(b)
}
