package batch_test

import (
	"context"
	"fmt"
	"time"

	"github.com/otelkit/otelkit/internal/batch"
)

// Items are exported in batches of at most MaxBatch; Shutdown exports what is left and stops the worker.
func Example() {
	export := func(_ context.Context, items []string) error {
		fmt.Println(items)
		return nil
	}
	p := batch.New(batch.Config{MaxQueue: 8, MaxBatch: 3, Delay: time.Hour, ExportTimeout: time.Second}, export, batch.Hooks{})
	p.Start()
	for _, s := range []string{"a", "b", "c", "d"} {
		p.Enqueue(s) // "a", "b", "c" fill a batch and are exported right away
	}
	_ = p.Shutdown(context.Background()) // exports "d"
	fmt.Println("sent", p.Sent(), "dropped", p.Dropped())
	// Output:
	// [a b c]
	// [d]
	// sent 4 dropped 0
}
