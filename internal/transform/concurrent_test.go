package transform

import (
	"sync"
	"testing"

	"google.golang.org/protobuf/proto"
)

// TestConvertConcurrentSafe converts the same input from several goroutines
// at once: the conversions share no state, and they leave their input alone.
func TestConvertConcurrentSafe(t *testing.T) {
	rm := literalMetrics()
	records := providerRecords(t)
	wantM, err := ResourceMetrics(rm)
	if err != nil {
		t.Fatal(err)
	}
	wantL := ResourceLogs(records)
	spans := providerSpans(t)
	wantS := ResourceSpans(spans)

	const workers = 8
	results := make(chan bool, 3*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			m, err := ResourceMetrics(rm)
			results <- err == nil && proto.Equal(m, wantM) && DataPointCount(rm) == literalPoints
		})
		wg.Go(func() {
			l := ResourceLogs(records)
			ok := len(l) == len(wantL)
			for i := 0; ok && i < len(l); i++ {
				ok = proto.Equal(l[i], wantL[i])
			}
			results <- ok
		})
		wg.Go(func() {
			s := ResourceSpans(spans)
			ok := len(s) == len(wantS)
			for i := 0; ok && i < len(s); i++ {
				ok = proto.Equal(s[i], wantS[i])
			}
			results <- ok
		})
	}
	wg.Wait()
	close(results)
	for ok := range results {
		if !ok {
			t.Fatal("a concurrent conversion gave a different result")
		}
	}
}
