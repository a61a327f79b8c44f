package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Sample is one series of a Prometheus text exposition: a metric name, its
// labels and its value.
type Sample struct {
	Name   string
	Labels map[string]string
	Value  float64
}

// Telemetry is a scrape of the collector's own metrics.
type Telemetry struct {
	Samples []Sample
}

// ParseTelemetry parses the Prometheus text exposition format (version
// 0.0.4): comment lines are skipped, and each sample line is
// `name{label="value",...} value [timestamp]`.
func ParseTelemetry(r io.Reader) (Telemetry, error) {
	var t Telemetry
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		s, err := parseSample(line)
		if err != nil {
			return t, fmt.Errorf("e2e: metrics line %d %q: %w", n, line, err)
		}
		t.Samples = append(t.Samples, s)
	}
	if err := sc.Err(); err != nil {
		return t, fmt.Errorf("e2e: read metrics: %w", err)
	}
	return t, nil
}

func parseSample(line string) (Sample, error) {
	s := Sample{Labels: map[string]string{}}
	i := strings.IndexAny(line, "{ ")
	if i <= 0 {
		return s, fmt.Errorf("no value")
	}
	s.Name, line = line[:i], line[i:]
	if line[0] == '{' {
		rest, err := parseLabels(line[1:], s.Labels)
		if err != nil {
			return s, err
		}
		line = rest
	}
	fields := strings.Fields(line)
	if len(fields) < 1 || len(fields) > 2 {
		return s, fmt.Errorf("want a value and an optional timestamp after the name and labels")
	}
	v, err := strconv.ParseFloat(fields[0], 64)
	if err != nil {
		return s, fmt.Errorf("value: %w", err)
	}
	s.Value = v
	return s, nil
}

// parseLabels parses `k="v",k2="v2"}` into into and returns what follows the brace.
func parseLabels(in string, into map[string]string) (string, error) {
	for {
		in = strings.TrimLeft(in, " ,")
		if strings.HasPrefix(in, "}") {
			return in[1:], nil
		}
		eq := strings.IndexByte(in, '=')
		if eq <= 0 || len(in) < eq+2 || in[eq+1] != '"' {
			return "", fmt.Errorf("malformed label at %q", in)
		}
		key := strings.TrimSpace(in[:eq])
		in = in[eq+2:]
		var val strings.Builder
		closed := false
		for i := 0; i < len(in); i++ {
			ch := in[i]
			if ch == '\\' && i+1 < len(in) {
				i++
				switch in[i] {
				case 'n':
					val.WriteByte('\n')
				default:
					val.WriteByte(in[i])
				}
				continue
			}
			if ch == '"' {
				in, closed = in[i+1:], true
				break
			}
			val.WriteByte(ch)
		}
		if !closed {
			return "", fmt.Errorf("unterminated value of label %q", key)
		}
		into[key] = val.String()
	}
}

// Sum returns the sum of the values of the samples named name whose labels
// include every key and value of match (nil matches all), and whether any
// sample matched.
func (t Telemetry) Sum(name string, match map[string]string) (float64, bool) {
	var total float64
	found := false
	for _, s := range t.Samples {
		if s.Name != name || !includes(s.Labels, match) {
			continue
		}
		total += s.Value
		found = true
	}
	return total, found
}

func includes(labels, match map[string]string) bool {
	for k, v := range match {
		if got, ok := labels[k]; !ok || got != v {
			return false
		}
	}
	return true
}

// Names returns the distinct metric names with the given prefix, sorted.
func (t Telemetry) Names(prefix string) []string {
	seen := map[string]bool{}
	for _, s := range t.Samples {
		if strings.HasPrefix(s.Name, prefix) {
			seen[s.Name] = true
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

// Find returns the samples named name.
func (t Telemetry) Find(name string) []Sample {
	var out []Sample
	for _, s := range t.Samples {
		if s.Name == name {
			out = append(out, s)
		}
	}
	return out
}

// Telemetry scrapes the collector's own metrics.
func (c *Collector) Telemetry(ctx context.Context) (Telemetry, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.MetricsURL(), nil)
	if err != nil {
		return Telemetry{}, fmt.Errorf("e2e: scrape request: %w", err)
	}
	client := &http.Client{}
	defer client.CloseIdleConnections()
	resp, err := client.Do(req)
	if err != nil {
		return Telemetry{}, fmt.Errorf("e2e: scrape %s: %w", c.MetricsURL(), err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Telemetry{}, fmt.Errorf("e2e: scrape %s: status %s", c.MetricsURL(), resp.Status)
	}
	return ParseTelemetry(resp.Body)
}
