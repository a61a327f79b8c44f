package transform

import (
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/resource"
)

// linearMax is how many groups are searched linearly before the grouper
// builds a map. Exports usually carry one resource and a few scopes, and
// consecutive records usually share a scope.
const linearMax = 8

var zeroScope instrumentation.Scope

// resGroup is a distinct resource among the records.
type resGroup struct {
	res    *resource.Resource // of the first record of the group
	key    attribute.Distinct
	scopes int // scope groups of this resource
}

// scopeGroup is a distinct (resource, scope) pair among the records.
type scopeGroup struct {
	res   int // index into grouper.res
	scope instrumentation.Scope
	count int // records in the group
}

type scopeKey struct {
	res   int
	scope instrumentation.Scope
}

// grouper sorts records (or spans) into resource and scope groups in order of first
// appearance. As in the SDK exporters, resources are the same when their
// attribute sets are equivalent and scopes when they are equal.
type grouper struct {
	res      []resGroup
	scopes   []scopeGroup
	resIdx   map[attribute.Distinct]int // built past linearMax resources
	scopeIdx map[scopeKey]int           // built past linearMax scopes
	last     int                        // scope group of the previous record
}

// find returns the scope group of a record or span with resource res and
// scope, creating the group (and its resource group) if it is new, and counts
// one item in it.
func (g *grouper) find(res *resource.Resource, scope instrumentation.Scope) int {
	if g.last >= 0 {
		sg := &g.scopes[g.last]
		if rg := &g.res[sg.res]; (rg.res == res || rg.key == res.Equivalent()) && sg.scope == scope {
			sg.count++
			return g.last
		}
	}
	ri := g.findRes(res)
	si := g.findScope(ri, scope)
	g.scopes[si].count++
	g.last = si
	return si
}

func (g *grouper) findRes(res *resource.Resource) int {
	key := res.Equivalent()
	if g.resIdx != nil {
		if i, ok := g.resIdx[key]; ok {
			return i
		}
	} else {
		for i := range g.res {
			if g.res[i].key == key {
				return i
			}
		}
	}
	i := len(g.res)
	g.res = append(g.res, resGroup{res: res, key: key})
	switch {
	case g.resIdx != nil:
		g.resIdx[key] = i
	case len(g.res) > linearMax:
		g.resIdx = make(map[attribute.Distinct]int, 2*len(g.res))
		for j := range g.res {
			g.resIdx[g.res[j].key] = j
		}
	}
	return i
}

func (g *grouper) findScope(ri int, scope instrumentation.Scope) int {
	if g.scopeIdx != nil {
		if i, ok := g.scopeIdx[scopeKey{ri, scope}]; ok {
			return i
		}
	} else {
		for i := range g.scopes {
			if g.scopes[i].res == ri && g.scopes[i].scope == scope {
				return i
			}
		}
	}
	i := len(g.scopes)
	g.scopes = append(g.scopes, scopeGroup{res: ri, scope: scope})
	g.res[ri].scopes++
	switch {
	case g.scopeIdx != nil:
		g.scopeIdx[scopeKey{ri, scope}] = i
	case len(g.scopes) > linearMax:
		g.scopeIdx = make(map[scopeKey]int, 2*len(g.scopes))
		for j := range g.scopes {
			g.scopeIdx[scopeKey{g.scopes[j].res, g.scopes[j].scope}] = j
		}
	}
	return i
}
