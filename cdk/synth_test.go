package cdk_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/cdk"
)

// synth synthesizes app in memory and returns the template of each
// top-level stack by artifact id.
func synth(t *testing.T, app *cdk.App) map[string]map[string]any {
	t.Helper()
	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		t.Fatalf("synth: %v", err)
	}
	out := map[string]map[string]any{}
	for _, s := range asm.Stacks {
		out[s.ID] = s.Template()
	}
	return out
}

func synthErr(t *testing.T, app *cdk.App) string {
	t.Helper()
	_, err := app.Synth(cdk.InMemory())
	if err == nil {
		t.Fatalf("synth succeeded; want an error")
	}
	return err.Error()
}

func get(t *testing.T, v any, path ...string) any {
	t.Helper()
	cur := v
	for _, p := range path {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[p]
		case []any:
			var i int
			fmt.Sscan(p, &i)
			if i >= len(c) {
				t.Fatalf("index %d out of range at %v", i, path)
			}
			cur = c[i]
		default:
			t.Fatalf("cannot descend into %T at %q (path %v)", cur, p, path)
		}
	}
	return cur
}

func jsonEq(t *testing.T, got any, wantJSON string) {
	t.Helper()
	var want any
	if err := json.Unmarshal([]byte(wantJSON), &want); err != nil {
		t.Fatalf("bad want JSON: %v", err)
	}
	b, _ := json.Marshal(got)
	var g any
	_ = json.Unmarshal(b, &g)
	if !reflect.DeepEqual(g, want) {
		t.Errorf("got  %s\nwant %s", b, wantJSON)
	}
}

func TestLogicalIDsMatchTheAWSCDK(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	cluster := cdk.NewConstruct(stack, "Cluster")
	role := cdk.NewConstruct(cluster, "Role")
	cdk.NewCfnResource(role, "Resource", cdk.CfnResourceProps{Type: "AWS::IAM::Role"})
	res := cdk.NewConstruct(cluster, "Resource")
	cdk.NewCfnResource(res, "Resource", cdk.CfnResourceProps{Type: "Custom::AWSCDK-EKS-Cluster"})
	cdk.NewCfnResource(stack, "LaunchTemplate", cdk.CfnResourceProps{Type: "AWS::EC2::LaunchTemplate"})
	tmpl := synth(t, app)["Stack"]
	for _, id := range []string{"ClusterRoleFA261979", "Cluster9EE0221C", "LaunchTemplate"} {
		if get(t, tmpl, "Resources", id) == nil {
			t.Errorf("no resource %s in %v", id, tmpl["Resources"])
		}
	}
	jsonEq(t, get(t, tmpl, "Resources", "ClusterRoleFA261979", "Metadata"), `{"aws:cdk:path":"Stack/Cluster/Role/Resource"}`)
}

