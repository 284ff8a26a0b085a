// Package unavailable is the one place that decides what a test does when a
// tool it needs (kube-apiserver, moto, the AWS CDK CLI, aws-cdk-lib, kubectl)
// is missing: on a developer's machine the test is skipped with a banner
// saying how to get the tool; under CI=true it fails, because CI must have
// every tool and a skipped test there would let the suite pass by accident.
package unavailable

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// Tool describes a missing tool for [SkipOrFail].
type Tool struct {
	// Source names the reporter, e.g. "kubeenv" or "motoserver".
	Source string
	// What says what is missing, e.g. "kube-apiserver v1.37.2 and etcd v3.6.5
	// are not built and cannot be".
	What string
	// Reason is the underlying error text (may span several lines).
	Reason string
	// Skipped says which tests are skipped, e.g. "Tests that need moto".
	Skipped string
	// Remedy says what a developer runs to get the tool.
	Remedy string
	// CINeeds says what a CI machine must provide, e.g. "reach the npm registry".
	CINeeds string
}

// InCI reports whether the tests run under CI (CI=true), where a missing tool
// is a failure.
func InCI() bool { return os.Getenv("CI") == "true" }

// Message renders the banner [SkipOrFail] prints.
func (tool Tool) Message(ci bool) string {
	outcome := fmt.Sprintf("%s are SKIPPED. %s", tool.Skipped, tool.Remedy)
	if ci {
		outcome = fmt.Sprintf("CI=true: this is a FAILURE, not a skip. CI must %s.", tool.CINeeds)
	}
	var b strings.Builder
	b.WriteString("\n!!!!!!!!!!\n")
	fmt.Fprintf(&b, "!!! %s: %s", tool.Source, tool.What)
	if r := strings.TrimSpace(tool.Reason); r != "" {
		b.WriteString(":\n!!! ")
		b.WriteString(strings.ReplaceAll(r, "\n", "\n!!! "))
	}
	fmt.Fprintf(&b, "\n!!! %s\n!!!!!!!!!!", outcome)
	return b.String()
}

// SkipOrFail skips t, or fails it when CI=true, reporting the missing tool.
func SkipOrFail(t testing.TB, tool Tool) {
	t.Helper()
	if InCI() {
		t.Fatal(tool.Message(true))
	}
	t.Skip(tool.Message(false))
}
