// Command goasset is the app of the CLI's `synth --build-assets` test: a
// stack with one Lambda function whose code is a Go main package of this
// module (internal/gobuild/testdata/hello), for the architecture named by
// HANDLER_ARCH ("arm64" or "amd64"; default arm64). Run it from the
// module's root.
package main

import (
	"fmt"
	"os"

	"github.com/eksforge/eksforge/aws/lambda"
	"github.com/eksforge/eksforge/cdk"
)

func main() {
	app := cdk.NewApp(cdk.AppProps{})
	st := cdk.NewStack(app, "GoAsset", cdk.StackProps{})
	arch := lambda.ArchitectureArm64
	if os.Getenv("HANDLER_ARCH") == "amd64" {
		arch = lambda.ArchitectureX8664
	}
	lambda.NewFunction(st, "Hello", lambda.FunctionProps{
		Code:         lambda.CodeFromGoPackage("github.com/eksforge/eksforge/internal/gobuild/testdata/hello"),
		Architecture: arch,
	})
	if _, err := app.Synth(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
