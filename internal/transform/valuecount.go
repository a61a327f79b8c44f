package transform

import "go.opentelemetry.io/otel/attribute"

// valueCounts counts top-level values by kind, to size the slabs of an
// attrArena. Elements of slices and maps are not counted: getting at them
// copies them, and they are rare.
type valueCounts struct {
	kvs, values, strs, ints, doubles, bools, bytes, arrays, maps int

	// unseen counts values of unknown kind (see addSetLen).
	unseen int
}

func (c *valueCounts) add(v attribute.Value) {
	c.values++
	switch v.Type() {
	case attribute.STRING:
		c.strs++
	case attribute.INT64:
		c.ints++
	case attribute.FLOAT64:
		c.doubles++
	case attribute.BOOL:
		c.bools++
	case attribute.BYTESLICE:
		c.bytes++
	case attribute.BOOLSLICE, attribute.INT64SLICE, attribute.FLOAT64SLICE, attribute.STRINGSLICE, attribute.SLICE:
		c.arrays++
	case attribute.MAP:
		c.maps++
	case attribute.EMPTY:
	default:
		c.strs++ // Sent as the string "INVALID".
	}
}

func (c *valueCounts) addKeyValue(kv attribute.KeyValue) bool {
	c.kvs++
	c.add(kv.Value)
	return true
}

func (c *valueCounts) addKeyValues(kvs []attribute.KeyValue) {
	for _, kv := range kvs {
		c.addKeyValue(kv)
	}
}

func (c *valueCounts) addSet(s *attribute.Set) {
	for i, n := 0, s.Len(); i < n; i++ {
		kv, _ := s.Get(i)
		c.addKeyValue(kv)
	}
}

// addSetLen counts the attributes of s without looking at them, which would
// go through reflection; reserve guesses their kinds.
func (c *valueCounts) addSetLen(s *attribute.Set) {
	n := s.Len()
	c.kvs += n
	c.values += n
	c.unseen += n
}

// reserve sizes the slabs of a for the values counted in c. Values of
// unknown kind are taken to be mostly strings and some ints, as metric
// attributes usually are; slabs that turn out short grow.
func (a *attrArena) reserve(c *valueCounts) {
	a.kvs.reserve(c.kvs)
	a.kvPtrs.reserve(c.kvs)
	a.anys.reserve(c.values)
	a.strs.reserve(c.strs + c.unseen)
	a.ints.reserve(c.ints + c.unseen/3)
	a.doubles.reserve(c.doubles + c.unseen/16)
	a.bools.reserve(c.bools + c.unseen/16)
	a.bytes.reserve(c.bytes)
	a.arrays.reserve(c.arrays)
	a.arrayVs.reserve(c.arrays)
	a.kvlists.reserve(c.maps)
	a.kvlistV.reserve(c.maps)
}
