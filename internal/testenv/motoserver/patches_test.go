package motoserver_test

import (
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/eks"
	"github.com/aws/smithy-go"

	"github.com/eksforge/eksforge/internal/testenv/motoserver"
)

// The tests of this file check the gaps of moto's CloudFormation that the
// server's launcher (launcher.py) closes, through aws-sdk-go-v2: what they
// assert is what CloudFormation answers.

// changeSet deploys body as stack name through a change set of type typ
// (CREATE or UPDATE), waiting for each step as a deployer does, and returns
// the stack.
func changeSet(t *testing.T, cfn *cloudformation.Client, name string, typ cfntypes.ChangeSetType, body map[string]any) cfntypes.Stack {
	t.Helper()
	ctx := t.Context()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := cfn.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{
		StackName: aws.String(name), ChangeSetName: aws.String("cs-" + strings.ToLower(string(typ))), ChangeSetType: typ, TemplateBody: aws.String(string(b)),
	})
	if err != nil {
		t.Fatalf("CreateChangeSet %s: %v", name, err)
	}
	if err := cloudformation.NewChangeSetCreateCompleteWaiter(cfn).Wait(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: cs.Id}, time.Minute); err != nil {
		t.Fatalf("change set of %s: %v", name, err)
	}
	if _, err := cfn.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: cs.Id}); err != nil {
		t.Fatalf("ExecuteChangeSet %s: %v", name, err)
	}
	in := &cloudformation.DescribeStacksInput{StackName: cs.StackId}
	var out *cloudformation.DescribeStacksOutput
	if typ == cfntypes.ChangeSetTypeCreate {
		out, err = cloudformation.NewStackCreateCompleteWaiter(cfn).WaitForOutput(ctx, in, time.Minute)
	} else {
		out, err = cloudformation.NewStackUpdateCompleteWaiter(cfn).WaitForOutput(ctx, in, time.Minute)
	}
	if err != nil {
		t.Fatalf("stack %s: %v", name, err)
	}
	// Change sets are deleted with their stack; delete this one so the
	// next change set of the stack can have the same name.
	if _, err := cfn.DeleteChangeSet(ctx, &cloudformation.DeleteChangeSetInput{ChangeSetName: cs.Id}); err != nil {
		t.Fatal(err)
	}
	return out.Stacks[0]
}

func outputs(s cfntypes.Stack) map[string]string {
	m := map[string]string{}
	for _, o := range s.Outputs {
		m[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue) + "|" + aws.ToString(o.ExportName)
	}
	return m
}

func exports(t *testing.T, cfn *cloudformation.Client) map[string]string {
	t.Helper()
	out, err := cfn.ListExports(t.Context(), &cloudformation.ListExportsInput{})
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, e := range out.Exports {
		m[aws.ToString(e.Name)] = aws.ToString(e.Value)
	}
	return m
}

