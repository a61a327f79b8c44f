package metrics_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/otelkit/otelkit"
	"github.com/otelkit/otelkit/metrics"
)

func TestValidateName(t *testing.T) {
	tests := []struct {
		name    string
		metric  string
		wantErr bool
		mention string
	}{
		{"simple", "codex.turns", false, ""},
		{"all allowed characters", "a.b_c-d/e9Z", false, ""},
		{"255 characters", strings.Repeat("a", 255), false, ""},
		{"empty", "", true, "empty"},
		{"leading digit", "1bad", true, `"1bad"`},
		{"only dash", "-", true, `"-"`},
		{"leading dot", ".x", true, `".x"`},
		{"256 characters", strings.Repeat("a", 256), true, "longer than 255"},
		{"space", "bad name", true, `"bad name"`},
		{"colon", "a:b", true, `"a:b"`},
		{"non-ASCII", "caf\u00e9", true, `"café"`},
		{"newline", "a\nb", true, `"a\nb"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := metrics.ValidateName(tt.metric)
			if !tt.wantErr {
				if err != nil {
					t.Fatalf("ValidateName(%q) = %v, want nil", tt.metric, err)
				}
				return
			}
			wantErr(t, err, metrics.ErrInvalidName, tt.mention)
		})
	}
}

func TestValidateTag(t *testing.T) {
	tests := []struct {
		name    string
		tag     metrics.Tag
		wantErr bool
		mention []string
	}{
		{"simple", metrics.T("model", "gpt-5.1"), false, nil},
		{"slash and underscore", metrics.T("a/b_c", "x/y-z.1"), false, nil},
		{"key 255", metrics.T(strings.Repeat("k", 255), "v"), false, nil},
		{"value 1024", metrics.T("k", strings.Repeat("v", 1024)), false, nil},
		{"empty key", metrics.T("", "v"), true, []string{"key is empty"}},
		{"empty value", metrics.T("route", ""), true, []string{`"route"`, "empty"}},
		{"bad key", metrics.T("bad key", "value"), true, []string{`"bad key"`}},
		{"bad value", metrics.T("route", "bad value"), true, []string{`"bad value"`, `"route"`}},
		{"key 256", metrics.T(strings.Repeat("k", 256), "v"), true, []string{"longer than 255"}},
		{"value 1025", metrics.T("k", strings.Repeat("v", 1025)), true, []string{`"k"`, "longer than 1024"}},
		{"non-ASCII value", metrics.T("k", "\u00fc"), true, []string{`"k"`}},
		{"equals sign in key", metrics.T("a=b", "v"), true, []string{`"a=b"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := metrics.ValidateTag(tt.tag)
			if !tt.wantErr {
				if err != nil {
					t.Fatalf("ValidateTag(%v) = %v, want nil", tt.tag, err)
				}
				return
			}
			wantErr(t, err, metrics.ErrInvalidTag, tt.mention...)
		})
	}
}

func TestLongNamesAreShortenedInErrors(t *testing.T) {
	err := metrics.ValidateName(strings.Repeat("a", 5000) + " ")
	wantErr(t, err, metrics.ErrInvalidName, "(5001 bytes)")
	if len(err.Error()) > 300 {
		t.Fatalf("error message is %d bytes long", len(err.Error()))
	}
}

