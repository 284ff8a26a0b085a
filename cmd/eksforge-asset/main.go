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
//	go run github.com/eksforge/eksforge/cmd/eksforge-asset -module github.com/eksforge/eksforge \
//	    -package github.com/eksforge/eksforge/handlers/kubectl/cmd/kubectl -goarch arm64 -tags lambda.norpc,nohelm -hash 3f5c…
//
// With -module, the module's directory is found when the command runs
// (eksforge's own sources for eksforge, else the module of the current
// directory, else go list -m from it), so the command holds no path of the
// machine that synthesized. With -dir (builds hashed with go list) the
// directory is given.
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
	opts, module, want, err := gobuild.ParseCommand(os.Args[1:], os.Stderr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "eksforge-asset: %v\n", err)
		os.Exit(2)
	}
	opts.Progress = os.Stderr
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if module != "" {
		if opts.Dir, err = gobuild.ModuleDir(ctx, module); err != nil {
			fmt.Fprintf(os.Stderr, "eksforge-asset: %v\n", err)
			os.Exit(1)
		}
	}
	zip, _, err := gobuild.BuildZip(ctx, opts, want)
	if err != nil {
		fmt.Fprintf(os.Stderr, "eksforge-asset: %v\n", err)
		os.Exit(1)
	}
	fmt.Println(zip)
}
