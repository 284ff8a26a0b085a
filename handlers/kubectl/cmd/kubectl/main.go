// Command kubectl is the kubectl handler's Lambda function: the bootstrap
// binary for provided.al2023 that answers the Kubernetes custom resources
// of an eksforge app (see package
// github.com/eksforge/eksforge/handlers/kubectl). Build it with
// CGO_ENABLED=0 and -tags lambda.norpc.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/eksforge/eksforge/handlers/kubectl"
	"github.com/eksforge/eksforge/handlers/provider"
	"github.com/eksforge/eksforge/handlers/provider/spec"
)

func main() {
	slog.SetDefault(slog.New(slog.NewJSONHandler(os.Stderr, nil)))
	// A soft memory limit from the function's memory (unless GOMEMLIMIT
	// says otherwise): see docs/architecture.md, "Handler memory".
	provider.SetMemoryLimit()
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		slog.Error("unable to load the AWS configuration", "error", err)
	}
	served, perr := kubectl.ServedClustersFromEnv()
	if perr != nil {
		slog.Error("unable to read the clusters this handler serves", "error", perr)
		err = perr
	}
	if err != nil {
		provider.ServeWithOptions(provider.HandlerFunc(func(context.Context, provider.Event) (provider.OnEventResult, error) {
			return provider.OnEventResult{}, err
		}), provider.Options{})
		return
	}
	if served == nil {
		slog.Warn("no " + kubectl.EnvClusters + " in the environment: this handler serves any cluster its role can reach")
	}
	h := kubectl.New(cfg)
	h.Clusters = served
	var o provider.Options
	if arn := os.Getenv(spec.EnvWaiterStateMachineARN); arn != "" {
		// Operations longer than one invocation continue in the waiter,
		// whose tasks invoke this same binary (as the WaiterHandler).
		// The client's one method, not the client: see
		// provider.ExecutionStarterFunc.
		o.Waiter = provider.Waiter{Executions: provider.ExecutionStarterFunc(sfn.NewFromConfig(cfg).StartExecution), StateMachine: arn}
		h.LongOperations = true
	}
	provider.ServeContinuable(h, o)
}
