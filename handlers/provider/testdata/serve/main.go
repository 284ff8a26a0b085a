// Command serve is a test function for provider.Serve: it behaves as its
// event's "Mode" property says.
package main

import (
	"context"
	"time"

	"github.com/eksforge/eksforge/handlers/provider"
)

func main() {
	provider.ServeWithOptions(provider.HandlerFunc(func(ctx context.Context, e provider.Event) (provider.OnEventResult, error) {
		switch e.ResourceProperties["Mode"] {
		case "hang":
			time.Sleep(time.Hour) // ignores its context
		case "panic":
			panic("boom")
		}
		return provider.OnEventResult{PhysicalResourceId: "p-" + e.RequestId}, nil
	}), provider.Options{MinGuard: 500 * time.Millisecond})
}
