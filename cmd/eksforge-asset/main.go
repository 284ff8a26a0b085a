// Command eksforge-asset builds the zip of a Go Lambda handler when a cloud
// assembly's asset is published, and prints the zip's path on standard
// output. Synthesis does not compile handlers: it names each one by the
// hash of its inputs and writes this command as the asset's "executable"
// source, which the AWS CDK CLI (cdk deploy, cdk-assets) and eksforge
// deploy run before uploading. Progress goes to standard error.
//
// It is not meant to be run by hand; the asset manifest holds the exact
// command, for example:
//
//	go run -C /path/to/eksforge ./cmd/eksforge-asset -package github.com/eksforge/eksforge/handlers/kubectl/cmd/kubectl \
//	    -dir /path/to/eksforge -goarch arm64 -tags lambda.norpc -hash 3f5c…
//
// The build is cached (see internal/gobuild): a second publish of the same
// sources builds nothing. With -hash, a program whose sources changed since
// synthesis is refused rather than uploaded under the old name.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"github.com/eksforge/eksforge/internal/gobuild"
)

func main() {
	opts, want, err := gobuild.ParseCommand(os.Args[1:], os.Stderr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "eksforge-asset: %v\n", err)
		os.Exit(2)
	}
	opts.Progress = os.Stderr
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	zip, _, err := gobuild.BuildZip(ctx, opts, want)
	if err != nil {
		fmt.Fprintf(os.Stderr, "eksforge-asset: %v\n", err)
		os.Exit(1)
	}
	fmt.Println(zip)
}
