package lambda_test

import (
	"strings"
	"testing"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/aws/lambda"
	"github.com/eksforge/eksforge/aws/logs"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

var match = assertions.Match

func inline() lambda.FunctionProps {
	return lambda.FunctionProps{Runtime: lambda.RuntimeNodejs22X, Handler: "index.handler", Code: lambda.CodeFromInline("exports.handler = async () => {}")}
}

func basicPolicy() any {
	return map[string]any{"Fn::Join": []any{"", []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, ":iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}}}
}

func vpcPolicy() any {
	return map[string]any{"Fn::Join": []any{"", []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, ":iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"}}}
}

func TestFunctionDefaults(t *testing.T) {
	t.Parallel()
	_, s := synthtest.NewStack()
	lambda.NewFunction(s, "Fn", inline())
	tmpl := assertions.FromStack(t, s)
	tmpl.ResourceCountIs("AWS::Lambda::Function", 1)
	tmpl.ResourceCountIs("AWS::IAM::Role", 1)
	tmpl.ResourceCountIs("AWS::Logs::LogGroup", 0)
	// As aws-cdk-lib 2.276 synthesizes it: logical IDs, role, DependsOn,
	// and nothing rendered that has a Lambda default.
	tmpl.HasResource("AWS::Lambda::Function", map[string]any{
		"Properties": match.ObjectEquals(map[string]any{
			"Code":    map[string]any{"ZipFile": "exports.handler = async () => {}"},
			"Handler": "index.handler",
			"Role":    map[string]any{"Fn::GetAtt": []any{"FnServiceRoleB9001A96", "Arn"}},
			"Runtime": "nodejs22.x",
		}),
		"DependsOn": []any{"FnServiceRoleB9001A96"},
	})
	if id := tmpl.ResourceID("AWS::Lambda::Function", nil); id != "Fn9270CBC0" {
		t.Errorf("logical ID = %s, want Fn9270CBC0", id)
	}
	tmpl.HasResourceProperties("AWS::IAM::Role", map[string]any{
		"AssumeRolePolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": map[string]any{"Service": "lambda.amazonaws.com"},
		}}},
		"ManagedPolicyArns": []any{basicPolicy()},
	})
}

func TestFunctionProps(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		props func(p *lambda.FunctionProps)
		want  map[string]any
	}{
		{"environment", func(p *lambda.FunctionProps) { p.Environment = map[string]string{"B": "2", "A": "1"} },
			map[string]any{"Environment": map[string]any{"Variables": map[string]any{"A": "1", "B": "2"}}}},
		{"memory", func(p *lambda.FunctionProps) { p.MemorySize = cdk.Mebibytes(1024) }, map[string]any{"MemorySize": 1024}},
		{"memory bounds", func(p *lambda.FunctionProps) { p.MemorySize = cdk.Mebibytes(10240) }, map[string]any{"MemorySize": 10240}},
		{"timeout in seconds", func(p *lambda.FunctionProps) { p.Timeout = cdk.Minutes(15) }, map[string]any{"Timeout": 900}},
		{"architecture x86_64 given", func(p *lambda.FunctionProps) { p.Architecture = lambda.ArchitectureX8664 },
			map[string]any{"Architectures": []any{"x86_64"}}},
		{"architecture arm64", func(p *lambda.FunctionProps) { p.Architecture = lambda.ArchitectureArm64 },
			map[string]any{"Architectures": []any{"arm64"}}},
		{"reserved concurrency zero", func(p *lambda.FunctionProps) { p.ReservedConcurrentExecutions = cdk.Ptr(0) },
			map[string]any{"ReservedConcurrentExecutions": 0}},
		{"reserved concurrency", func(p *lambda.FunctionProps) { p.ReservedConcurrentExecutions = cdk.Ptr(5) },
			map[string]any{"ReservedConcurrentExecutions": 5}},
		{"description and name", func(p *lambda.FunctionProps) { p.Description = "does things"; p.FunctionName = "my-fn_1" },
			map[string]any{"Description": "does things", "FunctionName": "my-fn_1"}},
		{"provided runtime defaults the handler", func(p *lambda.FunctionProps) {
			p.Runtime, p.Handler = lambda.RuntimeProvidedAl2023, ""
			p.Code = lambda.CodeFromAsset("testdata/code")
		}, map[string]any{"Handler": "bootstrap", "Runtime": "provided.al2023"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, s := synthtest.NewStack()
			p := inline()
			tt.props(&p)
			lambda.NewFunction(s, "Fn", p)
			assertions.FromStack(t, s).HasResourceProperties("AWS::Lambda::Function", tt.want)
		})
	}
}

