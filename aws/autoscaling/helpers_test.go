package autoscaling_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/aws/autoscaling"
	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/cdk"
)

var update = flag.Bool("update", false, "rewrite the golden templates in testdata/")

func newStack() (*cdk.App, *cdk.Stack) {
	app := cdk.NewApp(cdk.AppProps{})
	return app, cdk.NewStack(app, "Stack", cdk.StackProps{})
}

// minimal returns the required props: a new VPC, m5.large and the
// EKS-optimized AMI for x86_64.
func minimal(stack *cdk.Stack) autoscaling.AutoScalingGroupProps {
	return autoscaling.AutoScalingGroupProps{
		Vpc:          ec2.NewVpc(stack, "Vpc", ec2.VpcProps{}),
		InstanceType: ec2.InstanceTypeOf("m5.large"),
		MachineImage: ec2.EksOptimizedAmi("1.33", ec2.NodeTypeStandard),
	}
}

// synthError synthesizes the app and returns its error ("" when none).
func synthError(t *testing.T, app *cdk.App) string {
	t.Helper()
	_, err := app.Synth(cdk.InMemory())
	if err == nil {
		return ""
	}
	return err.Error()
}

// panicMessage runs f and returns what it panicked with ("" when it did not).
func panicMessage(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = r.(string)
		}
	}()
	f()
	return ""
}

// checkGolden compares the stack's template with testdata/<name>, as JSON;
// -update rewrites the file. It returns the golden's path.
func checkGolden(t *testing.T, name string, stack *cdk.Stack) string {
	t.Helper()
	app := stack.Node().Root().(*cdk.App)
	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		t.Fatalf("synthesis failed: %v", err)
	}
	got, _ := asm.TemplateOf(stack)
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s differs from the synthesized template (go test -update rewrites it); got:\n%s", path, strings.TrimSpace(string(got)))
	}
	return path
}
