package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// LogEntry is one line of the collector's own log (zap JSON encoding).
type LogEntry struct {
	// Level is the zap level: debug, info, warn, error, dpanic, panic or fatal.
	Level string
	// Message is the log message.
	Message string
	// Fields holds every key of the line, Level and Message included.
	Fields map[string]any
	// Raw is the line as written.
	Raw string
}

// IsError reports whether the entry is at error level or above.
func (e LogEntry) IsError() bool {
	switch strings.ToLower(e.Level) {
	case "error", "dpanic", "panic", "fatal":
		return true
	}
	return false
}

// Log reads the collector's own log; after [Collector.Stop] it is complete,
// shutdown included. A line that is not a JSON object (which
// the collector's logger never writes) becomes an entry with Level "error",
// so that it is never overlooked.
func (c *Collector) Log() ([]LogEntry, error) {
	f, err := os.Open(c.logPath)
	if err != nil {
		return nil, fmt.Errorf("e2e: collector log: %w", err)
	}
	defer f.Close()
	var out []LogEntry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" {
			continue
		}
		e := LogEntry{Raw: line}
		if err := json.Unmarshal([]byte(line), &e.Fields); err != nil {
			e.Level, e.Message = "error", "unparsable collector log line: "+line
		} else {
			e.Level, _ = e.Fields["level"].(string)
			e.Message, _ = e.Fields["msg"].(string)
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("e2e: read the collector log: %w", err)
	}
	return out, nil
}

// Output returns what the collector process wrote to stdout and stderr
// (normally nothing: its log goes to [Collector.LogPath]).
func (c *Collector) Output() (string, error) {
	b, err := os.ReadFile(c.outPath)
	return string(b), err
}

// logTail returns the last lines of the collector's log and output, for errors.
func (c *Collector) logTail() string {
	var b strings.Builder
	for _, p := range []string{c.logPath, c.outPath} {
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
		if len(lines) > 20 {
			lines = lines[len(lines)-20:]
		}
		for _, l := range lines {
			if l != "" {
				fmt.Fprintf(&b, "  %s\n", l)
			}
		}
	}
	if b.Len() == 0 {
		return "  (empty)\n"
	}
	return b.String()
}
