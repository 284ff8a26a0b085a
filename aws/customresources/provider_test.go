package customresources_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/aws/customresources"
	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/aws/lambda"
	"github.com/eksforge/eksforge/aws/logs"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/handlers/provider/spec"
	"github.com/eksforge/eksforge/internal/testenv/cfnlint"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

var match = assertions.Match

func getAtt(id string) map[string]any {
	return map[string]any{"Fn::GetAtt": []any{id, "Arn"}}
}

func TestProviderWithoutIsComplete(t *testing.T) {
	t.Parallel()
	_, s := synthtest.NewStack()
	onEvent := userFunction(s, "OnEvent")
	p := customresources.NewProvider(s, "Provider", customresources.ProviderProps{OnEventHandler: onEvent})
	if p.FrameworkIsComplete() != nil || p.FrameworkOnTimeout() != nil || p.Waiter() != nil || p.IsCompleteHandler() != nil {
		t.Error("a provider without isComplete made waiter parts")
	}
	if p.OnEventHandler() != onEvent {
		t.Error("OnEventHandler() is not the given function")
	}
	cdk.NewCfnOutput(s, "Token", cdk.CfnOutputProps{Value: p.ServiceToken()})
	tmpl := assertions.FromStack(t, s)
	tmpl.ResourceCountIs("AWS::Lambda::Function", 2)
	tmpl.ResourceCountIs("AWS::StepFunctions::StateMachine", 0)
	// The AWS CDK's logical IDs (aws-cdk-lib 2.276), our Go runtime.
	tmpl.HasOutput("Token", map[string]any{"Value": getAtt("ProviderframeworkonEvent83C1D0A7")})
	tmpl.HasResource("AWS::Lambda::Function", map[string]any{
		"Properties": match.ObjectEquals(map[string]any{
			"Architectures": []any{"arm64"},
			"Code": map[string]any{
				"S3Bucket": map[string]any{"Fn::Sub": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"},
				"S3Key":    match.StringLikeRegexp(`^[0-9a-f]{64}\.zip$`),
			},
			"Description": "eksforge resource provider framework - onEvent (Stack/Provider)",
			"Environment": map[string]any{"Variables": map[string]any{spec.EnvOnEventFunctionARN: getAtt("OnEvent74718524")}},
			"Handler":     "onEvent",
			"Role":        getAtt("ProviderframeworkonEventServiceRole9FF04296"),
			"Runtime":     "provided.al2023",
			"Timeout":     900,
		}),
		"DependsOn": []any{"ProviderframeworkonEventServiceRoleDefaultPolicy48CD2133", "ProviderframeworkonEventServiceRole9FF04296"},
		"Metadata":  map[string]any{"aws:asset:is-bundled": true},
	})
	tmpl.HasResourceProperties("AWS::IAM::Policy", map[string]any{
		"PolicyName": "ProviderframeworkonEventServiceRoleDefaultPolicy48CD2133",
		"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action": "lambda:InvokeFunction", "Effect": "Allow",
			"Resource": []any{getAtt("OnEvent74718524"), map[string]any{"Fn::Join": []any{"", []any{getAtt("OnEvent74718524"), ":*"}}}},
		}}},
	})
}

