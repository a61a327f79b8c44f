package w3c

import (
	"go.opentelemetry.io/otel/propagation"
)

// canonicalKey returns the net/http canonical form of one of our header names.
func canonicalKey(key string) string {
	switch key {
	case TraceParentHeader:
		return canonicalTraceParent
	case TraceStateHeader:
		return canonicalTraceState
	case BaggageHeader:
		return canonicalBaggage
	}
	return key
}

// getValues returns every value of key in carrier. HTTP headers are read
// without canonicalising the key on each call, ValuesGetter carriers (gRPC
// metadata) give all their values, and other carriers give the single value
// of Get, stored in one so that no slice is allocated.
func getValues(carrier propagation.TextMapCarrier, key string, one *[1]string) []string {
	switch c := carrier.(type) {
	case propagation.HeaderCarrier:
		return c[canonicalKey(key)]
	case propagation.MapCarrier:
		v, ok := c[key]
		if !ok {
			return nil
		}
		one[0] = v
		return one[:]
	case propagation.ValuesGetter:
		return c.Values(key)
	case nil:
		return nil
	}
	v := carrier.Get(key)
	if v == "" {
		return nil
	}
	one[0] = v
	return one[:]
}

// setValue replaces every value of key in carrier with value.
func setValue(carrier propagation.TextMapCarrier, key, value string) {
	if c, ok := carrier.(propagation.HeaderCarrier); ok {
		c[canonicalKey(key)] = []string{value}
		return
	}
	carrier.Set(key, value)
}

// deleter is implemented by carriers that can remove a key, such as
// metadata.MD and the propagation package's carriers.
type deleter interface {
	Delete(key string)
}

// deleteValue removes key from carrier when the carrier supports it, so that
// a stale value of an earlier context does not survive an Inject.
func deleteValue(carrier propagation.TextMapCarrier, key string) {
	switch c := carrier.(type) {
	case propagation.HeaderCarrier:
		delete(c, canonicalKey(key))
	case propagation.MapCarrier:
		delete(c, key)
	case deleter:
		c.Delete(key)
	}
}