func TestTokensInStrings(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	topic := cdk.NewCfnResource(stack, "Topic", cdk.CfnResourceProps{Type: "AWS::SNS::Topic"})
	arn := topic.GetAttString("TopicArn")
	num := cdk.AsNumber(cdk.NewIntrinsic(map[string]any{"Ref": "Port"}))
	cdk.NewCfnResource(stack, "User", cdk.CfnResourceProps{Type: "AWS::X::Y", Properties: map[string]any{
		"Plain":     "hello",
		"Whole":     topic.Ref(),
		"Concat":    "arn:" + arn + "/x",
		"Sprintf":   fmt.Sprintf("%s-%s", stack.Region(), topic.Ref()),
		"Number":    num,
		"NumInStr":  fmt.Sprintf("port-%v", num),
		"Joined":    cdk.Fn.Join(",", []string{"a", topic.Ref(), "b"}),
		"Literal":   cdk.Fn.Join(",", []string{"a", "b"}),
		"Select":    cdk.Fn.Select(1, cdk.Fn.GetAZs("")),
		"Split":     cdk.Fn.Split(",", topic.Ref()),
		"List":      []string{"x", topic.Ref()},
		"Lazy":      cdk.LazyString(func() string { return "lazy-" + topic.Ref() }),
		"NoValue":   cdk.Aws.NoValue,
		"Account":   stack.Account(),
		"Partition": stack.Partition(),
	}})
	p := get(t, synth(t, app)["Stack"], "Resources", "User", "Properties")
	jsonEq(t, get(t, p, "Plain"), `"hello"`)
	jsonEq(t, get(t, p, "Whole"), `{"Ref":"Topic"}`)
	jsonEq(t, get(t, p, "Concat"), `{"Fn::Join":["",["arn:",{"Fn::GetAtt":["Topic","TopicArn"]},"/x"]]}`)
	jsonEq(t, get(t, p, "Sprintf"), `{"Fn::Join":["",[{"Ref":"AWS::Region"},"-",{"Ref":"Topic"}]]}`)
	jsonEq(t, get(t, p, "Number"), `{"Ref":"Port"}`)
	jsonEq(t, get(t, p, "NumInStr"), `{"Fn::Join":["",["port-",{"Ref":"Port"}]]}`)
	jsonEq(t, get(t, p, "Joined"), `{"Fn::Join":[",",["a",{"Ref":"Topic"},"b"]]}`)
	jsonEq(t, get(t, p, "Literal"), `"a,b"`)
	jsonEq(t, get(t, p, "Select"), `{"Fn::Select":[1,{"Fn::GetAZs":""}]}`)
	jsonEq(t, get(t, p, "Split"), `{"Fn::Split":[",",{"Ref":"Topic"}]}`)
	jsonEq(t, get(t, p, "List"), `["x",{"Ref":"Topic"}]`)
	jsonEq(t, get(t, p, "Lazy"), `{"Fn::Join":["",["lazy-",{"Ref":"Topic"}]]}`)
	jsonEq(t, get(t, p, "NoValue"), `{"Ref":"AWS::NoValue"}`)
	jsonEq(t, get(t, p, "Account"), `{"Ref":"AWS::AccountId"}`)
	jsonEq(t, get(t, p, "Partition"), `{"Ref":"AWS::Partition"}`)
}

func TestToJsonString(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	topic := cdk.NewCfnResource(stack, "Topic", cdk.CfnResourceProps{Type: "AWS::SNS::Topic"})
	cdk.NewCfnResource(stack, "User", cdk.CfnResourceProps{Type: "AWS::X::Y", Properties: map[string]any{
		"Json":    cdk.Fn.ToJsonString(map[string]any{"arn": "arn:" + topic.Ref(), "n": 2, "q": `say "hi"`}),
		"Literal": cdk.Fn.ToJsonString([]any{"a", true}),
	}})
	p := get(t, synth(t, app)["Stack"], "Resources", "User", "Properties")
	jsonEq(t, get(t, p, "Json"), `{"Fn::Join":["",["{\"arn\":\"arn:",{"Ref":"Topic"},"\",\"n\":2,\"q\":\"say \\\"hi\\\"\"}"]]}`)
	jsonEq(t, get(t, p, "Literal"), `"[\"a\",true]"`)
}

func TestTokenErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		props func(stack *cdk.Stack) map[string]any
		want  string
	}{
		{"fails on a token in a map key", func(s *cdk.Stack) map[string]any {
			return map[string]any{"M": map[string]any{s.Region(): "x"}}
		}, "holds a token"},
		{"fails on a list token inside a string", func(s *cdk.Stack) map[string]any {
			return map[string]any{"S": "azs:" + cdk.Fn.GetAZs("")[0]}
		}, "list token"},
		{"fails on a token that resolves to itself", func(s *cdk.Stack) map[string]any {
			var self string
			self = cdk.LazyString(func() string { return self })
			return map[string]any{"S": self}
		}, "resolves to itself"},
		{"fails on an unrenderable value", func(s *cdk.Stack) map[string]any {
			return map[string]any{"C": make(chan int)}
		}, "cannot render a value of type chan int"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app := cdk.NewApp(cdk.AppProps{})
			stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
			cdk.NewCfnResource(stack, "R", cdk.CfnResourceProps{Type: "AWS::X::Y", Properties: tc.props(stack)})
			msg := synthErr(t, app)
			if !strings.Contains(msg, tc.want) || !strings.Contains(msg, "[Stack/R]") {
				t.Errorf("error %q should name the path [Stack/R] and contain %q", msg, tc.want)
			}
		})
	}
}

