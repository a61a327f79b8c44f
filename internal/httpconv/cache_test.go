package httpconv

import (
	"sync"
	"testing"
)

func TestCache(t *testing.T) {
	c := NewCache[string, int](2)
	if _, ok := c.Load("a"); ok {
		t.Fatal("empty cache has a")
	}
	if v := c.LoadOrStore("a", 1); v != 1 {
		t.Fatal(v)
	}
	if v := c.LoadOrStore("a", 2); v != 1 {
		t.Fatalf("second store returned %d, want the first value", v)
	}
	c.LoadOrStore("b", 2)
	if v := c.LoadOrStore("c", 3); v != 3 || c.Len() != 2 {
		t.Fatalf("full cache: got %d, len %d", v, c.Len())
	}
	if _, ok := c.Load("c"); ok {
		t.Fatal("a full cache stored c")
	}
	if n := testing.AllocsPerRun(100, func() { c.Load("a") }); n != 0 {
		t.Errorf("Load allocates %v times", n)
	}
}

func TestCacheConcurrentSafe(t *testing.T) {
	c := NewCache[int, *int](64)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 100 {
				k := (i + g) % 80
				v, ok := c.Load(k)
				if !ok {
					n := k
					v = c.LoadOrStore(k, &n)
				}
				if *v != k {
					t.Errorf("key %d has %d", k, *v)
				}
			}
		})
	}
	wg.Wait()
	if c.Len() != 64 {
		t.Errorf("len %d, want 64", c.Len())
	}
}
