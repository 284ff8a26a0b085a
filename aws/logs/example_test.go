package logs_test

import (
	"encoding/json"
	"fmt"

	"github.com/eksforge/eksforge/aws/logs"
	"github.com/eksforge/eksforge/cdk"
)

// A log group keeping events for a month, deleted with the stack.
func ExampleNewLogGroup() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	logs.NewLogGroup(stack, "Audit", logs.LogGroupProps{
		LogGroupName:  "/eksforge/audit",
		Retention:     logs.RetentionOneMonth,
		RemovalPolicy: cdk.RemovalPolicyDestroy,
	})
	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := asm.TemplateOf(stack)
	var tmpl struct{ Resources map[string]map[string]any }
	_ = json.Unmarshal(body, &tmpl)
	for id, r := range tmpl.Resources {
		delete(r, "Metadata")
		b, _ := json.Marshal(r)
		fmt.Println(id, string(b))
	}
	// Output:
	// Audit3D8ADE0A {"DeletionPolicy":"Delete","Properties":{"LogGroupName":"/eksforge/audit","RetentionInDays":30},"Type":"AWS::Logs::LogGroup","UpdateReplacePolicy":"Delete"}
}
