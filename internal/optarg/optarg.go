// Package optarg reads the trailing options argument of eksforge's
// functions and methods (`f(x, opts ...FooOptions)`; docs/architecture.md,
// "One spelling per idea"): the common call passes none, an options struct
// when it needs one, and never more than one.
//
// It is for the aws/* and eks packages, not for users.
package optarg

import "fmt"

// One returns the options value in opts, or T's zero value when opts is
// empty. More than one value is a programmer error (the call site is
// wrong whatever the data): One panics with a message naming where (a
// construct path, or the function) and the options type.
func One[T any](where string, opts []T) T {
	switch len(opts) {
	case 0:
		var zero T
		return zero
	case 1:
		return opts[0]
	}
	panic(fmt.Sprintf("%s: pass at most one %T, got %d", where, opts[0], len(opts)))
}
