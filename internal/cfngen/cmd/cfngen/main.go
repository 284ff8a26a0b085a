// Command cfngen generates the typed CloudFormation resources (package
// cfn/<service>) from the CloudFormation registry schemas. It is run by
// `go generate` through the directive in cfn/doc.go:
//
//	cfngen -schemas DIR [-docs FILE] -out DIR [-samples FILE] NAMESPACE-DIR...
//
// With no namespace dirs (eks, ec2, ...) it generates every namespace.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/eksforge/eksforge/internal/cfngen"
)

func main() {
	schemas := flag.String("schemas", "", "directory of CloudFormation registry resource schemas (*.json)")
	out := flag.String("out", "", "directory to write the packages into (one subdirectory per namespace)")
	docs := flag.String("docs", "", "gzipped descriptions (descriptions.json.gz) for what the schemas do not describe")
	samples := flag.String("samples", "", "if set, also write a Go test file there building a sample of every resource type")
	flag.Parse()
	if *schemas == "" || *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := cfngen.Generate(cfngen.Options{SchemaDir: *schemas, DocsFile: *docs, OutDir: *out, SamplesFile: *samples, Dirs: flag.Args()}); err != nil {
		fmt.Fprintln(os.Stderr, "cfngen:", err)
		os.Exit(1)
	}
}