func TestConstructIDErrors(t *testing.T) {
	t.Parallel()
	mustPanic := func(t *testing.T, want string, f func()) {
		t.Helper()
		defer func() {
			r := recover()
			if r == nil || !strings.Contains(fmt.Sprint(r), want) {
				t.Errorf("panic %v; want one containing %q", r, want)
			}
		}()
		f()
	}
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	cdk.NewConstruct(stack, "A")
	t.Run("fails on a duplicate id", func(t *testing.T) {
		mustPanic(t, `already a construct named "A" in "Stack"`, func() { cdk.NewConstruct(stack, "A") })
	})
	t.Run("fails on a slash in an id", func(t *testing.T) {
		mustPanic(t, `contains "/"`, func() { cdk.NewConstruct(stack, "a/b") })
	})
	t.Run("fails on an empty id", func(t *testing.T) {
		mustPanic(t, "empty id", func() { cdk.NewConstruct(stack, "") })
	})
	t.Run("fails outside a stack", func(t *testing.T) {
		mustPanic(t, "not inside a Stack", func() { cdk.NewCfnResource(app, "R", cdk.CfnResourceProps{Type: "AWS::X::Y"}) })
	})
}

func TestNodeTree(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	a := cdk.NewConstruct(stack, "A")
	b := cdk.NewConstruct(a, "B")
	if got := b.Node().Path(); got != "Stack/A/B" {
		t.Errorf("path %q", got)
	}
	if b.Node().Scope() != a || b.Node().Root() != cdk.Construct(app) {
		t.Errorf("scope or root wrong")
	}
	if a.Node().FindChild("B") != b || a.Node().TryFindChild("C") != nil {
		t.Errorf("find child wrong")
	}
	if n := len(stack.Node().FindAll()); n != 3 {
		t.Errorf("FindAll gave %d constructs, want 3", n)
	}
	addr := b.Node().Addr()
	if len(addr) != 42 || !strings.HasPrefix(addr, "c8") {
		t.Errorf("addr %q", addr)
	}
	if cdk.StackOf(b) != stack {
		t.Errorf("StackOf wrong")
	}
}

