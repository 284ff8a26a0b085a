package examples_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// exempt lists, per example, a secure default the example's template does
// not hold and why. Keys are "<example>: <logical ID> <finding>".
var exempt = map[string]string{
	"add-capacity: BackendNodesLaunchTemplate01F2D6C7 " + noImdsv2: "the seed's example makes its own Auto Scaling group (autoscaling.NewAutoScalingGroup) and connects it: a group the user made keeps its own launch template (docs/guide/security.md)",
	"nodegroup-updates: NodeTemplateDF90C41E " + noImdsv2:          "the example's own launch template (ec2.NewLaunchTemplate) for a managed node group, as the AWS CDK writes it; the library requires IMDSv2 only on the launch templates it makes",
	"secrets-encryption: SecretsKey317DCF94 " + noRotation:         "the user's own kms.NewKey, as the seed writes it (rotation is kms.KeyProps.EnableKeyRotation); keys the library makes rotate",
	"minimal: Bucket " + noTLSOnly:                                 "the minimal example writes a raw AWS::S3::Bucket (cdk.NewCfnResource) to show cross-stack references, not s3.NewBucket",
}

// Findings of TestExampleTemplatesHoldSecureDefaults.
const (
	creatorAdmin     = "makes the cluster's creator a cluster-admin (BootstrapClusterCreatorAdminPermissions is not false in an access-entry mode)"
	noImdsv2         = "does not require IMDSv2 with a hop limit of 2"
	noRotation       = "is a KMS key without rotation"
	noTLSOnly        = "is a bucket without a bucket policy that denies requests not made over TLS"
	publicBucket     = "is a bucket without all four public access blocks"
	noSSE            = "is a bucket without server-side encryption in the template"
	notPinned        = "is a kubectl handler not pinned to its clusters (no EKSFORGE_KUBECTL_CLUSTERS)"
	noLogGroup       = "is a kubectl handler without the library's log group"
	logForever       = "is a log group kept forever"
	ecrBlanket       = "is a kubectl handler role with AmazonEC2ContainerRegistryReadOnly (every repository)"
	inlineSecret     = "holds a Secret with data in the template"
	joinsClusterSG   = "makes instances members of the EKS cluster security group"
	clusterSGIngress = "adds ingress to the EKS cluster security group other than HTTPS from self-managed nodes' group, or all traffic from it while pods run in the cluster security group"
	nodesFromCluster = "opens self-managed nodes' group to the EKS cluster security group beyond TCP 443 and 1025-65535 (all traffic only while pods run in the cluster security group)"
	noPodTraffic     = "is a self-managed nodes' group without all traffic both ways with the EKS cluster security group, where pods also run (managed nodes, Fargate, Auto Mode, Karpenter)"
)

// TestExampleTemplatesHoldSecureDefaults walks every example's golden
// template and checks that each secure default of issue 22 holds: no
// creator cluster-admin, IMDSv2 on launch templates, rotating keys, buckets
// TLS-only, private and encrypted, kubectl handlers pinned to their
// clusters with a log group that expires, ECR access of the handler only
// per repository, no Secret data in the template, and self-managed nodes
// outside the EKS cluster security group with only the documented rules
// between the two (docs/guide/security.md) — unless exempt lists the
// example's reason.
func TestExampleTemplatesHoldSecureDefaults(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("*", "testdata", "*.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < len(eksExamples) {
		t.Fatalf("found %d golden templates, want at least %d", len(files), len(eksExamples))
	}
	used := map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var tmpl struct{ Resources map[string]templateResource }
		if err := json.Unmarshal(b, &tmpl); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		example := strings.SplitN(filepath.ToSlash(f), "/", 2)[0]
		findings := secureDefaultFindings(tmpl.Resources)
		ids := make([]string, 0, len(findings))
		for id := range findings {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			for _, finding := range findings[id] {
				key := example + ": " + id + " " + finding
				if _, ok := exempt[key]; ok {
					used[key] = true
					continue
				}
				t.Errorf("%s: %s (%s) %s", f, id, tmpl.Resources[id].Type, finding)
			}
		}
	}
	for k := range exempt {
		if !used[k] {
			t.Errorf("exempt lists %q, which no template has any more: remove it", k)
		}
	}
}

