package w3c

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/propagation"
)

// bagMembers returns n baggage members kNN=v joined by commas.
func bagMembers(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf("k%02d=v", i)
	}
	return strings.Join(parts, ",")
}

// bagOfSize returns one baggage member of exactly n bytes.
func bagOfSize(n int) string {
	return "k=" + strings.Repeat("v", n-2)
}

func TestBaggageExtract(t *testing.T) {
	tests := []struct {
		name    string
		header  http.Header
		wantLen int
		want    map[string]string
	}{
		{name: "none", header: http.Header{}},
		{name: "one member", header: headers("baggage", "user=alice"), wantLen: 1, want: map[string]string{"user": "alice"}},
		{name: "percent decoded", header: headers("baggage", "user=a%20b"), wantLen: 1, want: map[string]string{"user": "a b"}},
		{name: "multiple headers combined", header: headers("baggage", "a=1", "baggage", "b=2"), wantLen: 2, want: map[string]string{"a": "1", "b": "2"}},
		{name: "invalid member skipped", header: headers("baggage", "a=1,=bad,b=2"), wantLen: 2, want: map[string]string{"a": "1", "b": "2"}},
		{name: "64 members", header: headers("baggage", bagMembers(64)), wantLen: 64},
		{name: "65 members dropped", header: headers("baggage", bagMembers(65))},
		{name: "65 members across headers dropped", header: headers("baggage", bagMembers(40), "baggage", bagMembers(25))},
		{name: "8192 bytes", header: headers("baggage", bagOfSize(MaxBaggageBytes)), wantLen: 1},
		{name: "8193 bytes dropped", header: headers("baggage", bagOfSize(MaxBaggageBytes+1))},
		{name: "8193 bytes across headers dropped", header: headers("baggage", bagOfSize(4096), "baggage", bagOfSize(4096))},
		{name: "blank members not counted", header: headers("baggage", bagMembers(64)+", ,\t,"), wantLen: 64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := Baggage().Extract(t.Context(), propagation.HeaderCarrier(tt.header))
			bag := baggage.FromContext(ctx)
			if bag.Len() != tt.wantLen {
				t.Fatalf("baggage has %d members, want %d", bag.Len(), tt.wantLen)
			}
			for k, v := range tt.want {
				if got := bag.Member(k).Value(); got != v {
					t.Errorf("member %q = %q, want %q", k, got, v)
				}
			}
		})
	}
}

func TestBaggageInjectMatchesOtel(t *testing.T) {
	m1, _ := baggage.NewMemberRaw("user", "alice")
	m2, _ := baggage.NewMemberRaw("tenant", "a b")
	bag, err := baggage.New(m1, m2)
	if err != nil {
		t.Fatal(err)
	}
	ctx := baggage.ContextWithBaggage(context.Background(), bag)
	ours, theirs := http.Header{}, http.Header{}
	Baggage().Inject(ctx, propagation.HeaderCarrier(ours))
	propagation.Baggage{}.Inject(ctx, propagation.HeaderCarrier(theirs))
	// Baggage is a map, so member order varies between calls: compare sets.
	sorted := func(s string) []string {
		parts := strings.Split(s, ",")
		slices.Sort(parts)
		return parts
	}
	if ours.Get("baggage") == "" || !slices.Equal(sorted(ours.Get("baggage")), sorted(theirs.Get("baggage"))) {
		t.Errorf("baggage = %q, otel gives %q", ours.Get("baggage"), theirs.Get("baggage"))
	}
	if got := Baggage().Fields(); len(got) != 1 || got[0] != "baggage" {
		t.Errorf("Fields = %q", got)
	}
	Baggage().Inject(ctx, nil) // must not panic
}

func TestCountMembers(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"", 0}, {"a=1", 1}, {"a=1,b=2", 2}, {",,", 0}, {" , a=1 ,\t", 1}, {"a", 1},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.in), func(t *testing.T) {
			if got := countMembers(tt.in); got != tt.want {
				t.Errorf("countMembers(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}