func TestValidationErrorsAreCollected(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	a := cdk.NewConstruct(stack, "A")
	a.Node().AddValidation(func() []string { return []string{"first problem", "second problem"} })
	b := cdk.NewConstruct(stack, "B")
	b.Node().AddError("bad value %d", 3)
	cdk.NewCfnOutput(stack, "Empty", cdk.CfnOutputProps{})
	msg := synthErr(t, app)
	for _, want := range []string{"[Stack/A] first problem", "[Stack/A] second problem", "[Stack/B] bad value 3", "[Stack/Empty] the output has no Value"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	var se *cdk.SynthError
	if !errors.As(mustErr(app), &se) || len(se.Problems) != 4 {
		t.Errorf("want a SynthError with 4 problems, got %v", se)
	}
}

func mustErr(app *cdk.App) error {
	_, err := app.Synth(cdk.InMemory())
	return err
}

func TestResourceOptionsAndOverrides(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	cond := cdk.NewCfnCondition(stack, "IsProd", cdk.CfnConditionProps{Expression: cdk.Fn.Equals(stack.Region(), "us-east-1")})
	other := cdk.NewCfnResource(stack, "Other", cdk.CfnResourceProps{Type: "AWS::X::Y"})
	r := cdk.NewCfnResource(stack, "R", cdk.CfnResourceProps{Type: "AWS::X::Y", Properties: map[string]any{
		"Keep": "k", "Drop": "d", "Nested": map[string]any{"A": 1},
	}})
	r.ApplyRemovalPolicy(cdk.RemovalPolicyRetain)
	r.CfnOptions().Condition = cond
	r.CfnOptions().UpdatePolicy = map[string]any{"AutoScalingRollingUpdate": map[string]any{"MinInstancesInService": 1}}
	r.CfnOptions().CreationPolicy = map[string]any{"ResourceSignal": map[string]any{"Count": 1}}
	r.AddDependency(other)
	r.AddPropertyOverride("Nested.B", "b")
	r.AddPropertyOverride("Dotted\\.Key", true)
	r.AddPropertyDeletionOverride("Drop")
	r.AddOverride("Metadata.Extra", "e")
	tmpl := synth(t, app)["Stack"]
	jsonEq(t, get(t, tmpl, "Resources", "R"), `{
		"Type":"AWS::X::Y",
		"Properties":{"Keep":"k","Nested":{"A":1,"B":"b"},"Dotted.Key":true},
		"DependsOn":["Other"],
		"Condition":"IsProd",
		"CreationPolicy":{"ResourceSignal":{"Count":1}},
		"UpdatePolicy":{"AutoScalingRollingUpdate":{"MinInstancesInService":1}},
		"UpdateReplacePolicy":"Retain",
		"DeletionPolicy":"Retain",
		"Metadata":{"aws:cdk:path":"Stack/R","Extra":"e"}}`)
	jsonEq(t, get(t, tmpl, "Conditions", "IsProd"), `{"Fn::Equals":[{"Ref":"AWS::Region"},"us-east-1"]}`)
}

func TestOverrideErrors(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	r := cdk.NewCfnResource(stack, "R", cdk.CfnResourceProps{Type: "AWS::X::Y"})
	r.DeclareProperties("Name")
	r.AddOverride("Propertes.Name", "x")
	r.AddPropertyOverride("Nmae", "x")
	r.ApplyRemovalPolicy("sometimes")
	msg := synthErr(t, app)
	for _, want := range []string{`"Propertes" which is not a resource attribute`, `names the property "Nmae", which AWS::X::Y does not have; known properties: Name`, `unknown removal policy "sometimes"`} {
		if !strings.Contains(strings.ReplaceAll(msg, ", which is", " which is"), want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
}

func TestOverrideLogicalID(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	a := cdk.NewCfnResource(stack, "A", cdk.CfnResourceProps{Type: "AWS::X::Y"})
	b := cdk.NewCfnResource(stack, "B", cdk.CfnResourceProps{Type: "AWS::X::Y", Properties: map[string]any{"Ref": a.Ref()}})
	_ = b
	a.OverrideLogicalID("Renamed")
	tmpl := synth(t, app)["Stack"]
	jsonEq(t, get(t, tmpl, "Resources", "B", "Properties", "Ref"), `{"Ref":"Renamed"}`)
}

func TestDuplicateLogicalIDs(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
	cdk.NewCfnResource(stack, "A", cdk.CfnResourceProps{Type: "AWS::X::Y"})
	b := cdk.NewCfnResource(stack, "B", cdk.CfnResourceProps{Type: "AWS::X::Y"})
	b.OverrideLogicalID("A")
	if msg := synthErr(t, app); !strings.Contains(msg, `logical ID "A" is already used by "Stack/A"`) {
		t.Errorf("error %q", msg)
	}
}

func TestCrossStackReferences(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	producer := cdk.NewStack(app, "Producer", cdk.StackProps{})
	topic := cdk.NewCfnResource(cdk.NewConstruct(producer, "Topic"), "Resource", cdk.CfnResourceProps{Type: "AWS::SNS::Topic"})
	consumer := cdk.NewStack(app, "Consumer2", cdk.StackProps{})
	cdk.NewCfnOutput(consumer, "Arn", cdk.CfnOutputProps{Value: topic.Ref()})
	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	// Names as the AWS CDK 2.276 writes them for the same app.
	jsonEq(t, get(t, asm.Stack("Consumer2").Template(), "Outputs", "Arn", "Value"), `{"Fn::ImportValue":"Producer:ExportsOutputRefTopicBFC7AF6ECB4A357A"}`)
	jsonEq(t, get(t, asm.Stack("Producer").Template(), "Outputs", "ExportsOutputRefTopicBFC7AF6ECB4A357A"),
		`{"Value":{"Ref":"TopicBFC7AF6E"},"Export":{"Name":"Producer:ExportsOutputRefTopicBFC7AF6ECB4A357A"}}`)
	if got := asm.Stack("Consumer2").Dependencies; !reflect.DeepEqual(got, []string{"Producer"}) {
		t.Errorf("dependencies %v", got)
	}
}

func TestCrossStackReferenceErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		a, b      cdk.Environment
		wantInErr string
	}{
		{"fails across accounts", cdk.Environment{Account: "111111111111", Region: "us-east-1"}, cdk.Environment{Account: "222222222222", Region: "us-east-1"}, "different accounts"},
		{"fails across regions", cdk.Environment{Account: "111111111111", Region: "us-east-1"}, cdk.Environment{Account: "111111111111", Region: "eu-west-1"}, "different regions"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app := cdk.NewApp(cdk.AppProps{})
			p := cdk.NewStack(app, "P", cdk.StackProps{Env: tc.a})
			r := cdk.NewCfnResource(p, "R", cdk.CfnResourceProps{Type: "AWS::SNS::Topic"})
			c := cdk.NewStack(app, "C", cdk.StackProps{Env: tc.b})
			cdk.NewCfnOutput(c, "O", cdk.CfnOutputProps{Value: r.Ref()})
			if msg := synthErr(t, app); !strings.Contains(msg, tc.wantInErr) || !strings.Contains(msg, "[C]") {
				t.Errorf("error %q", msg)
			}
		})
	}
}