// TestChangeSetOutputsAndExports deploys a stack that exports a value and
// one that imports it, both through change sets: the outputs are those of
// the template, the export is listed and Fn::ImportValue reads it; an
// update through a change set replaces the outputs and exports; deleting
// the stacks drops the exports.
func TestChangeSetOutputsAndExports(t *testing.T) {
	t.Parallel()
	cfg := awsConfig(t)
	cfg.Region = "eu-south-1" // a region of its own: ListExports is per region
	cfn := cloudformation.NewFromConfig(cfg)
	producer := changeSet(t, cfn, "Producer", cfntypes.ChangeSetTypeCreate, map[string]any{
		"Description": "the producer",
		"Resources":   map[string]any{"Topic": map[string]any{"Type": "AWS::SNS::Topic"}},
		"Outputs": map[string]any{
			"TopicArn": map[string]any{"Value": map[string]any{"Ref": "Topic"}, "Export": map[string]any{"Name": "producer-topic"}},
			"Plain":    map[string]any{"Value": "plain"},
		},
	})
	out := outputs(producer)
	if !strings.HasPrefix(out["TopicArn"], "arn:aws:sns:eu-south-1:") || !strings.HasSuffix(out["TopicArn"], "|producer-topic") || out["Plain"] != "plain|" {
		t.Errorf("producer outputs %v: want TopicArn exported as producer-topic and Plain", out)
	}
	if aws.ToString(producer.Description) != "the producer" {
		t.Errorf("description %q", aws.ToString(producer.Description))
	}
	topic := strings.TrimSuffix(out["TopicArn"], "|producer-topic")
	if got := exports(t, cfn); got["producer-topic"] != topic {
		t.Errorf("exports %v: want producer-topic = %s", got, topic)
	}

	consumer := changeSet(t, cfn, "Consumer", cfntypes.ChangeSetTypeCreate, map[string]any{
		"Resources": map[string]any{"Queue": map[string]any{"Type": "AWS::SNS::Topic", "Properties": map[string]any{"DisplayName": "consumer"}}},
		"Outputs":   map[string]any{"Imported": map[string]any{"Value": map[string]any{"Fn::ImportValue": "producer-topic"}}},
	})
	if got := outputs(consumer)["Imported"]; got != topic+"|" {
		t.Errorf("the consumer's Fn::ImportValue output is %q, want %s", got, topic)
	}
	if _, err := cfn.DeleteStack(t.Context(), &cloudformation.DeleteStackInput{StackName: aws.String("Consumer")}); err != nil {
		t.Fatal(err)
	}

	// An update through a change set: the outputs and exports follow.
	producer = changeSet(t, cfn, "Producer", cfntypes.ChangeSetTypeUpdate, map[string]any{
		"Resources": map[string]any{"Topic": map[string]any{"Type": "AWS::SNS::Topic"}},
		"Outputs":   map[string]any{"Renamed": map[string]any{"Value": "v2", "Export": map[string]any{"Name": "producer-v2"}}},
	})
	if got := outputs(producer); len(got) != 1 || got["Renamed"] != "v2|producer-v2" {
		t.Errorf("after the update, outputs %v: want only Renamed", got)
	}
	if got := exports(t, cfn); len(got) != 1 || got["producer-v2"] != "v2" {
		t.Errorf("after the update, exports %v: want only producer-v2", got)
	}
	if _, err := cfn.DeleteStack(t.Context(), &cloudformation.DeleteStackInput{StackName: aws.String("Producer")}); err != nil {
		t.Fatal(err)
	}
	if got := exports(t, cfn); len(got) != 0 {
		t.Errorf("after deleting the stacks, exports %v: want none", got)
	}
}