// The reference's validation suite, through the client.
func TestClientValidation(t *testing.T) {
	c, mem := newMemClient(t, nil)

	t.Run("invalid_tag_component_is_rejected", func(t *testing.T) {
		_, err := metrics.New(metrics.Config{Exporter: otelkit.InMemory(otelkit.NewMemory()),
			DefaultTags: map[string]string{"bad key": "value"}})
		wantErr(t, err, metrics.ErrInvalidTag, `"bad key"`)
		wantErr(t, err, metrics.ErrInvalidConfig, "DefaultTags")
	})
	t.Run("counter_rejects_invalid_tag_key", func(t *testing.T) {
		err := c.Counter("codex.turns", 1, metrics.T("bad key", "value"))
		wantErr(t, err, metrics.ErrInvalidTag, `"bad key"`, `"codex.turns"`)
	})
	t.Run("histogram_rejects_invalid_tag_value", func(t *testing.T) {
		err := c.Histogram("codex.request_latency", 3, metrics.T("route", "bad value"))
		wantErr(t, err, metrics.ErrInvalidTag, `"bad value"`, `"route"`)
	})
	t.Run("counter_rejects_invalid_metric_name", func(t *testing.T) {
		wantErr(t, c.Counter("bad name", 1), metrics.ErrInvalidName, `"bad name"`)
	})
	t.Run("counter_rejects_negative_increment", func(t *testing.T) {
		wantErr(t, c.Counter("codex.turns", -1), metrics.ErrNegativeIncrement, `"codex.turns"`, "-1")
	})
	t.Run("metric_names_enforce_sdk_prefix_and_length", func(t *testing.T) {
		for _, name := range []string{"1bad", "-", strings.Repeat("a", 256)} {
			wantErr(t, c.Counter(name, 1), metrics.ErrInvalidName)
		}
		must(t, c.Counter(strings.Repeat("a", 255), 1))
	})
	t.Run("every recording method validates", func(t *testing.T) {
		bad := metrics.T("k", "v v")
		wantErr(t, c.Histogram("h", 1, bad), metrics.ErrInvalidTag)
		wantErr(t, c.Gauge("g", 1, bad), metrics.ErrInvalidTag)
		wantErr(t, c.RecordDuration("d", time.Second, bad), metrics.ErrInvalidTag)
		wantErr(t, c.RecordDurationSeconds("s", time.Second, bad), metrics.ErrInvalidTag)
		_, err := c.ObserveGauge("og", func() float64 { return 1 }, bad)
		wantErr(t, err, metrics.ErrInvalidTag)
		_, err = c.StartTimer("t", bad)
		wantErr(t, err, metrics.ErrInvalidTag)
		wantErr(t, c.Describe("1x", metrics.InstrumentInfo{}), metrics.ErrInvalidName)
	})
	t.Run("values", func(t *testing.T) {
		wantErr(t, c.Histogram("h", nan(), metrics.T("k", "v")), metrics.ErrInvalidValue, `"h"`)
		wantErr(t, c.Gauge("g", inf(), metrics.T("k", "v")), metrics.ErrInvalidValue, `"g"`)
		wantErr(t, c.RecordDuration("d", -time.Second), metrics.ErrInvalidValue, `"d"`, "-1s")
		wantErr(t, c.RecordDurationSeconds("s", -time.Millisecond), metrics.ErrInvalidValue)
		_, err := c.ObserveGauge("og", nil)
		wantErr(t, err, metrics.ErrInvalidValue, `"og"`)
	})

	// Nothing invalid was exported: only the valid 255-character counter.
	shutdown(t, c)
	rm := mem.Metrics()
	if len(rm) != 1 {
		t.Fatalf("exports = %d, want 1", len(rm))
	}
	var names []string
	for _, sm := range rm[0].ScopeMetrics {
		for _, m := range sm.Metrics {
			names = append(names, m.Name)
		}
	}
	if len(names) != 1 || names[0] != strings.Repeat("a", 255) {
		t.Fatalf("exported metrics = %q", names)
	}
}

func TestNewValidatesConfig(t *testing.T) {
	mem := otelkit.InMemory(otelkit.NewMemory())
	tests := []struct {
		name    string
		cfg     metrics.Config
		opts    []metrics.Option
		target  error
		mention string
	}{
		{"exporter off", metrics.Config{}, nil, metrics.ErrExporterDisabled, ""},
		{"temporality", metrics.Config{Exporter: mem, Temporality: "sometimes"}, nil, metrics.ErrInvalidConfig, `Temporality: "sometimes"`},
		// Like otelkit.Settings.MetricTemporality, the value is not trimmed.
		{"temporality with spaces", metrics.Config{Exporter: mem, Temporality: " delta"}, nil, metrics.ErrInvalidConfig, `Temporality: " delta"`},
		{"temporality lowmemory", metrics.Config{Exporter: mem, Temporality: "LowMemory"}, nil, metrics.ErrInvalidConfig, `Temporality: "LowMemory"`},
		{"interval", metrics.Config{Exporter: mem, ExportInterval: -time.Second}, nil, metrics.ErrInvalidConfig, "ExportInterval"},
		{"cardinality", metrics.Config{Exporter: mem, CardinalityLimit: -1}, nil, metrics.ErrInvalidConfig, "CardinalityLimit"},
		{"cardinality option", metrics.Config{Exporter: mem}, []metrics.Option{metrics.WithCardinalityLimit(0)}, metrics.ErrInvalidConfig, "CardinalityLimit"},
		{"default tag value", metrics.Config{Exporter: mem, DefaultTags: map[string]string{"env": ""}}, nil, metrics.ErrInvalidTag, `"env"`},
		{"default tag option", metrics.Config{Exporter: mem}, []metrics.Option{metrics.WithDefaultTags(metrics.T("env", "a b"))}, metrics.ErrInvalidTag, `"a b"`},
		{"instrument name", metrics.Config{Exporter: mem, Instruments: map[string]metrics.InstrumentInfo{"9lives": {}}}, nil, metrics.ErrInvalidName, `"9lives"`},
		{"exporter settings", metrics.Config{Exporter: otelkit.OTLP("ftp://collector:4318")}, nil, otelkit.ErrInvalidSettings, "Exporter.Endpoint: "},
		{"memory exporter without memory", metrics.Config{Exporter: otelkit.Exporter{Kind: otelkit.ExporterMemory}}, nil, metrics.ErrInvalidConfig, "Exporter.Memory: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := metrics.New(tt.cfg, tt.opts...)
			if c != nil {
				_ = c.Shutdown(context.Background())
				t.Fatal("New returned a client with an error case")
			}
			wantErr(t, err, tt.target, tt.mention)
		})
	}
}

