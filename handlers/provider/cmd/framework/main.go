// Command framework is the provider framework's Lambda function: one
// bootstrap binary for the onEvent, isComplete and onTimeout entries of
// [provider.Framework], configured by the environment described in
// [github.com/eksforge/eksforge/handlers/provider/spec] and built for
// provided.al2023.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/eksforge/eksforge/handlers/provider"
)

func main() {
	slog.SetDefault(slog.New(slog.NewJSONHandler(os.Stderr, nil)))
	f, err := provider.FrameworkFromEnv(context.Background())
	if err != nil {
		// Answer every request FAILED with the configuration error rather
		// than crash-looping and leaving CloudFormation waiting.
		slog.Error("provider framework not configured", "error", err)
		lambda.Start(provider.Misconfigured(err, provider.Options{}))
		return
	}
	lambda.Start(f.Handle)
}