type templateResource struct {
	Type       string
	Properties map[string]any
}

// secureDefaultFindings returns, per logical ID, the secure defaults a
// template's resource does not hold.
func secureDefaultFindings(res map[string]templateResource) map[string][]string {
	out := map[string][]string{}
	add := func(id, f string) { out[id] = append(out[id], f) }
	// Buckets that a bucket policy makes TLS-only.
	tlsOnly := map[string]bool{}
	for _, r := range res {
		if r.Type != "AWS::S3::BucketPolicy" {
			continue
		}
		ref, _ := r.Properties["Bucket"].(map[string]any)
		bucket, _ := ref["Ref"].(string)
		for _, st := range statements(r.Properties["PolicyDocument"]) {
			cond, _ := json.Marshal(st["Condition"])
			if st["Effect"] == "Deny" && strings.Contains(string(cond), `"aws:SecureTransport":"false"`) {
				tlsOnly[bucket] = true
			}
		}
	}
	for id, fs := range clusterSecurityGroupFindings(res) {
		for _, f := range fs {
			add(id, f)
		}
	}
	for id, r := range res {
		p := r.Properties
		switch r.Type {
		case "AWS::EKS::Cluster":
			ac, _ := p["AccessConfig"].(map[string]any)
			if ac["AuthenticationMode"] != "CONFIG_MAP" && ac["BootstrapClusterCreatorAdminPermissions"] != false {
				add(id, creatorAdmin)
			}
		case "AWS::EC2::LaunchTemplate":
			data, _ := p["LaunchTemplateData"].(map[string]any)
			mo, _ := data["MetadataOptions"].(map[string]any)
			if mo["HttpTokens"] != "required" || mo["HttpPutResponseHopLimit"] != 2.0 {
				add(id, noImdsv2)
			}
			groups, _ := json.Marshal([]any{data["SecurityGroupIds"], data["NetworkInterfaces"]})
			if strings.Contains(string(groups), `"ClusterSecurityGroupId"`) {
				add(id, joinsClusterSG)
			}
		case "AWS::KMS::Key":
			if p["EnableKeyRotation"] != true {
				add(id, noRotation)
			}
		case "AWS::S3::Bucket":
			if !tlsOnly[id] {
				add(id, noTLSOnly)
			}
			pab, _ := p["PublicAccessBlockConfiguration"].(map[string]any)
			for _, k := range []string{"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"} {
				if pab[k] != true {
					add(id, publicBucket)
					break
				}
			}
			if p["BucketEncryption"] == nil {
				add(id, noSSE)
			}
		case "AWS::Lambda::Function":
			if !strings.Contains(id, "KubectlProvider") {
				continue
			}
			env, _ := p["Environment"].(map[string]any)
			vars, _ := env["Variables"].(map[string]any)
			if vars["EKSFORGE_KUBECTL_CLUSTERS"] == nil {
				add(id, notPinned)
			}
			lc, _ := p["LoggingConfig"].(map[string]any)
			if lc["LogGroup"] == nil {
				add(id, noLogGroup)
			}
		case "AWS::Logs::LogGroup":
			if p["RetentionInDays"] == nil {
				add(id, logForever)
			}
		case "AWS::IAM::Role":
			if !strings.Contains(id, "KubectlProvider") {
				continue
			}
			b, _ := json.Marshal(p["ManagedPolicyArns"])
			if strings.Contains(string(b), "AmazonEC2ContainerRegistryReadOnly") {
				add(id, ecrBlanket)
			}
		case "Custom::AWSCDK-EKS-KubernetesResource":
			if inlineSecretData(p["Manifest"]) {
				add(id, inlineSecret)
			}
		}
	}
	return out
}

