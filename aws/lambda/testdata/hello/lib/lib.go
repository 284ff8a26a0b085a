// Package lib is not a main package.
package lib

// X is exported.
const X = 1