func TestStackDependencyCycle(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	a := cdk.NewStack(app, "A", cdk.StackProps{})
	b := cdk.NewStack(app, "B", cdk.StackProps{})
	ra := cdk.NewCfnResource(a, "R", cdk.CfnResourceProps{Type: "AWS::SNS::Topic"})
	rb := cdk.NewCfnResource(b, "R", cdk.CfnResourceProps{Type: "AWS::SNS::Topic"})
	cdk.NewCfnOutput(a, "O", cdk.CfnOutputProps{Value: rb.Ref()})
	cdk.NewCfnOutput(b, "O", cdk.CfnOutputProps{Value: ra.Ref()})
	if msg := synthErr(t, app); !strings.Contains(msg, "stacks depend on each other in a cycle: A -> B -> A") && !strings.Contains(msg, "B -> A -> B") {
		t.Errorf("error %q", msg)
	}
}

func TestResourceDependencyCycle(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	s := cdk.NewStack(app, "S", cdk.StackProps{})
	a := cdk.NewCfnResource(s, "A", cdk.CfnResourceProps{Type: "AWS::X::Y"})
	b := cdk.NewCfnResource(s, "B", cdk.CfnResourceProps{Type: "AWS::X::Y", Properties: map[string]any{"P": a.Ref()}})
	a.Node().AddDependency(b)
	if msg := synthErr(t, app); !strings.Contains(msg, "resources depend on each other in a cycle") {
		t.Errorf("error %q", msg)
	}
}

func TestConstructDependencies(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	s := cdk.NewStack(app, "S", cdk.StackProps{})
	group := cdk.NewConstruct(s, "Group")
	cdk.NewCfnResource(group, "A", cdk.CfnResourceProps{Type: "AWS::X::Y"})
	cdk.NewCfnResource(group, "B", cdk.CfnResourceProps{Type: "AWS::X::Y"})
	c := cdk.NewCfnResource(s, "C", cdk.CfnResourceProps{Type: "AWS::X::Y"})
	c.Node().AddDependency(group)
	other := cdk.NewStack(app, "Other", cdk.StackProps{})
	cdk.NewCfnResource(other, "D", cdk.CfnResourceProps{Type: "AWS::X::Y"}).Node().AddDependency(c)
	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	jsonEq(t, get(t, asm.Stack("S").Template(), "Resources", "C", "DependsOn"), `["GroupAE0121C37","GroupB5A0138CC"]`)
	if got := asm.Stack("Other").Dependencies; !reflect.DeepEqual(got, []string{"S"}) {
		t.Errorf("stack dependencies %v", got)
	}
}