func TestAddEnvironmentAndRolePolicy(t *testing.T) {
	t.Parallel()
	_, s := synthtest.NewStack()
	fn := lambda.NewFunction(s, "Fn", inline())
	other := lambda.NewFunction(s, "Other", inline())
	fn.AddEnvironment("TARGET", other.FunctionArn()).AddEnvironment("MODE", "fast")
	fn.AddToRolePolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{Actions: []string{"s3:GetObject"}, Resources: []string{"arn:aws:s3:::b/*"}}))
	if got := fn.Environment()["MODE"]; got != "fast" {
		t.Errorf("Environment()[MODE] = %q", got)
	}
	tmpl := assertions.FromStack(t, s)
	tmpl.HasResourceProperties("AWS::Lambda::Function", map[string]any{
		"Environment": map[string]any{"Variables": map[string]any{
			"MODE": "fast", "TARGET": map[string]any{"Fn::GetAtt": []any{"Other34654A52", "Arn"}},
		}},
	})
	tmpl.HasResourceProperties("AWS::IAM::Policy", map[string]any{
		"PolicyName": "FnServiceRoleDefaultPolicyC6A839BF",
		"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action": "s3:GetObject", "Effect": "Allow", "Resource": "arn:aws:s3:::b/*",
		}}},
	})
	// The function waits for its role's policy, as in the AWS CDK.
	tmpl.HasResource("AWS::Lambda::Function", map[string]any{
		"Properties": map[string]any{"Environment": match.AnyValue()},
		"DependsOn":  []any{"FnServiceRoleDefaultPolicyC6A839BF", "FnServiceRoleB9001A96"},
	})
}

func TestFunctionWithGivenRole(t *testing.T) {
	t.Parallel()
	_, s := synthtest.NewStack()
	role := iam.RoleFromRoleArn(s, "Role", "arn:aws:iam::123456789012:role/exec")
	p := inline()
	p.Role = role
	fn := lambda.NewFunction(s, "Fn", p)
	if fn.Role() != role {
		t.Error("Role() is not the given role")
	}
	tmpl := assertions.FromStack(t, s)
	tmpl.ResourceCountIs("AWS::IAM::Role", 0)
	tmpl.HasResourceProperties("AWS::Lambda::Function", map[string]any{"Role": "arn:aws:iam::123456789012:role/exec"})
}

func importedVpc(s *cdk.Stack) ec2.IVpc {
	return ec2.VpcFromVpcAttributes(s, "Vpc", ec2.VpcAttributes{
		VpcId: "vpc-1", AvailabilityZones: []string{"us-east-1a", "us-east-1b"},
		PrivateSubnetIds: []string{"subnet-p1", "subnet-p2"}, PublicSubnetIds: []string{"subnet-u1", "subnet-u2"},
	})
}

