package metrics

import (
	"hash/maphash"
	"sync"
	"sync/atomic"
	"unsafe"
)

// table is a hash table from a 64-bit key to series, built for lock-free reads: a read is two atomic
// loads and a walk of an immutable chain. Inserts are serialised by mu; they prepend a node to a chain
// and, when the table is full, publish a larger copy. Nothing is ever removed.
type table struct {
	mu  sync.Mutex
	cur atomic.Pointer[slots]
	n   int // nodes, guarded by mu
}

type slots struct {
	mask  uint64
	heads []atomic.Pointer[node]
}

type node struct {
	h    uint64
	s    *series
	next *node
}

const initialSlots = 64

func newTable() *table {
	t := &table{}
	t.cur.Store(newSlots(initialSlots))
	return t
}

func newSlots(n int) *slots {
	return &slots{mask: uint64(n - 1), heads: make([]atomic.Pointer[node], n)}
}

// find returns the series stored under h whose name and tags equal name and tags, or nil. Equality is
// always checked on content, so a key collision can never return the wrong series.
func (t *table) find(h uint64, name string, tags []Tag) *series {
	sl := t.cur.Load()
	for e := sl.heads[h&sl.mask].Load(); e != nil; e = e.next {
		if e.h == h && e.s.matches(name, tags) {
			return e.s
		}
	}
	return nil
}

// insert stores s under h unless a series with the same name and tags is already stored under h; it
// returns the stored series and whether s was inserted.
func (t *table) insert(h uint64, s *series) (*series, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	sl := t.cur.Load()
	head := &sl.heads[h&sl.mask]
	for e := head.Load(); e != nil; e = e.next {
		if e.h == h && e.s.matches(s.name, s.tags) {
			return e.s, false
		}
	}
	head.Store(&node{h: h, s: s, next: head.Load()})
	t.n++
	if t.n > 2*len(sl.heads) {
		t.grow(sl)
	}
	return s, true
}

// grow publishes a table with four times the slots; readers of the old one still see valid chains.
func (t *table) grow(old *slots) {
	sl := newSlots(4 * len(old.heads))
	for i := range old.heads {
		for e := old.heads[i].Load(); e != nil; e = e.next {
			head := &sl.heads[e.h&sl.mask]
			head.Store(&node{h: e.h, s: e.s, next: head.Load()})
		}
	}
	t.cur.Store(sl)
}

// seriesCache finds the series of (name, tags) in two steps:
//
//   - by identity: a cheap hash of the strings' addresses and lengths. Call sites that pass the same
//     string constants (the common case) hit here without reading the strings' bytes;
//   - by content: a maphash of the strings' bytes, for equal strings at other addresses (built at run
//     time). A content hit adds a few identity aliases to the series so later calls are cheap too.
//
// Both steps compare the found series' name and tags by content, so a hit is always exact.
type seriesCache struct {
	seed    maphash.Seed
	ident   *table
	content *table
}

// maxAliases bounds the identity entries of one series (strings built per call never repeat their address).
const maxAliases = 4

func newSeriesCache() *seriesCache {
	return &seriesCache{seed: maphash.MakeSeed(), ident: newTable(), content: newTable()}
}

func mix(x, v uint64) uint64 {
	x ^= v
	x *= 0x9e3779b97f4a7c15
	return x ^ (x >> 29)
}

func addr(s string) uint64 { return uint64(uintptr(unsafe.Pointer(unsafe.StringData(s)))) }

// identityHash hashes the addresses and lengths of name and tags.
func identityHash(name string, tags []Tag) uint64 {
	x := mix(addr(name), uint64(len(name)))
	for i := range tags {
		x = mix(x, addr(tags[i].Key)^uint64(len(tags[i].Key))<<48)
		x = mix(x, addr(tags[i].Value)^uint64(len(tags[i].Value))<<48)
	}
	return x
}

// contentHash hashes the bytes of name and tags, in order.
func (sc *seriesCache) contentHash(name string, tags []Tag) uint64 {
	var h maphash.Hash
	h.SetSeed(sc.seed)
	h.WriteString(name)
	for i := range tags {
		h.WriteByte(0)
		h.WriteString(tags[i].Key)
		h.WriteByte(0)
		h.WriteString(tags[i].Value)
	}
	return h.Sum64()
}

// load returns the cached series of (name, tags), or nil with the content hash for a later store.
func (sc *seriesCache) load(name string, tags []Tag) (*series, uint64) {
	ih := identityHash(name, tags)
	if s := sc.ident.find(ih, name, tags); s != nil {
		return s, 0
	}
	ch := sc.contentHash(name, tags)
	s := sc.content.find(ch, name, tags)
	if s != nil && s.aliases.Load() < maxAliases && s.aliases.Add(1) <= maxAliases {
		sc.ident.insert(ih, s)
	}
	return s, ch
}

// store caches s (whose content hash is ch) and returns the cached series of its name and tags, with
// whether s itself was stored.
func (sc *seriesCache) store(ch uint64, s *series) (*series, bool) {
	s, inserted := sc.content.insert(ch, s)
	if inserted {
		s.aliases.Add(1)
		sc.ident.insert(identityHash(s.name, s.tags), s)
	}
	return s, inserted
}
