package gobuild_test

import (
	"context"
	"log"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/gobuild"
)

// A Go Lambda handler becomes a zip asset of the stack: the hash names it,
// and an unchanged handler is neither rebuilt nor re-uploaded.
func Example() {
	res, err := gobuild.Build(context.Background(), gobuild.Options{
		Package: "./handlers/kubectl", // a main package of the module in the current directory
		GOARCH:  "arm64",
	})
	if err != nil {
		log.Fatal(err)
	}
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	loc := stack.AddFileAsset(cdk.FileAssetSource{
		SourceHash: res.Hash,
		FileName:   res.Dir,
		Packaging:  cdk.FileAssetPackagingZipDirectory,
	})
	cdk.NewCfnResource(stack, "Handler", cdk.CfnResourceProps{
		Type: "AWS::Lambda::Function",
		Properties: map[string]any{
			"Runtime":       "provided.al2023",
			"Handler":       "bootstrap",
			"Role":          "arn:aws:iam::123456789012:role/handler",
			"Architectures": []string{"arm64"},
			"Code":          map[string]any{"S3Bucket": loc.BucketName, "S3Key": loc.ObjectKey},
		},
	})
	if _, err := app.Synth(); err != nil {
		log.Fatal(err)
	}
}
