package cfn_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/eksforge/eksforge/cdk"
	cfnec2 "github.com/eksforge/eksforge/cfn/ec2"
	cfneks "github.com/eksforge/eksforge/cfn/eks"
	cfniam "github.com/eksforge/eksforge/cfn/iam"
	cfnkms "github.com/eksforge/eksforge/cfn/kms"
	cfnlambda "github.com/eksforge/eksforge/cfn/lambda"
	"github.com/eksforge/eksforge/internal/testenv/cfnlint"
)

var update = flag.Bool("update", false, "rewrite the golden templates in testdata/")

// trustPolicy lets a service assume a role.
func trustPolicy(service string) map[string]any {
	return map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Effect": "Allow", "Principal": map[string]any{"Service": service}, "Action": "sts:AssumeRole",
		}},
	}
}

func TestGoldenTemplates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		build func(s *cdk.Stack)
	}{
		{"eks-cluster", func(s *cdk.Stack) {
			role := cfniam.NewCfnRole(s, "ClusterRole", cfniam.CfnRoleProps{
				AssumeRolePolicyDocument: trustPolicy("eks.amazonaws.com"),
				ManagedPolicyArns:        []string{"arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"},
			})
			key := cfnkms.NewCfnKey(s, "SecretsKey", cfnkms.CfnKeyProps{EnableKeyRotation: cdk.Ptr(true)})
			cluster := cfneks.NewCfnCluster(s, "Cluster", cfneks.CfnClusterProps{
				Name:    "demo",
				Version: "1.33",
				RoleArn: role.AttrArn(),
				ResourcesVpcConfig: &cfneks.CfnClusterResourcesVpcConfig{
					SubnetIds:             []string{"subnet-0a1b2c3d", "subnet-4e5f6a7b"},
					EndpointPublicAccess:  cdk.Ptr(true),
					EndpointPrivateAccess: cdk.Ptr(false),
				},
				AccessConfig: &cfneks.CfnClusterAccessConfig{
					AuthenticationMode:                      "API_AND_CONFIG_MAP",
					BootstrapClusterCreatorAdminPermissions: cdk.Ptr(false),
				},
				EncryptionConfig: []cfneks.CfnClusterEncryptionConfig{{
					Provider:  &cfneks.CfnClusterProvider{KeyArn: key.AttrArn()},
					Resources: []string{"secrets"},
				}},
				Tags: []cdk.CfnTag{{Key: "team", Value: "platform"}},
			})
			// Props changed after construction are rendered.
			cluster.Props.UpgradePolicy = &cfneks.CfnClusterUpgradePolicy{SupportType: "STANDARD"}
			cdk.TagsOf(s).Add("env", "test")
			cdk.NewCfnOutput(s, "Endpoint", cdk.CfnOutputProps{Value: cluster.AttrEndpoint()})
		}},
		{"eks-nodegroup", func(s *cdk.Stack) {
			cfneks.NewCfnNodegroup(s, "Nodegroup", cfneks.CfnNodegroupProps{
				ClusterName:   "demo",
				NodeRole:      "arn:aws:iam::123456789012:role/node",
				Subnets:       []string{"subnet-0a1b2c3d"},
				InstanceTypes: []string{"m5.large"},
				AmiType:       "AL2023_x86_64_STANDARD",
				CapacityType:  "ON_DEMAND",
				ScalingConfig: &cfneks.CfnNodegroupScalingConfig{MinSize: cdk.Ptr(0), DesiredSize: cdk.Ptr(2), MaxSize: cdk.Ptr(4)},
				Labels:        map[string]string{"role": "worker"},
				Taints:        []cfneks.CfnNodegroupTaint{{Key: "dedicated", Value: "gpu", Effect: "NO_SCHEDULE"}},
				Tags:          map[string]string{"team": "platform"},
			})
			cdk.TagsOf(s).Add("env", "test")
		}},
		{"iam-role", func(s *cdk.Stack) {
			cfniam.NewCfnRole(s, "Role", cfniam.CfnRoleProps{
				AssumeRolePolicyDocument: trustPolicy("lambda.amazonaws.com"),
				Description:              "runs the handler",
				MaxSessionDuration:       cdk.Ptr(3600),
				Path:                     "/eksforge/",
				Policies: []cfniam.CfnRolePolicyProperty{{
					PolicyName: "read",
					PolicyDocument: map[string]any{
						"Version": "2012-10-17",
						"Statement": []any{map[string]any{
							"Effect": "Allow", "Action": []any{"eks:DescribeCluster"}, "Resource": "*",
						}},
					},
				}},
			})
		}},
		{"ec2-security-group", func(s *cdk.Stack) {
			sg := cfnec2.NewCfnSecurityGroup(s, "SecurityGroup", cfnec2.CfnSecurityGroupProps{
				GroupDescription: "cluster nodes",
				VpcId:            "vpc-0a1b2c3d",
				SecurityGroupIngress: []cfnec2.CfnSecurityGroupIngressProperty{
					{IpProtocol: "tcp", FromPort: cdk.Ptr(443), ToPort: cdk.Ptr(443), CidrIp: "10.0.0.0/16", Description: "HTTPS"},
					{IpProtocol: "-1", SourcePrefixListId: "pl-12345678"},
				},
			})
			// A rule referring to the group itself.
			cfnec2.NewCfnSecurityGroupIngress(s, "SelfIngress", cfnec2.CfnSecurityGroupIngressProps{
				GroupId: sg.AttrGroupId(), SourceSecurityGroupId: sg.AttrGroupId(), IpProtocol: "-1",
			})
		}},
		{"lambda-function", func(s *cdk.Stack) {
			role := cfniam.NewCfnRole(s, "Role", cfniam.CfnRoleProps{AssumeRolePolicyDocument: trustPolicy("lambda.amazonaws.com")})
			cfnlambda.NewCfnFunction(s, "Function", cfnlambda.CfnFunctionProps{
				Runtime:       "provided.al2023",
				Handler:       "bootstrap",
				Architectures: []string{"arm64"},
				Role:          role.AttrArn(),
				Code:          &cfnlambda.CfnFunctionCode{S3Bucket: "assets-bucket", S3Key: "handler.zip"},
				MemorySize:    cdk.Ptr(256),
				Timeout:       cdk.Ptr(900),
				Environment:   &cfnlambda.CfnFunctionEnvironment{Variables: map[string]string{"CLUSTER": "demo", "REGION": cdk.Aws.Region}},
			})
		}},
	}
	dir := t.TempDir()
	var linted []string
	for _, tc := range tests {
		app := cdk.NewApp(cdk.AppProps{})
		stack := cdk.NewStack(app, "Stack", cdk.StackProps{})
		tc.build(stack)
		asm, err := app.Synth(cdk.InMemory())
		if err != nil {
			t.Fatalf("%s: synth: %v", tc.name, err)
		}
		got := asm.Stack("Stack").TemplateJSON()
		p := filepath.Join(dir, tc.name+".template.json")
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		linted = append(linted, p)
		golden := filepath.Join("testdata", tc.name+".json")
		if *update {
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%s: %v (run go test ./cfn -run TestGoldenTemplates -update)", tc.name, err)
		}
		if !jsonEqual(t, got, want) {
			t.Errorf("%s: the template differs from %s (run with -update and review the diff)\ngot:\n%s", tc.name, golden, got)
		}
	}
	cfnlint.LintFiles(t, linted...)
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatalf("bad JSON: %v", err)
	}
	if err := json.Unmarshal(bytes.TrimSpace(b), &y); err != nil {
		t.Fatalf("bad golden JSON: %v", err)
	}
	return reflect.DeepEqual(x, y)
}
