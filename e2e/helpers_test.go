package e2e

import (
	"encoding/hex"
	"maps"
	"slices"
)

func hexID(b []byte) string { return hex.EncodeToString(b) }

func keys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