func TestFunctionInVpc(t *testing.T) {
	t.Parallel()
	_, s := synthtest.NewStack()
	p := inline()
	p.Vpc = importedVpc(s)
	fn := lambda.NewFunction(s, "Fn", p)
	peer := ec2.NewSecurityGroup(s, "Db", ec2.SecurityGroupProps{Vpc: p.Vpc})
	fn.Connections().AllowTo(peer, ec2.PortTcp(5432), "to the database")
	if !fn.IsBoundToVpc() {
		t.Error("IsBoundToVpc = false")
	}
	tmpl := assertions.FromStack(t, s)
	tmpl.HasResourceProperties("AWS::IAM::Role", map[string]any{"ManagedPolicyArns": []any{basicPolicy(), vpcPolicy()}})
	tmpl.HasResourceProperties("AWS::EC2::SecurityGroup", map[string]any{
		"GroupDescription": "Automatic security group for Lambda Function StackFnC636521A",
		"VpcId":            "vpc-1",
	})
	tmpl.HasResourceProperties("AWS::Lambda::Function", map[string]any{"VpcConfig": map[string]any{
		"SecurityGroupIds": []any{map[string]any{"Fn::GetAtt": []any{"FnSecurityGroupB675AC26", "GroupId"}}},
		"SubnetIds":        []any{"subnet-p1", "subnet-p2"},
	}})
	tmpl.HasResourceProperties("AWS::EC2::SecurityGroupIngress", map[string]any{
		"FromPort": 5432, "SourceSecurityGroupId": map[string]any{"Fn::GetAtt": []any{"FnSecurityGroupB675AC26", "GroupId"}},
	})
}

func TestFunctionInVpcWithGivenGroupsAndSubnets(t *testing.T) {
	t.Parallel()
	_, s := synthtest.NewStack()
	p := inline()
	p.Vpc = importedVpc(s)
	p.SecurityGroups = []ec2.ISecurityGroup{ec2.SecurityGroupFromSecurityGroupId(s, "Sg", "sg-123")}
	p.VpcSubnets = ec2.SubnetSelection{SubnetType: ec2.SubnetTypePublic}
	p.AllowPublicSubnet = true
	lambda.NewFunction(s, "Fn", p)
	tmpl := assertions.FromStack(t, s)
	tmpl.ResourceCountIs("AWS::EC2::SecurityGroup", 0)
	tmpl.HasResourceProperties("AWS::Lambda::Function", map[string]any{"VpcConfig": map[string]any{
		"SecurityGroupIds": []any{"sg-123"}, "SubnetIds": []any{"subnet-u1", "subnet-u2"},
	}})
}

