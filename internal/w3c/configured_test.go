package w3c

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/trace"
)

func TestValidateConfigured(t *testing.T) {
	tooMany := make(map[string]map[string]string)
	for i := range MaxTraceStateMembers + 1 {
		tooMany[fmt.Sprintf("m%02d", i)] = map[string]string{"a": "b"}
	}
	maxMembers := make(map[string]map[string]string)
	for i := range MaxTraceStateMembers {
		maxMembers[fmt.Sprintf("m%02d", i)] = map[string]string{"a": "b"}
	}
	tests := []struct {
		name    string
		members map[string]map[string]string
		wantErr string // substring; "" means valid
	}{
		{name: "nil", members: nil},
		{name: "reference example", members: map[string]map[string]string{"example": {"alpha": "one", "beta": "two"}}},
		{name: "multi-tenant key", members: map[string]map[string]string{"tenant@vendor": {"k": "v"}}},
		{name: "empty field value", members: map[string]map[string]string{"example": {"alpha": ""}}},
		{name: "space inside value", members: map[string]map[string]string{"example": {"alpha": "one two"}}},
		{name: "32 members", members: maxMembers},
		{
			name:    "newline in value",
			members: map[string]map[string]string{"example": {"alpha": "one\ntwo"}},
			wantErr: `invalid configured tracestate value for member "example" field "alpha": byte 0x0a at offset 3`,
		},
		{
			name:    "carriage return in value",
			members: map[string]map[string]string{"example": {"alpha": "one\r"}},
			wantErr: `configured tracestate value for member "example" field "alpha": byte 0x0d`,
		},
		{
			name:    "comma in value",
			members: map[string]map[string]string{"example": {"alpha": "a,b"}},
			wantErr: `value for member "example" field "alpha": byte ','`,
		},
		{
			name:    "equals in value",
			members: map[string]map[string]string{"example": {"alpha": "a=b"}},
			wantErr: `value for member "example" field "alpha": byte '='`,
		},
		{
			name:    "semicolon in value",
			members: map[string]map[string]string{"example": {"alpha": "a;b"}},
			wantErr: `value for member "example" field "alpha": byte ';'`,
		},
		{
			name:    "trailing space in value",
			members: map[string]map[string]string{"example": {"alpha": "one "}},
			wantErr: `value for member "example" field "alpha": trailing space`,
		},
		{
			name:    "non-ASCII value",
			members: map[string]map[string]string{"example": {"alpha": "caf\xc3\xa9"}},
			wantErr: `value for member "example" field "alpha": byte 0xc3`,
		},
		{
			name:    "empty field key",
			members: map[string]map[string]string{"example": {"": "one"}},
			wantErr: `invalid configured tracestate field key for member "example": empty`,
		},
		{
			name:    "colon in field key",
			members: map[string]map[string]string{"example": {"a:b": "one"}},
			wantErr: `field key for member "example" field "a:b": byte ':'`,
		},
		{
			name:    "space in field key",
			members: map[string]map[string]string{"example": {"a b": "one"}},
			wantErr: `field key for member "example" field "a b": byte 0x20`,
		},
		{
			name:    "uppercase member key",
			members: map[string]map[string]string{"Example": {"alpha": "one"}},
			wantErr: `invalid configured tracestate member key "Example"`,
		},
		{
			name:    "member key with newline",
			members: map[string]map[string]string{"ex\nample": {"alpha": "one"}},
			wantErr: `member key "ex\nample"`,
		},
		{
			name:    "no fields",
			members: map[string]map[string]string{"example": {}},
			wantErr: `value for member "example": no fields`,
		},
		{
			name:    "member value too long",
			members: map[string]map[string]string{"example": {"alpha": strings.Repeat("x", 251)}},
			wantErr: `value for member "example": encoded length 257 exceeds 256`,
		},
		{
			name:    "too many members",
			members: tooMany,
			wantErr: "33 members, at most 32",
		},
		{
			name: "encoded tracestate too long",
			members: map[string]map[string]string{
				"a": {"x": strings.Repeat("v", 200)},
				"b": {"x": strings.Repeat("v", 200)},
				"c": {"x": strings.Repeat("v", 200)},
			},
			wantErr: "encoded tracestate is 614 bytes, at most 512",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateConfigured(tt.members)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("ValidateConfigured = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("ValidateConfigured = nil, want error containing %q", tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ValidateConfigured = %q, want it to contain %q", err, tt.wantErr)
			}
			if !errors.Is(err, ErrInvalidTraceState) {
				t.Errorf("errors.Is(%v, ErrInvalidTraceState) = false", err)
			}
		})
	}
}

