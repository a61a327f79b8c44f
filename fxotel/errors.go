package fxotel

import "errors"

var (
	// ErrInvalidConfig is wrapped by the error fx.New returns for a bad [Config]; the message names the field.
	ErrInvalidConfig = errors.New("fxotel: invalid config")

	// ErrPluginConflict is wrapped by the error fx.New returns when values in the module's groups contradict
	// each other (two samplers, one resource attribute with two values, two unordered settings overrides), so
	// that the result would depend on the random order in which fx delivers a group.
	ErrPluginConflict = errors.New("fxotel: conflicting plugins")
)
