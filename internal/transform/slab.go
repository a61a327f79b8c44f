package transform

// slab hands out values of T carved from chunks of a backing array, so that
// converting a payload costs a few allocations per type instead of one per
// message. Conversions first count what they will need and reserve it, so in
// the usual case each slab allocates exactly once. The counts are only hints:
// a slab that runs out (nested values are not counted ahead) adds a chunk
// half the size of all it has allocated so far, so it grows geometrically
// while wasting at most a third of its memory.
//
// Values handed out share their chunk: the chunk lives as long as any value
// carved from it. That suits an export request, which is built, encoded and
// dropped as a whole.
type slab[T any] struct {
	buf   []T
	next  int // size of the next chunk
	total int // values allocated so far
}

// minChunk is the smallest chunk a slab allocates unasked.
const minChunk = 16

// reserve asks that the next chunk hold at least n values.
func (s *slab[T]) reserve(n int) {
	if n > s.next {
		s.next = n
	}
}

// new returns a pointer to a zero T.
func (s *slab[T]) new() *T {
	if len(s.buf) == 0 {
		s.grow(1)
	}
	p := &s.buf[0]
	s.buf = s.buf[1:]
	return p
}

// make returns a zeroed slice of n values whose capacity is exactly n, so an
// append by the caller can never write over a neighbour. It returns nil for
// n <= 0.
func (s *slab[T]) make(n int) []T {
	if n <= 0 {
		return nil
	}
	if len(s.buf) < n {
		s.grow(n)
	}
	out := s.buf[:n:n]
	s.buf = s.buf[n:]
	return out
}

func (s *slab[T]) grow(atLeast int) {
	n := max(s.next, atLeast)
	if n == 0 { // Nothing reserved: start small.
		n = minChunk
	}
	s.buf = make([]T, n)
	s.total += n
	s.next = max(s.total/2, minChunk)
}
