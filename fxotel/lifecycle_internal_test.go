package fxotel

import (
	"context"
	"testing"
	"time"
)

func TestStopMarginLeavesShutdownHalfTheTimeAtLeast(t *testing.T) {
	for _, tc := range []struct {
		name             string
		left, configured time.Duration
		want             time.Duration
	}{
		{"default is a tenth", 5 * time.Second, 0, 500 * time.Millisecond},
		{"default at most 1s", time.Minute, 0, time.Second},
		{"default at least 50ms", 200 * time.Millisecond, 0, minStopMargin},
		{"configured", 5 * time.Second, 2 * time.Second, 2 * time.Second},
		{"configured at least 50ms", 5 * time.Second, time.Millisecond, minStopMargin},
		{"configured above the time left", time.Second, 10 * time.Second, 500 * time.Millisecond},
		{"configured above half the time left", time.Second, 700 * time.Millisecond, 500 * time.Millisecond},
		{"50ms floor above the time left", 40 * time.Millisecond, 0, 20 * time.Millisecond},
		{"nothing left", 0, 0, 0},
		{"past the deadline", -time.Second, time.Second, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := stopMargin(tc.left, tc.configured); got != tc.want {
				t.Fatalf("stopMargin(%v, %v) = %v, want %v", tc.left, tc.configured, got, tc.want)
			}
		})
	}
}

func TestWithMarginNeverHandsShutdownAnExpiredContext(t *testing.T) {
	parent, cancel := context.WithTimeout(context.Background(), 40*time.Millisecond)
	defer cancel()
	ctx, cancelMargin := withMargin(parent, 10*time.Second)
	defer cancelMargin()
	if err := ctx.Err(); err != nil {
		t.Fatalf("shutdown context expired at once: %v", err)
	}
	pd, _ := parent.Deadline()
	d, _ := ctx.Deadline()
	if margin := pd.Sub(d); margin <= 0 || margin > 20*time.Millisecond {
		t.Fatalf("margin = %v with 40ms left, want at most half", margin)
	}
	noDeadline, cancelNone := withMargin(context.Background(), time.Second)
	defer cancelNone()
	if _, ok := noDeadline.Deadline(); ok {
		t.Fatal("withMargin invented a deadline")
	}
}