func TestNestedStacks(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	producer := cdk.NewStack(app, "Producer", cdk.StackProps{})
	topic := cdk.NewCfnResource(cdk.NewConstruct(producer, "Topic"), "Resource", cdk.CfnResourceProps{Type: "AWS::SNS::Topic"})
	nested := cdk.NewNestedStack(producer, "Nested", cdk.NestedStackProps{})
	t2 := cdk.NewCfnResource(cdk.NewConstruct(nested, "T2"), "Resource", cdk.CfnResourceProps{Type: "AWS::SNS::Topic",
		Properties: map[string]any{"DisplayName": topic.GetAttString("TopicName")}})
	cdk.NewCfnOutput(producer, "FromNested", cdk.CfnOutputProps{Value: t2.Ref()})
	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	parent := asm.Stack("Producer").Template()
	// Logical IDs and parameter/output names as the AWS CDK 2.276 writes them.
	res := get(t, parent, "Resources", "NestedNestedStackNestedNestedStackResourceDEFDAA4D")
	jsonEq(t, get(t, res, "Properties", "Parameters"), `{"referencetoProducerTopic3F638113TopicName":{"Fn::GetAtt":["TopicBFC7AF6E","TopicName"]}}`)
	jsonEq(t, get(t, parent, "Outputs", "FromNested", "Value"), `{"Fn::GetAtt":["NestedNestedStackNestedNestedStackResourceDEFDAA4D","Outputs.ProducerNestedT27DFA5D87Ref"]}`)
	url, _ := json.Marshal(get(t, res, "Properties", "TemplateURL"))
	if !strings.Contains(string(url), `"Fn::Sub":"cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"`) || !strings.Contains(string(url), `.json"`) {
		t.Errorf("TemplateURL %s", url)
	}
	body, ok := asm.TemplateOf(nested.Stack.Node().Host().(*cdk.NestedStack).NestedStackResource().Stack())
	_ = body
	_ = ok
	nb, ok := asm.TemplateOf(&nested.Stack)
	if !ok {
		t.Fatal("no nested template")
	}
	var nt map[string]any
	_ = json.Unmarshal(nb, &nt)
	jsonEq(t, nt, `{
		"Resources":{"T2F4FF2F84":{"Type":"AWS::SNS::Topic","Properties":{"DisplayName":{"Ref":"referencetoProducerTopic3F638113TopicName"}},"Metadata":{"aws:cdk:path":"Producer/Nested/T2/Resource"}}},
		"Parameters":{"referencetoProducerTopic3F638113TopicName":{"Type":"String"}},
		"Outputs":{"ProducerNestedT27DFA5D87Ref":{"Value":{"Ref":"T2F4FF2F84"}}}}`)
	if nested.TemplateFile() != "ProducerNested869755D4.nested.template.json" {
		t.Errorf("nested template file %q", nested.TemplateFile())
	}
}

