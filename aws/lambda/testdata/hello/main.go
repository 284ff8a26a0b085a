// Command hello is a tiny Lambda handler for the tests: it only prints.
package main

import "fmt"

func main() { fmt.Println("hello from bootstrap") }