// Errors about Config.Exporter name the field as the user wrote it (Exporter.Endpoint), not as the
// otelkit.Settings field New fills from it (Metrics.Endpoint), and still wrap otelkit.ErrInvalidSettings,
// as *otelkit.SettingsError values, without header values.
func TestNewExporterErrorsNameConfigFields(t *testing.T) {
	exp := otelkit.OTLP("ftp://x")
	exp.Headers = map[string]string{"authorization": "Bearer s3cr3t\n"}
	exp.Timeout = -time.Second
	_, err := metrics.New(metrics.Config{Exporter: exp})
	for _, target := range []error{metrics.ErrInvalidConfig, otelkit.ErrInvalidSettings} {
		if !errors.Is(err, target) {
			t.Fatalf("error = %v, want one wrapping %v", err, target)
		}
	}
	msg := err.Error()
	if strings.Contains(msg, "Metrics") || strings.Contains(msg, "s3cr3t") {
		t.Fatalf("error %q names a Settings field or repeats the header value", msg)
	}
	var fields []string
	var walk func(error)
	walk = func(e error) {
		if se, ok := e.(*otelkit.SettingsError); ok {
			fields = append(fields, se.Field)
			if !errors.Is(se, otelkit.ErrInvalidSettings) {
				t.Errorf("SettingsError %q does not wrap otelkit.ErrInvalidSettings", se.Field)
			}
			return
		}
		switch u := e.(type) {
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				walk(e)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		}
	}
	walk(err)
	want := []string{"Exporter.Endpoint", `Exporter.Headers["authorization"]`, "Exporter.Timeout"}
	if strings.Join(fields, "|") != strings.Join(want, "|") {
		t.Fatalf("SettingsError fields = %q, want %q (error %q)", fields, want, msg)
	}
	var se *otelkit.SettingsError
	if !errors.As(err, &se) || se.Field != "Exporter.Endpoint" || !strings.Contains(se.Reason, "ftp") {
		t.Fatalf("errors.As SettingsError = %+v, want Field Exporter.Endpoint with the scheme in the reason", se)
	}
}

func TestSanitize(t *testing.T) {
	long := strings.Repeat("x", 300)
	tests := []struct{ in, want string }{
		{"codex_cli_rs", "codex_cli_rs"},
		{"Codex Desktop", "Codex_Desktop"},
		{"  spaced  ", "spaced"},
		{"__a__", "a"},
		{"a::b", "a__b"},
		{"caf\u00e9 cr\u00e8me", "caf__cr_me"},
		{"\u65e5\u672c", "unspecified"},
		{"", "unspecified"},
		{"___", "unspecified"},
		{"./-", "unspecified"},
		{"v1.2.3/linux", "v1.2.3/linux"},
		{"bad\xffbyte", "bad_byte"},
		{long, long[:256]},
		{"!" + long, long[:256]},
		// Truncation comes before the letter-or-digit check, and trailing "_" are trimmed after it.
		{strings.Repeat(".", 300) + "a", "unspecified"},
		{strings.Repeat(".", 255) + "a", strings.Repeat(".", 255) + "a"},
		{long[:255] + " tail", long[:255]},
	}
	for _, tt := range tests {
		got := metrics.Sanitize(tt.in)
		if got != tt.want {
			t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if err := metrics.ValidateTag(metrics.T("k", got)); err != nil {
			t.Errorf("Sanitize(%q) = %q is not a valid tag value: %v", tt.in, got, err)
		}
	}
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"", "codex cli", "\u00e9\u00e9", "a\x00b", strings.Repeat("_a", 200)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := metrics.Sanitize(s)
		if err := metrics.ValidateTag(metrics.T("k", got)); err != nil {
			t.Fatalf("Sanitize(%q) = %q: %v", s, got, err)
		}
		if len(got) > metrics.SanitizedMaxLength {
			t.Fatalf("Sanitize(%q) is %d bytes", s, len(got))
		}
		if !strings.ContainsAny(got, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") {
			t.Fatalf("Sanitize(%q) = %q has no ASCII letter or digit", s, got)
		}
		if strings.HasPrefix(got, "_") || strings.HasSuffix(got, "_") {
			t.Fatalf("Sanitize(%q) = %q starts or ends with _", s, got)
		}
	})
}

func TestErrorsAreDistinct(t *testing.T) {
	all := []error{metrics.ErrInvalidName, metrics.ErrInvalidTag, metrics.ErrNegativeIncrement, metrics.ErrInvalidValue,
		metrics.ErrInstrumentConflict, metrics.ErrInvalidConfig, metrics.ErrExporterDisabled, metrics.ErrSnapshotUnavailable,
		metrics.ErrSnapshot, metrics.ErrFlush, metrics.ErrProviderShutdown, metrics.ErrShutdown, metrics.ErrTimerStopped,
		metrics.ErrTimerNotStarted}
	for i, a := range all {
		for j, b := range all {
			if i != j && errors.Is(a, b) {
				t.Errorf("%v matches %v", a, b)
			}
		}
	}
}