func TestFunctionLogRetention(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		retention logs.RetentionDays
		policy    cdk.RemovalPolicy
		want      map[string]any
	}{
		{"one week, retained", logs.RetentionOneWeek, "", map[string]any{
			"Properties": match.ObjectEquals(map[string]any{"RetentionInDays": 7}), "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}},
		{"infinite, destroyed", logs.RetentionInfinite, cdk.RemovalPolicyDestroy, map[string]any{
			"Properties": match.Absent(), "DeletionPolicy": "Delete"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, s := synthtest.NewStack()
			p := inline()
			p.LogRetention, p.LogRemovalPolicy = tt.retention, tt.policy
			fn := lambda.NewFunction(s, "Fn", p)
			if fn.LogGroup() == nil {
				t.Fatal("LogGroup() = nil")
			}
			tmpl := assertions.FromStack(t, s)
			tmpl.HasResource("AWS::Logs::LogGroup", tt.want)
			if id := tmpl.ResourceID("AWS::Logs::LogGroup", nil); id != "FnLogGroup27CC2AC8" {
				t.Errorf("log group logical ID = %s", id)
			}
			// The function logs to the group, so the group exists first.
			tmpl.HasResourceProperties("AWS::Lambda::Function", map[string]any{
				"LoggingConfig": map[string]any{"LogGroup": map[string]any{"Ref": "FnLogGroup27CC2AC8"}},
			})
		})
	}
}

func TestLayers(t *testing.T) {
	t.Parallel()
	_, s := synthtest.NewStack()
	layer := lambda.NewLayerVersion(s, "L", lambda.LayerVersionProps{
		Code:                    lambda.CodeFromAsset("testdata/code"),
		CompatibleRuntimes:      []lambda.Runtime{lambda.RuntimeProvidedAl2023},
		CompatibleArchitectures: []lambda.Architecture{lambda.ArchitectureArm64},
		Description:             "d",
		License:                 "MIT",
	})
	fn := lambda.NewFunction(s, "Fn", lambda.FunctionProps{
		Runtime: lambda.RuntimeProvidedAl2023, Architecture: lambda.ArchitectureArm64,
		Code:   lambda.CodeFromAsset("testdata/code"),
		Layers: []lambda.ILayerVersion{layer},
	})
	fn.AddLayers(lambda.LayerVersionFromLayerVersionArn(s, "Ext", "arn:aws:lambda:us-east-1:123456789012:layer:ext:3"))
	tmpl := assertions.FromStack(t, s)
	// As aws-cdk-lib 2.276 synthesizes the same layer.
	tmpl.HasResource("AWS::Lambda::LayerVersion", map[string]any{
		"Properties": match.ObjectEquals(map[string]any{
			"CompatibleArchitectures": []any{"arm64"},
			"CompatibleRuntimes":      []any{"provided.al2023"},
			"Content": map[string]any{
				"S3Bucket": map[string]any{"Fn::Sub": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"},
				"S3Key":    "4737094811dca7f4b990cea8dd39ed109ee71627a8651c2a0da7329fe75e08e0.zip",
			},
			"Description": "d",
			"LicenseInfo": "MIT",
		}),
		"Metadata": map[string]any{"aws:asset:property": "Content"},
	})
	if id := tmpl.ResourceID("AWS::Lambda::LayerVersion", nil); id != "L2EA2915D" {
		t.Errorf("layer logical ID = %s", id)
	}
	tmpl.HasResourceProperties("AWS::Lambda::Function", map[string]any{
		"Layers": []any{map[string]any{"Ref": "L2EA2915D"}, "arn:aws:lambda:us-east-1:123456789012:layer:ext:3"},
	})
}

func TestGrantInvoke(t *testing.T) {
	t.Parallel()
	_, s := synthtest.NewStack()
	fn := lambda.NewFunction(s, "Fn", inline())
	role := iam.NewRole(s, "R", iam.RoleProps{AssumedBy: iam.NewAccountRootPrincipal()})
	g1 := fn.GrantInvoke(role)
	if g2 := fn.GrantInvoke(role); g1 != g2 {
		t.Error("granting the same principal twice made two grants")
	}
	events := fn.GrantInvoke(iam.NewServicePrincipal("events.amazonaws.com"))
	if !events.Success() || len(events.ResourceStatements()) != 1 {
		t.Errorf("service principal grant: success %v, %d resource statements", events.Success(), len(events.ResourceStatements()))
	}
	fn.GrantInvoke(iam.WithConditions(iam.NewServicePrincipal("s3.amazonaws.com"), iam.Conditions{
		"ArnLike":      map[string]any{"aws:SourceArn": "arn:aws:s3:::bucket"},
		"StringEquals": map[string]any{"aws:SourceAccount": "123456789012"},
	}))
	tmpl := assertions.FromStack(t, s)
	fnArn := map[string]any{"Fn::GetAtt": []any{"Fn9270CBC0", "Arn"}}
	// Same account: the role's policy (as aws-cdk-lib 2.276).
	tmpl.HasResourceProperties("AWS::IAM::Policy", map[string]any{
		"PolicyName": "RDefaultPolicy0707467B",
		"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action": "lambda:InvokeFunction", "Effect": "Allow",
			"Resource": []any{fnArn, map[string]any{"Fn::Join": []any{"", []any{fnArn, ":*"}}}},
		}}},
	})
	// A service: the function's resource policy, with the AWS CDK's
	// logical ID.
	tmpl.HasResource("AWS::Lambda::Permission", map[string]any{"Properties": match.ObjectEquals(map[string]any{
		"Action": "lambda:InvokeFunction", "FunctionName": fnArn, "Principal": "events.amazonaws.com",
	})})
	if ids := tmpl.FindResources("AWS::Lambda::Permission", map[string]any{"Properties": map[string]any{"Principal": "events.amazonaws.com"}}); ids["FnInvoke1fBIBwkGKTIwSRmFV8O1yjU9AKdA1Znl7HToNrxfAB9616757"] == nil {
		t.Errorf("permission logical IDs = %v", keys(ids))
	}
	tmpl.HasResourceProperties("AWS::Lambda::Permission", map[string]any{
		"Principal": "s3.amazonaws.com", "SourceArn": "arn:aws:s3:::bucket", "SourceAccount": "123456789012",
	})
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestAddPermission(t *testing.T) {
	t.Parallel()
	_, s := synthtest.NewStack()
	fn := lambda.NewFunction(s, "Fn", inline())
	fn.AddPermission("FromBucket", lambda.Permission{
		Principal: iam.NewServicePrincipal("s3.amazonaws.com"), SourceArn: "arn:aws:s3:::b", SourceAccount: "123456789012",
	})
	fn.AddPermission("FromAccount", lambda.Permission{Principal: iam.NewArnPrincipal("arn:aws:iam::210987654321:root"), Action: "lambda:GetFunction"})
	tmpl := assertions.FromStack(t, s)
	tmpl.HasResourceProperties("AWS::Lambda::Permission", map[string]any{
		"Action": "lambda:InvokeFunction", "Principal": "s3.amazonaws.com", "SourceArn": "arn:aws:s3:::b", "SourceAccount": "123456789012",
	})
	tmpl.HasResourceProperties("AWS::Lambda::Permission", map[string]any{
		"Action": "lambda:GetFunction", "Principal": "arn:aws:iam::210987654321:root",
	})
}

