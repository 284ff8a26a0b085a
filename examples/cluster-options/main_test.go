package main

import (
	"flag"
	"testing"

	"github.com/eksforge/eksforge/internal/testenv/goldentemplate"
)

var update = flag.Bool("update", false, "rewrite the golden templates in testdata/")

// TestGoldenTemplates compares each stack's template with
// testdata/<stack>.template.json, the kubectl handler's code hash masked
// (cfn-lint checks those files once for all examples, in
// examples/eks_lint_test.go).
func TestGoldenTemplates(t *testing.T) {
	goldentemplate.Check(t, *update, build)
}
