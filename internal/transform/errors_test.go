package transform

import (
	"errors"
	"strings"
	"testing"
)

func TestResourceMetricsErrorsNameEachDroppedMetric(t *testing.T) {
	out, err := ResourceMetrics(invalidMetrics())
	if err == nil {
		t.Fatal("want an error for the invalid metrics")
	}
	var kept []string
	for _, sm := range out.GetScopeMetrics() {
		for _, m := range sm.GetMetrics() {
			kept = append(kept, sm.GetScope().GetName()+"/"+m.GetName())
		}
	}
	if got, want := strings.Join(kept, ","), "s1/good.before,s1/good.after"; got != want {
		t.Errorf("kept metrics = %s, want %s", got, want)
	}
	if n := len(out.GetScopeMetrics()); n != 2 {
		t.Errorf("scopes = %d, want 2 (a scope whose metrics were all dropped is still sent)", n)
	}

	want := []struct {
		scope, name string
		points      int
		sentinel    error
		detail      string
	}{
		{"s1", "embedded.gauge", 0, ErrUnknownAggregation, "transform.bogus"},
		{"s1", "pointer.gauge", 0, ErrUnknownAggregation, "*metricdata.Gauge[int64]"},
		{"s1", "nil.data", 0, ErrUnknownAggregation, "<nil>"},
		{"s1", "sum.undefined.temporality", 2, ErrUnknownTemporality, "undefinedTemporality"},
		{"s2", "hist.bad.temporality", 1, ErrUnknownTemporality, "Temporality(9)"},
		{"s2", "exphist.bad.temporality", 1, ErrUnknownTemporality, "undefinedTemporality"},
	}
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("error %T is not a joined error", err)
	}
	errs := joined.Unwrap()
	if len(errs) != len(want) {
		t.Fatalf("got %d errors, want %d: %v", len(errs), len(want), err)
	}
	for i, w := range want {
		var me *MetricError
		if !errors.As(errs[i], &me) {
			t.Fatalf("error %d is %T, want *MetricError", i, errs[i])
		}
		if me.Scope != w.scope || me.Name != w.name || me.Points != w.points || !errors.Is(me, w.sentinel) {
			t.Errorf("error %d = %+v, want scope %q name %q points %d wrapping %v", i, *me, w.scope, w.name, w.points, w.sentinel)
		}
		wantMsg := `transform: metric "` + w.name + `" of scope "` + w.scope + `" left out: ` +
			w.sentinel.Error() + " " + w.detail
		if me.Error() != wantMsg {
			t.Errorf("error %d message = %q, want %q", i, me.Error(), wantMsg)
		}
	}
	if !errors.Is(err, ErrUnknownAggregation) || !errors.Is(err, ErrUnknownTemporality) {
		t.Errorf("joined error does not match both sentinels: %v", err)
	}
}

func TestMetricErrorZeroValue(t *testing.T) {
	var e MetricError
	if got, want := e.Error(), `transform: metric "" of scope "" left out: invalid data`; got != want {
		t.Errorf("zero MetricError = %q, want %q", got, want)
	}
}