// TestUpdateTerminationProtection turns a stack's termination protection on
// and off with UpdateTerminationProtection: DescribeStacks reports it, and
// DeleteStack refuses the protected stack with CloudFormation's error.
func TestUpdateTerminationProtection(t *testing.T) {
	t.Parallel()
	cfn := cloudformation.NewFromConfig(awsConfig(t))
	name := "Protected"
	created, err := cfn.CreateStack(t.Context(), &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(`{"Resources":{"Topic":{"Type":"AWS::SNS::Topic"}}}`)})
	if err != nil {
		t.Fatal(err)
	}
	protect := func(on bool) {
		t.Helper()
		out, err := cfn.UpdateTerminationProtection(t.Context(), &cloudformation.UpdateTerminationProtectionInput{StackName: aws.String(name), EnableTerminationProtection: aws.Bool(on)})
		if err != nil {
			t.Fatalf("UpdateTerminationProtection: %v", err)
		}
		if aws.ToString(out.StackId) != aws.ToString(created.StackId) {
			t.Errorf("UpdateTerminationProtection answered stack ID %q, want %q", aws.ToString(out.StackId), aws.ToString(created.StackId))
		}
		desc, err := cfn.DescribeStacks(t.Context(), &cloudformation.DescribeStacksInput{StackName: created.StackId})
		if err != nil {
			t.Fatal(err)
		}
		if got := aws.ToBool(desc.Stacks[0].EnableTerminationProtection); got != on {
			t.Errorf("DescribeStacks reports termination protection %v, want %v", got, on)
		}
	}
	protect(true)
	_, err = cfn.DeleteStack(t.Context(), &cloudformation.DeleteStackInput{StackName: aws.String(name)})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "ValidationError" || apiErr.ErrorMessage() != "Stack [Protected] cannot be deleted while TerminationProtection is enabled" {
		t.Fatalf("DeleteStack of a protected stack: %v, want CloudFormation's ValidationError", err)
	}
	protect(false)
	if _, err := cfn.DeleteStack(t.Context(), &cloudformation.DeleteStackInput{StackName: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
	_, err = cfn.UpdateTerminationProtection(t.Context(), &cloudformation.UpdateTerminationProtectionInput{StackName: aws.String("NoSuchStack"), EnableTerminationProtection: aws.Bool(true)})
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "ValidationError" || !strings.Contains(apiErr.ErrorMessage(), "NoSuchStack does not exist") {
		t.Errorf("UpdateTerminationProtection of a missing stack: %v, want ValidationError ... does not exist", err)
	}
}

// TestEKSClusterInCloudFormation deploys an AWS::EKS::Cluster in a VPC
// through a change set: the cluster is in moto's EKS with the template's
// properties, the stack's resources list it under its name, Ref and
// Fn::GetAtt give what DescribeCluster says, EKS's cluster security group
// is in the VPC; an update changes the version in place; deleting the
// stack deletes the cluster and its security group.
func TestEKSClusterInCloudFormation(t *testing.T) {
	t.Parallel()
	cfg := awsConfig(t)
	cfg.Region = "eu-west-3"
	ctx := t.Context()
	cfn, eksc := cloudformation.NewFromConfig(cfg), eks.NewFromConfig(cfg)
	cluster := map[string]any{
		"Type": "AWS::EKS::Cluster",
		"Properties": map[string]any{
			"Name": "cfn-demo", "Version": "1.31", "RoleArn": "arn:aws:iam::123456789012:role/eks",
			"ResourcesVpcConfig": map[string]any{"SubnetIds": []any{map[string]any{"Ref": "SubnetA"}, map[string]any{"Ref": "SubnetB"}}, "EndpointPublicAccess": true, "EndpointPrivateAccess": true},
			"Logging":            map[string]any{"ClusterLogging": map[string]any{"EnabledTypes": []any{map[string]any{"Type": "api"}, map[string]any{"Type": "audit"}}}},
			"Tags":               []any{map[string]any{"Key": "team", "Value": "platform"}},
		},
	}
	template := map[string]any{
		"Resources": map[string]any{
			"Vpc":     map[string]any{"Type": "AWS::EC2::VPC", "Properties": map[string]any{"CidrBlock": "10.0.0.0/16"}},
			"SubnetA": map[string]any{"Type": "AWS::EC2::Subnet", "Properties": map[string]any{"VpcId": map[string]any{"Ref": "Vpc"}, "CidrBlock": "10.0.1.0/24"}},
			"SubnetB": map[string]any{"Type": "AWS::EC2::Subnet", "Properties": map[string]any{"VpcId": map[string]any{"Ref": "Vpc"}, "CidrBlock": "10.0.2.0/24"}},
			"Cluster": cluster,
		},
		"Outputs": map[string]any{
			"Name":      map[string]any{"Value": map[string]any{"Ref": "Cluster"}},
			"Arn":       map[string]any{"Value": map[string]any{"Fn::GetAtt": []any{"Cluster", "Arn"}}},
			"Endpoint":  map[string]any{"Value": map[string]any{"Fn::GetAtt": []any{"Cluster", "Endpoint"}}},
			"CA":        map[string]any{"Value": map[string]any{"Fn::GetAtt": []any{"Cluster", "CertificateAuthorityData"}}},
			"Issuer":    map[string]any{"Value": map[string]any{"Fn::GetAtt": []any{"Cluster", "OpenIdConnectIssuerUrl"}}},
			"ClusterSG": map[string]any{"Value": map[string]any{"Fn::GetAtt": []any{"Cluster", "ClusterSecurityGroupId"}}},
		},
	}
	stack := changeSet(t, cfn, "EksStack", cfntypes.ChangeSetTypeCreate, template)
	out := map[string]string{}
	for _, o := range stack.Outputs {
		out[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
	}
	desc, err := eksc.DescribeCluster(ctx, &eks.DescribeClusterInput{Name: aws.String("cfn-demo")})
	if err != nil {
		t.Fatalf("the stack's cluster is not in EKS: %v", err)
	}
	c := desc.Cluster
	vpc := c.ResourcesVpcConfig
	if aws.ToString(c.Version) != "1.31" || aws.ToString(c.RoleArn) != "arn:aws:iam::123456789012:role/eks" || len(vpc.SubnetIds) != 2 || !vpc.EndpointPrivateAccess || !vpc.EndpointPublicAccess || c.Tags["team"] != "platform" {
		t.Errorf("DescribeCluster %+v (vpc %+v): want the template's version, role, subnets, endpoint access and tags", c, vpc)
	}
	if got := c.Logging.ClusterLogging; len(got) == 0 || !aws.ToBool(got[0].Enabled) || len(got[0].Types) != 2 {
		t.Errorf("logging %+v: want api and audit enabled", got)
	}
	for k, want := range map[string]string{
		"Name": "cfn-demo", "Arn": aws.ToString(c.Arn), "Endpoint": aws.ToString(c.Endpoint), "CA": aws.ToString(c.CertificateAuthority.Data),
		"Issuer": aws.ToString(c.Identity.Oidc.Issuer), "ClusterSG": aws.ToString(vpc.ClusterSecurityGroupId),
	} {
		if out[k] != want || want == "" {
			t.Errorf("output %s = %q, want %q (DescribeCluster)", k, out[k], want)
		}
	}
	res, err := cfn.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: aws.String("EksStack")})
	if err != nil {
		t.Fatalf("DescribeStackResources: %v", err)
	}
	var found bool
	for _, r := range res.StackResources {
		if aws.ToString(r.LogicalResourceId) == "Cluster" {
			found = aws.ToString(r.ResourceType) == "AWS::EKS::Cluster" && aws.ToString(r.PhysicalResourceId) == "cfn-demo"
		}
	}
	if !found {
		t.Errorf("DescribeStackResources %+v: want Cluster, AWS::EKS::Cluster, cfn-demo", res.StackResources)
	}
	sg := aws.ToString(vpc.ClusterSecurityGroupId)
	if body := motoserver.Query(t, cfg, "ec2", url.Values{"Action": {"DescribeSecurityGroups"}, "Version": {"2016-11-15"}, "GroupId.1": {sg}}); !strings.Contains(body, "<groupId>"+sg+"</groupId>") || !strings.Contains(body, "<vpcId>"+aws.ToString(vpc.VpcId)+"</vpcId>") || aws.ToString(vpc.VpcId) == "" {
		t.Errorf("EC2 DescribeSecurityGroups of the cluster security group %s: want it in the cluster's VPC %q; got\n%s", sg, aws.ToString(vpc.VpcId), body)
	}

	cluster["Properties"].(map[string]any)["Version"] = "1.32"
	changeSet(t, cfn, "EksStack", cfntypes.ChangeSetTypeUpdate, template)
	desc, err = eksc.DescribeCluster(ctx, &eks.DescribeClusterInput{Name: aws.String("cfn-demo")})
	if err != nil || aws.ToString(desc.Cluster.Version) != "1.32" || aws.ToString(desc.Cluster.Arn) != aws.ToString(c.Arn) {
		t.Errorf("after the update: %v, version %q: want the same cluster at 1.32", err, aws.ToString(desc.Cluster.Version))
	}

	if _, err := cfn.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("EksStack")}); err != nil {
		t.Fatal(err)
	}
	if err := cloudformation.NewStackDeleteCompleteWaiter(cfn).Wait(ctx, &cloudformation.DescribeStacksInput{StackName: stack.StackId}, time.Minute); err != nil {
		t.Fatal(err)
	}
	list, err := eksc.ListClusters(ctx, &eks.ListClustersInput{})
	if err != nil || len(list.Clusters) != 0 {
		t.Errorf("after deleting the stack, clusters %v (%v): want none", list, err)
	}
	if body := motoserver.Query(t, cfg, "ec2", url.Values{"Action": {"DescribeSecurityGroups"}, "Version": {"2016-11-15"}, "GroupId.1": {sg}}); !strings.Contains(body, "InvalidGroup.NotFound") {
		t.Errorf("the cluster security group %s is still there after the stack was deleted:\n%s", sg, body)
	}
}