func TestFunctionFromFunctionArn(t *testing.T) {
	t.Parallel()
	_, s := synthtest.NewStack(cdk.Environment{Account: "123456789012", Region: "us-east-1"})
	same := lambda.FunctionFromFunctionArn(s, "Same", "arn:aws:lambda:us-east-1:123456789012:function:same")
	other := lambda.FunctionFromFunctionArn(s, "Other", "arn:aws:lambda:us-east-1:210987654321:function:other")
	if same.FunctionName() != "same" || same.Role() != nil || same.Architecture() != lambda.ArchitectureX8664 {
		t.Errorf("imported function: name %q, role %v, architecture %s", same.FunctionName(), same.Role(), same.Architecture())
	}
	role := iam.NewRole(s, "R", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2.amazonaws.com")})
	same.GrantInvoke(role)
	same.GrantInvoke(iam.NewServicePrincipal("events.amazonaws.com"))
	other.GrantInvoke(iam.NewServicePrincipal("events.amazonaws.com")) // another account: warning only
	same.AddToRolePolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{Actions: []string{"s3:GetObject"}, Resources: []string{"*"}}))
	tmpl := assertions.FromStack(t, s)
	tmpl.ResourcePropertiesCountIs("AWS::Lambda::Permission", map[string]any{}, 1)
	tmpl.HasResourceProperties("AWS::Lambda::Permission", map[string]any{
		"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:same", "Principal": "events.amazonaws.com",
	})
	tmpl.HasResourceProperties("AWS::IAM::Policy", map[string]any{"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
		"Action":   "lambda:InvokeFunction",
		"Resource": []any{"arn:aws:lambda:us-east-1:123456789012:function:same", "arn:aws:lambda:us-east-1:123456789012:function:same:*"},
		"Effect":   "Allow",
	}}}})

	_, s2 := synthtest.NewStack()
	tok := lambda.FunctionFromFunctionArn(s2, "Tok", cdk.Fn.ImportValue("FnArn"))
	cdk.NewCfnOutput(s2, "Name", cdk.CfnOutputProps{Value: tok.FunctionName()})
	assertions.FromStack(t, s2).HasOutput("Name", map[string]any{"Value": map[string]any{
		"Fn::Select": []any{6, map[string]any{"Fn::Split": []any{":", map[string]any{"Fn::ImportValue": "FnArn"}}}},
	}})
}

func TestFunctionSynthesisErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		props func(p *lambda.FunctionProps)
		want  []string
	}{
		{"fails on a timeout over 15 minutes", func(p *lambda.FunctionProps) { p.Timeout = cdk.Minutes(16) },
			[]string{"[Stack/Fn]", "Timeout is 16 minutes (960 seconds)", "15 minutes"}},
		{"fails on a fractional timeout", func(p *lambda.FunctionProps) { p.Timeout = cdk.Millis(1500) },
			[]string{"[Stack/Fn]", "not a whole number of seconds"}},
		{"fails on too little memory", func(p *lambda.FunctionProps) { p.MemorySize = cdk.Mebibytes(64) },
			[]string{"[Stack/Fn]", "MemorySize is 64 MiB", "between 128 and 10240"}},
		{"fails on too much memory", func(p *lambda.FunctionProps) { p.MemorySize = cdk.Mebibytes(10241) },
			[]string{"[Stack/Fn]", "MemorySize is 10241 MiB"}},
		{"fails on negative reserved concurrency", func(p *lambda.FunctionProps) { p.ReservedConcurrentExecutions = cdk.Ptr(-1) },
			[]string{"[Stack/Fn]", "ReservedConcurrentExecutions is -1"}},
		{"fails on a long function name", func(p *lambda.FunctionProps) { p.FunctionName = string(make([]byte, 65)) },
			[]string{"[Stack/Fn]", "FunctionName"}},
		{"fails on a reserved environment variable", func(p *lambda.FunctionProps) { p.Environment = map[string]string{"AWS_REGION": "x"} },
			[]string{"[Stack/Fn]", "AWS_REGION is reserved"}},
		{"fails on a bad environment variable name", func(p *lambda.FunctionProps) { p.Environment = map[string]string{"1X": "x"} },
			[]string{"[Stack/Fn]", `"1X"`}},
		{"fails on an unknown architecture", func(p *lambda.FunctionProps) { p.Architecture = "mips" },
			[]string{"[Stack/Fn]", `Architecture "mips" is not a Lambda architecture`}},
		{"fails on inline code for a provided runtime", func(p *lambda.FunctionProps) { p.Runtime = lambda.RuntimeProvidedAl2023 },
			[]string{"[Stack/Fn]", "inline code", "provided.al2023"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			app, s := synthtest.NewStack()
			p := inline()
			tt.props(&p)
			lambda.NewFunction(s, "Fn", p)
			synthtest.WantErrors(t, synthtest.SynthError(t, app), tt.want...)
		})
	}
	t.Run("fails on public subnets", func(t *testing.T) {
		t.Parallel()
		app, s := synthtest.NewStack()
		p := inline()
		p.Vpc = importedVpc(s)
		p.VpcSubnets = ec2.SubnetSelection{SubnetType: ec2.SubnetTypePublic}
		lambda.NewFunction(s, "Fn", p)
		synthtest.WantErrors(t, synthtest.SynthError(t, app), "[Stack/Fn]", "public subnets", "AllowPublicSubnet")
	})
	t.Run("fails on an incompatible layer", func(t *testing.T) {
		t.Parallel()
		app, s := synthtest.NewStack()
		p := inline()
		p.Layers = []lambda.ILayerVersion{lambda.LayerVersionFromLayerVersionArn(s, "L", "arn:aws:lambda:us-east-1:1:layer:py:1", lambda.RuntimePython313)}
		lambda.NewFunction(s, "Fn", p)
		synthtest.WantErrors(t, synthtest.SynthError(t, app), "[Stack/Fn]", "not compatible with runtime nodejs22.x")
	})
	t.Run("fails on too many layers", func(t *testing.T) {
		t.Parallel()
		app, s := synthtest.NewStack()
		fn := lambda.NewFunction(s, "Fn", inline())
		for _, id := range []string{"A", "B", "C", "D", "E", "F"} {
			fn.AddLayers(lambda.LayerVersionFromLayerVersionArn(s, id, "arn:aws:lambda:us-east-1:1:layer:"+id+":1"))
		}
		synthtest.WantErrors(t, synthtest.SynthError(t, app), "[Stack/Fn]", "6 layers", "at most 5")
	})
}

