package cfndiff

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func tmpl(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("bad template: %v", err)
	}
	return m
}

func TestCompare(t *testing.T) {
	t.Parallel()
	type want struct {
		replaced  []string
		modified  []string
		warnings  int
		broadens  bool
		empty     bool
		propPaths []string
	}
	tests := []struct {
		name     string
		old, new string
		want     want
	}{
		{
			name: "identical templates have no differences",
			old:  `{"Resources":{"A":{"Type":"AWS::SNS::Topic","Properties":{"DisplayName":"x","N":1}}}}`,
			new:  `{"Resources":{"A":{"Type":"AWS::SNS::Topic","Properties":{"DisplayName":"x","N":1.0}}}}`,
			want: want{empty: true},
		},
		{
			name: "a mutable property updates in place",
			old:  `{"Resources":{"Ng":{"Type":"AWS::EKS::Nodegroup","Properties":{"NodegroupName":"a","ScalingConfig":{"MinSize":1,"MaxSize":2}}}}}`,
			new:  `{"Resources":{"Ng":{"Type":"AWS::EKS::Nodegroup","Properties":{"NodegroupName":"a","ScalingConfig":{"MinSize":1,"MaxSize":3}}}}}`,
			want: want{modified: []string{"Ng"}, propPaths: []string{"ScalingConfig.MaxSize"}},
		},
		{
			name: "a create-only property replaces a node group, with a warning",
			old:  `{"Resources":{"Ng":{"Type":"AWS::EKS::Nodegroup","Properties":{"NodegroupName":"a","Subnets":["s1"]}}}}`,
			new:  `{"Resources":{"Ng":{"Type":"AWS::EKS::Nodegroup","Properties":{"NodegroupName":"a","Subnets":["s1","s2"]}}}}`,
			want: want{modified: []string{"Ng"}, replaced: []string{"Ng"}, warnings: 1, propPaths: []string{"Subnets"}},
		},
		{
			name: "a nested create-only path replaces a cluster",
			old:  `{"Resources":{"C":{"Type":"AWS::EKS::Cluster","Properties":{"KubernetesNetworkConfig":{"IpFamily":"ipv4","ServiceIpv4Cidr":"10.100.0.0/16"}}}}}`,
			new:  `{"Resources":{"C":{"Type":"AWS::EKS::Cluster","Properties":{"KubernetesNetworkConfig":{"IpFamily":"ipv4","ServiceIpv4Cidr":"172.20.0.0/16"}}}}}`,
			want: want{modified: []string{"C"}, replaced: []string{"C"}, warnings: 1, propPaths: []string{"KubernetesNetworkConfig.ServiceIpv4Cidr"}},
		},
		{
			name: "replacing a cluster replaces the node groups that refer to it",
			old: `{"Resources":{"C":{"Type":"AWS::EKS::Cluster","Properties":{"Name":"one"}},
				"Ng":{"Type":"AWS::EKS::Nodegroup","Properties":{"ClusterName":{"Ref":"C"}}},
				"Fp":{"Type":"AWS::EKS::FargateProfile","Properties":{"ClusterName":{"Fn::Sub":"${C}"}}}}}`,
			new: `{"Resources":{"C":{"Type":"AWS::EKS::Cluster","Properties":{"Name":"two"}},
				"Ng":{"Type":"AWS::EKS::Nodegroup","Properties":{"ClusterName":{"Ref":"C"}}},
				"Fp":{"Type":"AWS::EKS::FargateProfile","Properties":{"ClusterName":{"Fn::Sub":"${C}"}}}}}`,
			want: want{modified: []string{"C", "Fp", "Ng"}, replaced: []string{"C", "Fp", "Ng"}, warnings: 3, propPaths: []string{"Name"}},
		},
		{
			name: "a type change replaces",
			old:  `{"Resources":{"A":{"Type":"AWS::SNS::Topic"}}}`,
			new:  `{"Resources":{"A":{"Type":"AWS::SQS::Queue"}}}`,
			want: want{modified: []string{"A"}, replaced: []string{"A"}},
		},
		{
			name: "an allow statement added broadens",
			old:  `{"Resources":{"R":{"Type":"AWS::IAM::Role","Properties":{"AssumeRolePolicyDocument":{"Statement":[]}}}}}`,
			new:  `{"Resources":{"R":{"Type":"AWS::IAM::Role","Properties":{"AssumeRolePolicyDocument":{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"ec2.amazonaws.com"}}]}}}}}`,
			want: want{modified: []string{"R"}, broadens: true, propPaths: []string{"AssumeRolePolicyDocument.Statement"}},
		},
		{
			name: "an ingress rule removed does not broaden",
			old:  `{"Resources":{"Sg":{"Type":"AWS::EC2::SecurityGroup","Properties":{"GroupDescription":"d","SecurityGroupIngress":[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"CidrIp":"0.0.0.0/0"}]}}}}`,
			new:  `{"Resources":{"Sg":{"Type":"AWS::EC2::SecurityGroup","Properties":{"GroupDescription":"d","SecurityGroupIngress":[]}}}}`,
			want: want{modified: []string{"Sg"}, propPaths: []string{"SecurityGroupIngress"}},
		},
		{
			name: "a stack not deployed adds everything",
			old:  `null`,
			new:  `{"Resources":{"A":{"Type":"AWS::SNS::Topic"}}}`,
			want: want{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var old map[string]any
			if tc.old != "null" {
				old = tmpl(t, tc.old)
			}
			d := Compare(old, tmpl(t, tc.new))
			got := want{empty: d.IsEmpty(), warnings: len(d.Warnings()), broadens: d.Broadening()}
			for _, r := range d.Resources {
				if r.Kind == Modified {
					got.modified = append(got.modified, r.LogicalID)
				}
				if r.Replace {
					got.replaced = append(got.replaced, r.LogicalID)
				}
				if r.Kind == Modified && len(got.modified) == 1 {
					// the first modified resource's property changes
					for _, p := range r.Properties {
						got.propPaths = append(got.propPaths, p.Path)
					}
				}
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("Compare() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWriteMarksReplacingProperties(t *testing.T) {
	t.Parallel()
	old := tmpl(t, `{"Resources":{"Ng":{"Type":"AWS::EKS::Nodegroup","Properties":{"NodegroupName":"a","Labels":{"x":"1"}},"Metadata":{"aws:cdk:path":"S/Ng"}}}}`)
	new := tmpl(t, `{"Resources":{"Ng":{"Type":"AWS::EKS::Nodegroup","Properties":{"NodegroupName":"b","Labels":{"x":"2"}},"Metadata":{"aws:cdk:path":"S/Ng"}}}}`)
	var b strings.Builder
	if err := Compare(old, new).Write(&b); err != nil {
		t.Fatal(err)
	}
	want := `WARNING: AWS::EKS::Nodegroup Ng (S/Ng) will be REPLACED: a new node group is created and the old one deleted: its nodes are drained and terminated; because NodegroupName changes
Resources
  [~] AWS::EKS::Nodegroup Ng (S/Ng) REPLACE
      replaced because NodegroupName changes
      [~] Labels.x
          - "1"
          + "2"
      [~] NodegroupName (requires replacement)
          - "a"
          + "b"
`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("Write() mismatch (-want +got):\n%s", diff)
	}
}

func TestIAMChangesNameWhatPoliciesAttachTo(t *testing.T) {
	t.Parallel()
	old := tmpl(t, `{"Resources":{"P":{"Type":"AWS::IAM::Policy","Properties":{"Roles":[{"Ref":"R"}],"PolicyDocument":{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}}}}}`)
	new := tmpl(t, `{"Resources":{"P":{"Type":"AWS::IAM::Policy","Properties":{"Roles":[{"Ref":"R"}],"PolicyDocument":{"Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"*"}]}}}}}`)
	d := Compare(old, new)
	var got []string
	for _, c := range d.IAM {
		got = append(got, fmt.Sprintf("%s %s %s: %s broadening=%v", c.Kind.marker(), c.Resource, c.Where, c.Summary, c.Broadening()))
	}
	want := []string{
		`[+] P policy (roles: [{"Ref":"R"}]): Action=["s3:GetObject","s3:PutObject"] Resource=* broadening=true`,
		`[-] P policy (roles: [{"Ref":"R"}]): Action=s3:GetObject Resource=* broadening=false`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("IAM changes (-want +got):\n%s", diff)
	}
	if !d.Broadening() {
		t.Error("an action added to an Allow is not reported as broadening")
	}
}

func TestCreateOnlyTableHasEKSTypes(t *testing.T) {
	t.Parallel()
	for typ, prop := range map[string]string{
		"AWS::EKS::Nodegroup":      "NodegroupName",
		"AWS::EKS::Cluster":        "KubernetesNetworkConfig/ServiceIpv4Cidr",
		"AWS::EKS::FargateProfile": "Selectors",
		"AWS::EC2::VPC":            "CidrBlock",
	} {
		found := false
		for _, p := range createOnlyPaths(typ) {
			found = found || p == prop
		}
		if !found {
			t.Errorf("createOnly[%s] = %q, want it to hold %s", typ, createOnly[typ], prop)
		}
	}
}
