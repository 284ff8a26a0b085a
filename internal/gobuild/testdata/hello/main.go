// Command hello is the smallest Lambda-style handler binary: it prints a
// greeting and the file embedded next to it. It is built by the gobuild
// tests.
package main

import (
	_ "embed"
	"fmt"
	"runtime"
)

//go:embed greeting.txt
var greeting string

func main() {
	fmt.Printf("%s from %s/%s\n", greeting, runtime.GOOS, runtime.GOARCH)
}