func TestFunctionConstructionPanics(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		props func(s *cdk.Stack) lambda.FunctionProps
		want  string
	}{
		{"fails without code", func(*cdk.Stack) lambda.FunctionProps { return lambda.FunctionProps{Runtime: lambda.RuntimeNodejs22X} }, "needs FunctionProps.Code"},
		{"fails without runtime for non-Go code", func(*cdk.Stack) lambda.FunctionProps {
			return lambda.FunctionProps{Code: lambda.CodeFromInline("x"), Handler: "index.handler"}
		}, "needs FunctionProps.Runtime"},
		{"fails without handler for a language runtime", func(*cdk.Stack) lambda.FunctionProps {
			return lambda.FunctionProps{Code: lambda.CodeFromInline("x"), Runtime: lambda.RuntimePython313}
		}, "needs FunctionProps.Handler"},
		{"fails on subnets without a VPC", func(*cdk.Stack) lambda.FunctionProps {
			p := inline()
			p.VpcSubnets = ec2.SubnetSelection{SubnetType: ec2.SubnetTypePrivateWithEgress}
			return p
		}, "VpcSubnets needs Vpc"},
		{"fails on AllowAllOutbound with given groups", func(s *cdk.Stack) lambda.FunctionProps {
			p := inline()
			p.Vpc = importedVpc(s)
			p.SecurityGroups = []ec2.ISecurityGroup{ec2.SecurityGroupFromSecurityGroupId(s, "Sg", "sg-1")}
			p.AllowAllOutbound = cdk.Ptr(false)
			return p
		}, "AllowAllOutbound"},
		{"fails on a missing asset", func(*cdk.Stack) lambda.FunctionProps {
			p := inline()
			p.Code = lambda.CodeFromAsset("testdata/nope")
			return p
		}, "cannot find the asset"},
		{"fails on an asset file that is not a zip", func(*cdk.Stack) lambda.FunctionProps {
			p := inline()
			p.Code = lambda.CodeFromAsset("testdata/code/index.js")
			return p
		}, "must be a directory or a .zip or .jar file"},
		{"fails on a Go architecture mismatch", func(*cdk.Stack) lambda.FunctionProps {
			return lambda.FunctionProps{Code: lambda.CodeFromGoPackage("./x", lambda.GoBuildOptions{GOARCH: "amd64"}), Architecture: lambda.ArchitectureArm64}
		}, "GOARCH amd64 but the function's architecture is arm64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, s := synthtest.NewStack()
			msg := synthtest.MustPanic(t, func() { lambda.NewFunction(s, "Fn", tt.props(s)) })
			if !contains(msg, "Stack/Fn") || !contains(msg, tt.want) {
				t.Errorf("panic %q, want the path and %q", msg, tt.want)
			}
		})
	}
	if msg := synthtest.MustPanic(t, func() { lambda.CodeFromGoPackage("./x", lambda.GoBuildOptions{GOARCH: "386"}) }); !contains(msg, `"386" is not a Lambda architecture`) {
		t.Errorf("panic %q", msg)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
