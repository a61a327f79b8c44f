package transform_test

import (
	"errors"
	"fmt"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/resource"

	"github.com/otelkit/otelkit/internal/transform"
)

func ExampleResourceMetrics() {
	now := time.Unix(1_700_000_000, 0)
	rm := &metricdata.ResourceMetrics{
		Resource: resource.NewSchemaless(attribute.String("service.name", "shop")),
		ScopeMetrics: []metricdata.ScopeMetrics{{
			Scope: instrumentation.Scope{Name: "orders"},
			Metrics: []metricdata.Metrics{
				{Name: "orders.placed", Data: metricdata.Sum[int64]{
					Temporality: metricdata.DeltaTemporality, IsMonotonic: true,
					DataPoints: []metricdata.DataPoint[int64]{{Time: now, Value: 3}},
				}},
				{Name: "orders.broken"}, // No data: left out and reported.
			},
		}},
	}
	out, err := transform.ResourceMetrics(rm)
	fmt.Println("points:", transform.DataPointCount(rm))
	fmt.Println("sent:", out.ScopeMetrics[0].Metrics[0].GetName(), out.ScopeMetrics[0].Metrics[0].GetSum().GetDataPoints()[0].GetAsInt())
	var me *transform.MetricError
	if errors.As(err, &me) {
		fmt.Println("left out:", me.Name, errors.Is(err, transform.ErrUnknownAggregation))
	}
	fmt.Println(err)
	// Output:
	// points: 1
	// sent: orders.placed 3
	// left out: orders.broken true
	// transform: metric "orders.broken" of scope "orders" left out: unknown aggregation <nil>
}

func ExampleValue() {
	v := transform.Value(attribute.MapValue(
		attribute.String("user", "ada"),
		attribute.Slice("tags", attribute.StringValue("a"), attribute.Int64Value(2)),
	))
	for _, kv := range v.GetKvlistValue().GetValues() {
		fmt.Printf("%s: array of %d, string %q\n",
			kv.GetKey(), len(kv.GetValue().GetArrayValue().GetValues()), kv.GetValue().GetStringValue())
	}
	empty := transform.Value(attribute.Value{})
	fmt.Println(empty != nil, empty.GetValue() == nil)
	// Output:
	// tags: array of 2, string ""
	// user: array of 0, string "ada"
	// true true
}
