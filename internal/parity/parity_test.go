package parity

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseIntended(t *testing.T) {
	t.Parallel()
	doc := "# x\n\n| not | this |\n| --- | --- |\n\n## Intended differences\n\n" +
		"| example | resource type | logical ID | property | reason |\n| --- | --- | --- | --- | --- |\n" +
		"| * | AWS::EKS::Cluster | `Cluster*` | `AuthenticationMode` | a reason with a \\| pipe |\n\nafter\n| a | b | c | d | e |\n"
	list, err := ParseIntended(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 {
		t.Fatalf("%d rows, want 1 (the table ends at the first other line)", len(list))
	}
	e := list[0]
	if e.LogicalID != "Cluster*" || e.Reason != "a reason with a | pipe" || e.Line != 10 {
		t.Errorf("row = %+v", e)
	}
	d := Difference{Example: "hello", Type: "AWS::EKS::Cluster", Kind: "AWS::EKS::Cluster", LogicalID: "ClusterEB0386A7", Path: "AuthenticationMode"}
	if !e.Matches(d) {
		t.Error("the row does not match its difference")
	}
	d.Path = "Version"
	if e.Matches(d) {
		t.Error("the row matches another property")
	}
}

func TestParseIntendedFails(t *testing.T) {
	t.Parallel()
	for name, doc := range map[string]string{
		"fails without the heading": "| a | b | c | d | e |\n",
		"fails without a table":     "## Intended differences\n\ntext\n",
		"fails on a short row":      "## Intended differences\n| h |\n| - |\n| a | b | c | d |\n",
		"fails on an empty reason":  "## Intended differences\n| h |\n| - |\n| a | b | c | d | |\n",
		"fails on an empty pattern": "## Intended differences\n| h |\n| - |\n| a | | c | d | r |\n",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := ParseIntended(strings.NewReader(doc)); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestCompareAndClassify(t *testing.T) {
	t.Parallel()
	cluster := func(version, auth string) map[string]any {
		return map[string]any{"Type": "AWS::EKS::Cluster", "Properties": map[string]any{
			"Version": version, "AccessConfig": map[string]any{"AuthenticationMode": auth},
		}}
	}
	cdk := Extract(map[string]any{"Resources": map[string]any{
		"ClusterA": cluster("1.34", "API"),
		"Barrier":  map[string]any{"Type": "AWS::SSM::Parameter"},
	}})
	ours := Extract(map[string]any{"Resources": map[string]any{
		"ClusterA": cluster("1.34", "API_AND_CONFIG_MAP"),
	}})
	res := Compare("ex", map[string][]Resource{"S": cdk}, map[string][]Resource{"S": ours})
	var got []string
	for _, d := range res.Differences {
		got = append(got, d.LogicalID+" "+d.Path)
	}
	want := []string{"ClusterA AuthenticationMode", "Barrier only in aws-cdk-lib"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("differences (-want +got):\n%s", diff)
	}
	list, err := ParseIntended(strings.NewReader("## Intended differences\n| h |\n| - |\n| ex | AWS::SSM::Parameter | Barrier | only in aws-cdk-lib | r |\n| * | * | * | Version | stale |\n"))
	if err != nil {
		t.Fatal(err)
	}
	Classify(&res, list)
	if un := res.Unlisted(); len(un) != 1 || un[0].Path != "AuthenticationMode" {
		t.Errorf("unlisted = %+v", un)
	}
	if list[0].Used != 1 || list[1].Used != 0 {
		t.Errorf("uses = %d, %d; want 1, 0 (the second row is stale)", list[0].Used, list[1].Used)
	}
}

func TestManifestObjectsAndAwsAuth(t *testing.T) {
	t.Parallel()
	// aws-cdk-lib: a manifest joined around a token, with a prune label,
	// holding a Deployment and the aws-auth ConfigMap.
	cdk := Extract(map[string]any{"Resources": map[string]any{
		"M": map[string]any{"Type": "Custom::AWSCDK-EKS-KubernetesResource", "Properties": map[string]any{
			"Manifest": map[string]any{"Fn::Join": []any{"", []any{
				`[{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"aws.cdk.eks/prune-c8":""}},"spec":{"replicas":3}},` +
					`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"aws-auth","namespace":"kube-system"},"data":{"mapRoles":"[{\"rolearn\":\"`,
				map[string]any{"Fn::GetAtt": []any{"Role", "Arn"}},
				`\",\"username\":\"admin\",\"groups\":[\"system:masters\"]}]","mapUsers":"[]","mapAccounts":"[]"}}]`,
			}}},
		}},
	}})
	// eksforge: the same Deployment with 2 replicas, and its own aws-auth
	// resource with the same role.
	ours := Extract(map[string]any{"Resources": map[string]any{
		"N": map[string]any{"Type": "Custom::AWSCDK-EKS-KubernetesResource", "Properties": map[string]any{
			"Manifest": `[{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":2,"strategy":{}}}]`,
		}},
		"A": map[string]any{"Type": "Custom::EksForge-AwsAuth", "Properties": map[string]any{
			"MapRoles": map[string]any{"Fn::Join": []any{"", []any{`[{"rolearn":"`, map[string]any{"Fn::GetAtt": []any{"Role", "Arn"}}, `","username":"admin","groups":["system:masters"]}]`}}},
		}},
	}})
	res := Compare("ex", map[string][]Resource{"S": cdk}, map[string][]Resource{"S": ours})
	if len(res.Differences) != 1 {
		t.Fatalf("differences = %+v, want only the replicas", res.Differences)
	}
	d := res.Differences[0]
	if d.Path != "spec.replicas" || d.CDK != 3.0 || d.Ours != 2.0 || d.Kind != "Kubernetes apps/v1 Deployment" {
		t.Errorf("difference = %+v", d)
	}
	if len(res.Matches) != 1 || res.Matches[0].Kind != "aws-auth" {
		t.Errorf("matches = %+v, want the aws-auth entries", res.Matches)
	}
}

func TestUserDataFacts(t *testing.T) {
	t.Parallel()
	al2 := "#!/bin/bash\nset -o xtrace\n/etc/eks/bootstrap.sh C --kubelet-extra-args \"--node-labels lifecycle=Ec2Spot --register-with-taints=spotInstance=true:PreferNoSchedule --node-labels foo=bar\" --use-max-pods false --dns-cluster-ip 172.20.0.10\n/opt/aws/bin/cfn-signal --exit-code $?"
	al2023 := "---\nkind: NodeConfig\nspec:\n  kubelet:\n    config:\n      maxPods: 110\n      clusterDNS:\n      - \"172.20.0.10\"\n    flags:\n    - \"--node-labels=lifecycle=Ec2Spot\"\n    - \"--register-with-taints=spotInstance=true:PreferNoSchedule\"\n    - \"--node-labels=foo=bar\"\n"
	a, b := userDataFacts(al2), userDataFacts(al2023)
	for _, k := range []string{"NodeLabels", "Taints", "ClusterDNS", "MaxPods"} {
		if a[k] != b[k] || a[k] == nil {
			t.Errorf("%s: AL2 %v, AL2023 %v", k, a[k], b[k])
		}
	}
	if a["Bootstrap"] == b["Bootstrap"] || a["SignalsCloudFormation"] != true {
		t.Errorf("facts %v, %v", a, b)
	}
	if got := userDataFacts("#!/bin/bash\necho my own bootstrap")["Commands"]; got != "echo my own bootstrap" {
		t.Errorf("Commands = %v", got)
	}
}

func TestCfnJsonAndStringDocuments(t *testing.T) {
	t.Parallel()
	issuer := map[string]any{"Fn::Select": []any{1, map[string]any{"Fn::Split": []any{":oidc-provider/", map[string]any{"Ref": "Oidc"}}}}}
	cdk := Extract(map[string]any{"Resources": map[string]any{
		"Cond": map[string]any{"Type": "Custom::AWSCDKCfnJson", "Properties": map[string]any{
			"Value": map[string]any{"Fn::Join": []any{"", []any{`{"`, issuer, `:aud":"sts.amazonaws.com"}`}}},
		}},
		"R": map[string]any{"Type": "AWS::IAM::Role", "Properties": map[string]any{"AssumeRolePolicyDocument": map[string]any{
			"Statement": []any{map[string]any{"Action": "sts:AssumeRoleWithWebIdentity", "Effect": "Allow",
				"Principal": map[string]any{"Federated": map[string]any{"Ref": "Oidc"}},
				"Condition": map[string]any{"StringEquals": map[string]any{"Fn::GetAtt": []any{"Cond", "Value"}}}}},
		}}},
	}})
	ours := Extract(map[string]any{"Resources": map[string]any{
		"R": map[string]any{"Type": "AWS::IAM::Role", "Properties": map[string]any{"AssumeRolePolicyDocument": map[string]any{
			"Fn::Join": []any{"", []any{`{"Statement":[{"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"`, issuer,
				`:aud":"sts.amazonaws.com"}},"Effect":"Allow","Principal":{"Federated":"`, map[string]any{"Ref": "Oidc"}, `"}}]}`}},
		}}},
	}})
	var cr, or Resource
	for _, r := range cdk {
		if r.LogicalID == "R" {
			cr = r
		}
	}
	or = ours[0]
	if diff := cmp.Diff(cr.Props, or.Props); diff != "" {
		t.Errorf("trust (-aws-cdk-lib +eksforge):\n%s", diff)
	}
}