// The golden provider with isComplete: framework functions, waiter state
// machine and custom resources, linted by cfn-lint; the state machine's
// definition parsed and checked against the States Language.
func TestProviderWithIsCompleteGolden(t *testing.T) {
	t.Parallel()
	_, s := synthtest.NewStack()
	onEvent := userFunction(s, "OnEvent")
	isComplete := userFunction(s, "IsComplete")
	p := customresources.NewProvider(s, "Provider", customresources.ProviderProps{
		OnEventHandler:    onEvent,
		IsCompleteHandler: isComplete,
		QueryInterval:     cdk.Seconds(10),
		TotalTimeout:      cdk.Hours(1),
		LogRetention:      logs.RetentionOneMonth,
	})
	res := customresources.NewCustomResource(s, "Thing", customresources.CustomResourceProps{
		ServiceToken: p.ServiceToken(),
		ResourceType: "Custom::Thing",
		Properties:   map[string]any{"Name": "thing", "Size": 3, "Tags": []string{"a", "b"}},
	})
	cdk.NewCfnOutput(s, "Endpoint", cdk.CfnOutputProps{Value: res.GetAttString("Endpoint")})
	dir := t.TempDir()
	path, tmpl := checkGolden(t, "provider-is-complete.template.json", s, dir)
	cfnlint.LintFiles(t, path)

	resources := tmpl["Resources"].(map[string]any)
	sm := resources["Providerwaiterstatemachine5D4A9DF0"].(map[string]any)
	def := definitionOf(t, sm["Properties"].(map[string]any)["DefinitionString"])
	if err := spec.ValidateDefinition(def); err != nil {
		t.Fatalf("waiter definition: %v\n%s", err, def)
	}
	var d struct {
		StartAt string
		States  map[string]struct {
			Resource string
			Retry    []struct {
				ErrorEquals     []string
				IntervalSeconds int
				MaxAttempts     int
				BackoffRate     float64
			}
			Catch []struct{ Next, ResultPath string }
		}
	}
	if err := json.Unmarshal([]byte(def), &d); err != nil {
		t.Fatal(err)
	}
	task := d.States[spec.IsCompleteState]
	if d.StartAt != spec.IsCompleteState || !strings.HasSuffix(task.Resource, ":ProviderframeworkisComplete26D7B0CB") ||
		!strings.HasSuffix(d.States[spec.OnTimeoutState].Resource, ":ProviderframeworkonTimeout0B47CA38") {
		t.Errorf("waiter tasks: start %s, isComplete %s, onTimeout %s", d.StartAt, task.Resource, d.States[spec.OnTimeoutState].Resource)
	}
	poll := task.Retry[1]
	if poll.ErrorEquals[0] != spec.NotCompleteError || poll.IntervalSeconds != 10 || poll.MaxAttempts != 360 || poll.BackoffRate != 1 {
		t.Errorf("poll retrier = %+v, want every 10 s, 360 times", poll)
	}
	if c := task.Catch; len(c) != 1 || c[0].Next != spec.OnTimeoutState || c[0].ResultPath != "$."+spec.ErrorInfoField {
		t.Errorf("catcher = %+v", c)
	}

	// Environment and permissions the runtime needs (handlers/provider doc).
	at := assertions.FromJSON(t, tmpl)
	waiterArn := map[string]any{"Ref": "Providerwaiterstatemachine5D4A9DF0"}
	at.HasResourceProperties("AWS::Lambda::Function", map[string]any{
		"Handler": "onEvent",
		"Environment": map[string]any{"Variables": match.ObjectEquals(map[string]any{
			spec.EnvOnEventFunctionARN:    getAtt("OnEvent74718524"),
			spec.EnvIsCompleteFunctionARN: getAtt("IsComplete544AE5AD"),
			spec.EnvWaiterStateMachineARN: waiterArn,
		})},
		"LoggingConfig": map[string]any{"LogGroup": map[string]any{"Ref": "ProviderframeworkonEventLogGroup683073A3"}},
	})
	for _, entry := range []string{"isComplete", "onTimeout"} {
		at.HasResourceProperties("AWS::Lambda::Function", map[string]any{
			"Handler": entry,
			"Environment": map[string]any{"Variables": match.ObjectEquals(map[string]any{
				spec.EnvOnEventFunctionARN:    getAtt("OnEvent74718524"),
				spec.EnvIsCompleteFunctionARN: getAtt("IsComplete544AE5AD"),
			})},
		})
	}
	at.ResourcePropertiesCountIs("AWS::Logs::LogGroup", map[string]any{"RetentionInDays": 30}, 3)
	at.HasResourceProperties("AWS::IAM::Policy", map[string]any{
		"PolicyName": "ProviderframeworkonEventServiceRoleDefaultPolicy48CD2133",
		"PolicyDocument": map[string]any{"Statement": match.ArrayWith([]any{map[string]any{
			"Action": "states:StartExecution", "Effect": "Allow", "Resource": waiterArn,
		}})},
	})
	at.HasResourceProperties("AWS::IAM::Role", map[string]any{"AssumeRolePolicyDocument": map[string]any{"Statement": []any{
		map[string]any{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": map[string]any{"Service": "states.amazonaws.com"}},
	}}})
	at.HasResourceProperties("AWS::IAM::Policy", map[string]any{
		"PolicyName": "ProviderwaiterstatemachineRoleDefaultPolicyD3C3DA1A",
		"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action": "lambda:InvokeFunction", "Effect": "Allow",
			"Resource": match.ArrayWith([]any{getAtt("ProviderframeworkisComplete26D7B0CB"), getAtt("ProviderframeworkonTimeout0B47CA38")}),
		}}},
	})
}