// TestValidateConfiguredReferenceNewline is the reference's loopback case: a
// value containing \n is rejected with "configured tracestate value".
func TestValidateConfiguredReferenceNewline(t *testing.T) {
	err := ValidateConfigured(map[string]map[string]string{"example": {"alpha": "one\ntwo"}})
	if err == nil || !strings.Contains(err.Error(), "configured tracestate value") {
		t.Fatalf("ValidateConfigured = %v, want an error containing %q", err, "configured tracestate value")
	}
}

func mustTraceState(t testing.TB, s string) trace.TraceState {
	t.Helper()
	ts, err := trace.ParseTraceState(s)
	if err != nil {
		t.Fatalf("ParseTraceState(%q): %v", s, err)
	}
	return ts
}

func TestMerge(t *testing.T) {
	ref := map[string]map[string]string{"example": {"alpha": "one", "beta": "two"}}
	many := make([]string, 0, 32)
	for i := range 32 {
		many = append(many, fmt.Sprintf("o%02d=v", i))
	}
	tests := []struct {
		name       string
		configured map[string]map[string]string
		incoming   string
		want       string
	}{
		{name: "reference example", configured: ref, incoming: "example=alpha:zero;keep:yes,other=value", want: "example=alpha:one;keep:yes;beta:two,other=value"},
		{name: "nothing configured", configured: nil, incoming: "b=1,a=2", want: "b=1,a=2"},
		{name: "nothing configured nothing incoming", configured: nil, incoming: "", want: ""},
		{name: "only configured", configured: ref, incoming: "", want: "example=alpha:one;beta:two"},
		{name: "configured moves to front", configured: ref, incoming: "first=1,example=beta:old,last=2", want: "example=beta:two;alpha:one,first=1,last=2"},
		{name: "configured prepended to others", configured: ref, incoming: "other=value", want: "example=alpha:one;beta:two,other=value"},
		{name: "duplicate configured field keeps first", configured: ref, incoming: "example=alpha:1;x:y;alpha:2", want: "example=alpha:one;x:y;beta:two"},
		{name: "field without colon kept", configured: ref, incoming: "example=flag;alpha:0", want: "example=flag;alpha:one;beta:two"},
		{name: "bare configured field replaced", configured: ref, incoming: "example=alpha", want: "example=alpha:one;beta:two"},
		{name: "empty fields dropped", configured: ref, incoming: "example=;;keep:yes;;", want: "example=keep:yes;alpha:one;beta:two"},
		{name: "members in key order", configured: map[string]map[string]string{"zeta": {"z": "1"}, "alpha": {"a": "1"}}, incoming: "other=1,zeta=z:0", want: "alpha=a:1,zeta=z:1,other=1"},
		{
			name:       "merged value too long falls back to encoding",
			configured: map[string]map[string]string{"example": {"alpha": strings.Repeat("n", 100)}},
			incoming:   "example=keep:" + strings.Repeat("k", 200) + ",other=1",
			want:       "example=alpha:" + strings.Repeat("n", 100) + ",other=1",
		},
		{
			name:       "merged value trailing space falls back",
			configured: map[string]map[string]string{"example": {"alpha": "one"}},
			incoming:   "example=alpha:0;keep:a ;alpha:1",
			want:       "example=alpha:one",
		},
		{
			name:       "member limit drops rightmost others",
			configured: ref,
			incoming:   strings.Join(many, ","),
			want:       "example=alpha:one;beta:two," + strings.Join(many[:31], ","),
		},
		{
			name:       "byte limit skips what does not fit",
			configured: ref,
			incoming:   "big=" + strings.Repeat("b", 256) + ",huge=" + strings.Repeat("h", 250) + ",small=1",
			want:       "example=alpha:one;beta:two,big=" + strings.Repeat("b", 256) + ",small=1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := buildConfigured(tt.configured)
			if err != nil {
				t.Fatal(err)
			}
			in := mustTraceState(t, tt.incoming)
			got := c.merge(in)
			if got != tt.want {
				t.Fatalf("merge(%q) =\n%q, want\n%q", tt.incoming, got, tt.want)
			}
			if len(got) > MaxTraceStateBytes {
				t.Errorf("merge result is %d bytes", len(got))
			}
			// The result is a valid tracestate, and merging is idempotent.
			again := c.merge(mustTraceState(t, got))
			if again != got {
				t.Errorf("merge is not idempotent: %q then %q", got, again)
			}
		})
	}
}

func TestLenientConfigured(t *testing.T) {
	c := lenientConfigured(map[string]map[string]string{
		"good":  {"k": "v"},
		"Bad":   {"k": "v"},
		"worse": {"k": "a\nb"},
		"zz":    {"k": "v"},
	})
	if c.header != "good=k:v,zz=k:v" {
		t.Errorf("header = %q, want %q", c.header, "good=k:v,zz=k:v")
	}
}
