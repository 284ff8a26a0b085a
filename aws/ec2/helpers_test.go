package ec2_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/cdk"
)

func agnosticStack() (*cdk.App, *cdk.Stack) {
	app := cdk.NewApp(cdk.AppProps{})
	return app, cdk.NewStack(app, "Stack", cdk.StackProps{})
}

func envStack(ctx map[string]any) (*cdk.App, *cdk.Stack) {
	app := cdk.NewApp(cdk.AppProps{Context: ctx})
	return app, cdk.NewStack(app, "Stack", cdk.StackProps{Env: cdk.Environment{Account: "123456789012", Region: "us-east-1"}})
}

// mustPanic runs f and checks that it panics with a message containing
// every one of want.
func mustPanic(t *testing.T, f func(), want ...string) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Fatalf("no panic; want one containing %q", want)
		}
		msg := fmt.Sprint(r)
		for _, w := range want {
			if !strings.Contains(msg, w) {
				t.Errorf("panic %q does not contain %q", msg, w)
			}
		}
	}()
	f()
}

func ref(id string) map[string]any { return map[string]any{"Ref": id} }

func selectAZ(i int) map[string]any {
	return map[string]any{"Fn::Select": []any{i, map[string]any{"Fn::GetAZs": ""}}}
}