func TestTags(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	s := cdk.NewStack(app, "S", cdk.StackProps{Tags: map[string]string{"team": "eks"}})
	a := cdk.NewCfnResource(s, "A", cdk.CfnResourceProps{Type: "AWS::EC2::VPC", Tagging: cdk.TagFormatStandard,
		Properties: map[string]any{"Tags": []any{map[string]any{"Key": "own", "Value": "1"}}}})
	_ = a
	cdk.NewCfnResource(s, "B", cdk.CfnResourceProps{Type: "AWS::EKS::Cluster", Tagging: cdk.TagFormatMap})
	cdk.NewCfnResource(s, "C", cdk.CfnResourceProps{Type: "AWS::AutoScaling::AutoScalingGroup", Tagging: cdk.TagFormatAutoScalingGroup})
	cdk.NewCfnResource(s, "D", cdk.CfnResourceProps{Type: "AWS::X::NotTaggable"})
	cdk.TagsOf(s).Add("env", "prod", cdk.TagProps{ExcludeResourceTypes: []string{"AWS::EKS::Cluster"}})
	cdk.TagsOf(s).Add("asg", "only", cdk.TagProps{IncludeResourceTypes: []string{"AWS::AutoScaling::AutoScalingGroup"}, ExcludeFromLaunchedInstances: true})
	cdk.TagsOf(s).Remove("team", cdk.TagProps{IncludeResourceTypes: []string{"AWS::AutoScaling::AutoScalingGroup"}})
	tmpl := synth(t, app)["S"]
	jsonEq(t, get(t, tmpl, "Resources", "A", "Properties", "Tags"), `[{"Key":"env","Value":"prod"},{"Key":"own","Value":"1"},{"Key":"team","Value":"eks"}]`)
	jsonEq(t, get(t, tmpl, "Resources", "B", "Properties", "Tags"), `{"team":"eks"}`)
	jsonEq(t, get(t, tmpl, "Resources", "C", "Properties", "Tags"), `[{"Key":"asg","Value":"only","PropagateAtLaunch":false},{"Key":"env","Value":"prod","PropagateAtLaunch":true}]`)
	if get(t, tmpl, "Resources", "D", "Properties") != nil {
		t.Errorf("untaggable resource got properties")
	}
}

type countAspect struct{ n *int }

func (a countAspect) Visit(c cdk.Construct) {
	if _, ok := c.(*cdk.CfnResource); ok {
		*a.n++
	}
}

func TestAspects(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	s := cdk.NewStack(app, "S", cdk.StackProps{})
	cdk.NewCfnResource(s, "A", cdk.CfnResourceProps{Type: "AWS::X::Y"})
	cdk.NewCfnResource(cdk.NewConstruct(s, "G"), "B", cdk.CfnResourceProps{Type: "AWS::X::Y"})
	n := 0
	cdk.AspectsOf(app).Add(countAspect{&n})
	synth(t, app)
	if n != 2 {
		t.Errorf("aspect visited %d resources, want 2", n)
	}
}

func TestParametersMappingsRules(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	s := cdk.NewStack(app, "S", cdk.StackProps{})
	minLen := 3
	p := cdk.NewCfnParameter(s, "Name", cdk.CfnParameterProps{Default: "abc", MinLength: &minLen, AllowedValues: []string{"abc", "def"}})
	m := cdk.NewCfnMapping(s, "Map", cdk.CfnMappingProps{Mapping: map[string]map[string]any{"us-east-1": {"ami": "ami-1"}}})
	cdk.NewCfnRule(s, "Rule", cdk.CfnRuleProps{Assertions: []cdk.CfnRuleAssertion{{Assert: cdk.Fn.Contains([]string{"abc"}, p.ValueAsString()), AssertDescription: "must be abc"}}})
	cdk.NewCfnResource(s, "R", cdk.CfnResourceProps{Type: "AWS::X::Y", Properties: map[string]any{
		"Name": p.ValueAsString(), "Known": m.FindInMap("us-east-1", "ami"), "Late": m.FindInMap(s.Region(), "ami"),
	}})
	tmpl := synth(t, app)["S"]
	jsonEq(t, get(t, tmpl, "Parameters", "Name"), `{"Type":"String","Default":"abc","AllowedValues":["abc","def"],"MinLength":3}`)
	jsonEq(t, get(t, tmpl, "Mappings"), `{"Map":{"us-east-1":{"ami":"ami-1"}}}`)
	jsonEq(t, get(t, tmpl, "Rules", "Rule"), `{"Assertions":[{"Assert":{"Fn::Contains":[["abc"],{"Ref":"Name"}]},"AssertDescription":"must be abc"}]}`)
	jsonEq(t, get(t, tmpl, "Resources", "R", "Properties"), `{"Name":{"Ref":"Name"},"Known":"ami-1","Late":{"Fn::FindInMap":["Map",{"Ref":"AWS::Region"},"ami"]}}`)
	jsonEq(t, get(t, tmpl, "Rules", "CheckBootstrapVersion", "Assertions", "0", "AssertDescription"), `"CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' with a recent version of the CDK CLI."`)
}

func TestAssemblyFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	app := cdk.NewApp(cdk.AppProps{Outdir: dir})
	s := cdk.NewStack(app, "Stack", cdk.StackProps{Env: cdk.Environment{Account: "123456789012", Region: "us-east-1"}, TerminationProtection: true})
	cdk.NewCfnResource(s, "R", cdk.CfnResourceProps{Type: "AWS::SNS::Topic"})
	loc := s.AddFileAsset(cdk.FileAssetSource{Data: []byte("hello"), FileName: "x.txt"})
	cdk.NewCfnOutput(s, "Key", cdk.CfnOutputProps{Value: loc.ObjectKey})
	if _, err := app.Synth(); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"manifest.json", "tree.json", "cdk.out", "Stack.template.json", "Stack.assets.json",
		"asset.2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824.txt"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}
	var manifest map[string]any
	b, _ := os.ReadFile(filepath.Join(dir, "manifest.json"))
	_ = json.Unmarshal(b, &manifest)
	jsonEq(t, get(t, manifest, "artifacts", "Stack", "environment"), `"aws://123456789012/us-east-1"`)
	jsonEq(t, get(t, manifest, "artifacts", "Stack", "properties", "terminationProtection"), `true`)
	jsonEq(t, get(t, manifest, "artifacts", "Stack", "properties", "assumeRoleArn"), `"arn:${AWS::Partition}:iam::123456789012:role/cdk-hnb659fds-deploy-role-123456789012-us-east-1"`)
	var assets map[string]any
	b, _ = os.ReadFile(filepath.Join(dir, "Stack.assets.json"))
	_ = json.Unmarshal(b, &assets)
	jsonEq(t, get(t, assets, "files", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", "destinations"),
		`{"123456789012-us-east-1-fee42508":{"bucketName":"cdk-hnb659fds-assets-123456789012-us-east-1","objectKey":"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824.txt","region":"us-east-1","assumeRoleArn":"arn:${AWS::Partition}:iam::123456789012:role/cdk-hnb659fds-file-publishing-role-123456789012-us-east-1"}}`)
}

func TestSynthIsDeterministic(t *testing.T) {
	t.Parallel()
	build := func(dir string) {
		app := cdk.NewApp(cdk.AppProps{Outdir: dir})
		p := cdk.NewStack(app, "P", cdk.StackProps{Tags: map[string]string{"b": "2", "a": "1"}})
		var last *cdk.CfnResource
		for i := 0; i < 50; i++ {
			props := map[string]any{"I": i, "M": map[string]any{"z": 1, "a": 2}}
			if last != nil {
				props["Prev"] = last.Ref()
			}
			last = cdk.NewCfnResource(p, fmt.Sprintf("R%d", i), cdk.CfnResourceProps{Type: "AWS::EC2::VPC", Tagging: cdk.TagFormatStandard, Properties: props})
		}
		c := cdk.NewStack(app, "C", cdk.StackProps{})
		cdk.NewNestedStack(c, "N", cdk.NestedStackProps{})
		cdk.NewCfnOutput(c, "O", cdk.CfnOutputProps{Value: last.GetAttString("Arn")})
		if _, err := app.Synth(); err != nil {
			t.Fatal(err)
		}
	}
	d1, d2 := t.TempDir(), t.TempDir()
	build(d1)
	build(d2)
	entries, _ := os.ReadDir(d1)
	if len(entries) < 6 {
		t.Fatalf("only %d files written", len(entries))
	}
	for _, e := range entries {
		a, _ := os.ReadFile(filepath.Join(d1, e.Name()))
		b, err := os.ReadFile(filepath.Join(d2, e.Name()))
		if err != nil || string(a) != string(b) {
			t.Errorf("%s differs between two synths", e.Name())
		}
	}
}
