// Command two is a second tiny handler, so tests can build two programs.
package main

import (
	"encoding/json"
	"os"
)

func main() { _ = json.NewEncoder(os.Stdout).Encode(map[string]string{"hello": "two"}) }