// inlineSecretData says whether a manifest property (a JSON string, or a
// Fn::Join building one) holds a v1 Secret with data or stringData.
func inlineSecretData(manifest any) bool {
	text := flatten(manifest)
	var objs []map[string]any
	if json.Unmarshal([]byte(text), &objs) != nil {
		// Tokens make it invalid JSON: fall back to the text.
		return strings.Contains(text, `"kind":"Secret"`) && (strings.Contains(text, `"data":`) || strings.Contains(text, `"stringData":`))
	}
	for _, o := range objs {
		if o["kind"] == "Secret" && (o["data"] != nil || o["stringData"] != nil) {
			return true
		}
	}
	return false
}

// clusterSecurityGroupFindings checks the rules between self-managed nodes'
// security groups and the EKS cluster security group (eks/node_traffic.go):
// on the cluster security group, only HTTPS from a nodes' group, and all
// traffic from one while pods run in the cluster security group; on a
// nodes' group, from the cluster security group only TCP 443 and
// 1025-65535, plus all traffic while pods run in it — and then all traffic
// both ways must be there, so that pods reach each other.
func clusterSecurityGroupFindings(res map[string]templateResource) map[string][]string {
	out := map[string][]string{}
	// attr returns the logical ID of a {"Fn::GetAtt": [id, attribute]}.
	attr := func(v any, attribute string) string {
		m, _ := v.(map[string]any)
		ga, _ := m["Fn::GetAtt"].([]any)
		if len(ga) != 2 || ga[1] != attribute {
			return ""
		}
		id, _ := ga[0].(string)
		return id
	}
	podsInClusterSG := false
	for _, r := range res {
		switch r.Type {
		case "AWS::EKS::Nodegroup", "AWS::EKS::FargateProfile":
			podsInClusterSG = true
		case "AWS::EKS::Cluster":
			cc, _ := r.Properties["ComputeConfig"].(map[string]any)
			podsInClusterSG = podsInClusterSG || cc["Enabled"] == true
		case "Custom::AWSCDK-EKS-KubernetesResource":
			podsInClusterSG = podsInClusterSG || strings.Contains(flatten(r.Properties["Manifest"]), `"kind":"EC2NodeClass"`)
		}
	}
	// nodeGroups are the security groups the cluster security group reaches:
	// self-managed nodes' groups. allTraffic records, per nodes' group,
	// "to" and "from" pod traffic with the cluster security group.
	nodeGroups := map[string]bool{}
	allTraffic := map[string]map[string]bool{}
	for id, r := range res {
		if r.Type != "AWS::EC2::SecurityGroupIngress" {
			continue
		}
		p := r.Properties
		all := p["IpProtocol"] == "-1"
		tcp := func(from, to float64) bool {
			return p["IpProtocol"] == "tcp" && p["FromPort"] == from && p["ToPort"] == to
		}
		src := attr(p["SourceSecurityGroupId"], "GroupId")
		if attr(p["GroupId"], "ClusterSecurityGroupId") != "" {
			nodes := strings.Contains(src, "InstanceSecurityGroup") && res[src].Type == "AWS::EC2::SecurityGroup"
			switch {
			case nodes && tcp(443, 443):
			case nodes && all && podsInClusterSG:
				if allTraffic[src] == nil {
					allTraffic[src] = map[string]bool{}
				}
				allTraffic[src]["to"] = true
			default:
				out[id] = append(out[id], clusterSGIngress)
			}
			continue
		}
		if attr(p["SourceSecurityGroupId"], "ClusterSecurityGroupId") == "" {
			continue
		}
		g := attr(p["GroupId"], "GroupId")
		nodeGroups[g] = true
		switch {
		case tcp(443, 443), tcp(1025, 65535):
		case all && podsInClusterSG:
			if allTraffic[g] == nil {
				allTraffic[g] = map[string]bool{}
			}
			allTraffic[g]["from"] = true
		default:
			out[id] = append(out[id], nodesFromCluster)
		}
	}
	if podsInClusterSG {
		for g := range nodeGroups {
			if !allTraffic[g]["to"] || !allTraffic[g]["from"] {
				out[g] = append(out[g], noPodTraffic)
			}
		}
	}
	return out
}