func TestProviderOptions(t *testing.T) {
	t.Parallel()
	t.Run("VPC, role, name, architecture", func(t *testing.T) {
		t.Parallel()
		_, s := synthtest.NewStack()
		vpc := ec2.VpcFromVpcAttributes(s, "Vpc", ec2.VpcAttributes{VpcId: "vpc-1", AvailabilityZones: []string{"a", "b"}, PrivateSubnetIds: []string{"s-1", "s-2"}})
		role := iam.NewRole(s, "FrameworkRole", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("lambda.amazonaws.com")})
		customresources.NewProvider(s, "Provider", customresources.ProviderProps{
			OnEventHandler:       userFunction(s, "OnEvent"),
			Vpc:                  vpc,
			Role:                 role,
			ProviderFunctionName: "my-provider",
			Architecture:         lambda.ArchitectureX8664,
		})
		tmpl := assertions.FromStack(t, s)
		tmpl.ResourceCountIs("AWS::IAM::Role", 2) // the user function's and the given one
		tmpl.HasResourceProperties("AWS::Lambda::Function", map[string]any{
			"FunctionName":  "my-provider",
			"Architectures": []any{"x86_64"},
			"Role":          getAtt("FrameworkRole5CAEFAAA"),
			"VpcConfig": map[string]any{
				"SecurityGroupIds": []any{map[string]any{"Fn::GetAtt": []any{"ProviderframeworkonEventSecurityGroup94DF26FE", "GroupId"}}},
				"SubnetIds":        []any{"s-1", "s-2"},
			},
		})
	})
	t.Run("response URL in Parameter Store", func(t *testing.T) {
		t.Parallel()
		_, s := synthtest.NewStack()
		customresources.NewProvider(s, "Provider", customresources.ProviderProps{
			OnEventHandler:             userFunction(s, "OnEvent"),
			IsCompleteHandler:          userFunction(s, "IsComplete"),
			ResponseURLParameterPrefix: "/app/responses",
		})
		tmpl := assertions.FromStack(t, s)
		tmpl.ResourcePropertiesCountIs("AWS::Lambda::Function", map[string]any{
			"Environment": map[string]any{"Variables": map[string]any{spec.EnvResponseURLParameterPrefix: "/app/responses"}},
		}, 3)
		tmpl.ResourcePropertiesCountIs("AWS::IAM::Policy", map[string]any{"PolicyDocument": map[string]any{"Statement": match.ArrayWith([]any{map[string]any{
			"Action": []any{"ssm:DeleteParameter", "ssm:GetParameter", "ssm:PutParameter"}, "Effect": "Allow",
			"Resource": map[string]any{"Fn::Join": []any{"", []any{
				"arn:", map[string]any{"Ref": "AWS::Partition"}, ":ssm:", map[string]any{"Ref": "AWS::Region"}, ":",
				map[string]any{"Ref": "AWS::AccountId"}, ":parameter/app/responses/*",
			}}},
		}})}}, 3)
	})
	t.Run("default timing", func(t *testing.T) {
		t.Parallel()
		_, s := synthtest.NewStack()
		p := customresources.NewProvider(s, "Provider", customresources.ProviderProps{
			OnEventHandler: userFunction(s, "OnEvent"), IsCompleteHandler: userFunction(s, "IsComplete"),
		})
		tmpl := assertions.FromStack(t, s).ToJSON()
		def := definitionOf(t, tmpl["Resources"].(map[string]any)["Providerwaiterstatemachine5D4A9DF0"].(map[string]any)["Properties"].(map[string]any)["DefinitionString"])
		if !strings.Contains(def, `{"ErrorEquals":["eksforge.NotComplete"],"IntervalSeconds":5,"MaxAttempts":360,"BackoffRate":1}`) {
			t.Errorf("default waiter is not every 5 s for 30 minutes:\n%s", def)
		}
		if p.Waiter().Role() == nil || p.Waiter().Resource() == nil {
			t.Error("waiter parts missing")
		}
	})
}

func TestProviderErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		props func(s *cdk.Stack) customresources.ProviderProps
		want  []string
	}{
		{"fails on a total timeout over 2 hours", func(s *cdk.Stack) customresources.ProviderProps {
			return customresources.ProviderProps{OnEventHandler: userFunction(s, "A"), IsCompleteHandler: userFunction(s, "B"), TotalTimeout: cdk.Hours(3)}
		}, []string{"[Stack/Provider]", "TotalTimeout is 3 hours", "at most 2 hours"}},
		{"fails on an interval that does not divide the timeout", func(s *cdk.Stack) customresources.ProviderProps {
			return customresources.ProviderProps{OnEventHandler: userFunction(s, "A"), IsCompleteHandler: userFunction(s, "B"), TotalTimeout: cdk.Minutes(10), QueryInterval: cdk.Seconds(7)}
		}, []string{"[Stack/Provider]", "not a whole multiple of the query interval 7s"}},
		{"fails on a fractional interval", func(s *cdk.Stack) customresources.ProviderProps {
			return customresources.ProviderProps{OnEventHandler: userFunction(s, "A"), IsCompleteHandler: userFunction(s, "B"), QueryInterval: cdk.Millis(500)}
		}, []string{"[Stack/Provider]", "QueryInterval 500 millis is not a whole number of seconds"}},
		{"fails on a relative parameter prefix", func(s *cdk.Stack) customresources.ProviderProps {
			return customresources.ProviderProps{OnEventHandler: userFunction(s, "A"), IsCompleteHandler: userFunction(s, "B"), ResponseURLParameterPrefix: "app"}
		}, []string{"[Stack/Provider]", `ResponseURLParameterPrefix "app" must start with "/"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			app, s := synthtest.NewStack()
			customresources.NewProvider(s, "Provider", tt.props(s))
			synthtest.WantErrors(t, synthtest.SynthError(t, app), tt.want...)
		})
	}
	_, s := synthtest.NewStack()
	for want, props := range map[string]customresources.ProviderProps{
		"needs ProviderProps.OnEventHandler":                               {},
		"QueryInterval and TotalTimeout only apply with IsCompleteHandler": {OnEventHandler: userFunction(s, "A"), QueryInterval: cdk.Seconds(1), TotalTimeout: cdk.Minutes(1)},
	} {
		msg := synthtest.MustPanic(t, func() { customresources.NewProvider(s, "P"+want[:4], props) })
		if !strings.Contains(msg, want) || !strings.Contains(msg, "Stack/P") {
			t.Errorf("panic %q, want the path and %q", msg, want)
		}
	}
}

func TestProviderWarnsOnLongHandlerTimeout(t *testing.T) {
	t.Parallel()
	_, s := synthtest.NewStack()
	long := lambda.NewFunction(s, "Long", lambda.FunctionProps{
		Runtime: lambda.RuntimeNodejs22X, Handler: "index.handler", Code: lambda.CodeFromInline("x"), Timeout: cdk.Minutes(15),
	})
	p := customresources.NewProvider(s, "Provider", customresources.ProviderProps{OnEventHandler: long})
	var warnings []string
	for _, m := range p.Node().Metadata() {
		if m.Type == cdk.MetadataWarning {
			warnings = append(warnings, m.Data.(string))
		}
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "OnEventHandler Stack/Long has a timeout of 15 minutes") || !strings.Contains(warnings[0], "13m30s") {
		t.Errorf("warnings = %q", warnings)
	}
	short := customresources.NewProvider(s, "Short", customresources.ProviderProps{OnEventHandler: userFunction(s, "Quick")})
	for _, m := range short.Node().Metadata() {
		if m.Type == cdk.MetadataWarning {
			t.Errorf("unexpected warning %v", m.Data)
		}
	}
}
