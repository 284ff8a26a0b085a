package examples_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// allowed lists, per example, what the security walk would otherwise refuse
// and why the example asks for it. Keys are "<example>: <finding>".
var allowed = map[string]string{
	"access-entries: AdminRole38563C57 " + rootTrust:                 "the seed's example makes roles any principal of the account may assume (iam.NewAccountRootPrincipal) to show access entries",
	"access-entries: ViewerRoleC52FDEA4 " + rootTrust:                "as AdminRole",
	"aws-auth: Role1ABCC5F0 " + rootTrust:                            "the seed's aws-auth example maps a role assumable from the account (iam.NewAccountRootPrincipal)",
	"secrets-encryption: SecretsKey317DCF94 allows action \"kms:*\"": "the default key policy of a user's kms.NewKey (as the AWS CDK's): the account's IAM policies decide who uses the key",
}

// rootTrust is the finding of a role trusting its own account's root.
const rootTrust = `trusts an account root {"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::",{"Ref":"AWS::AccountId"},":root"]]}`

// TestExampleTemplatesGrantLeastAccess walks every example's golden
// template and fails on an Allow statement with a "*" action (or a
// service-wide "svc:*"), a role trusting an account root, and ingress from
// 0.0.0.0/0 or ::/0 — unless listed in allowed with the example's reason.
func TestExampleTemplatesGrantLeastAccess(t *testing.T) {
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
		var tmpl struct {
			Resources map[string]struct {
				Type       string
				Properties map[string]any
			}
		}
		if err := json.Unmarshal(b, &tmpl); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		example := strings.SplitN(filepath.ToSlash(f), "/", 2)[0]
		ids := make([]string, 0, len(tmpl.Resources))
		for id := range tmpl.Resources {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			r := tmpl.Resources[id]
			for _, finding := range securityFindings(r.Type, r.Properties) {
				key := example + ": " + id + " " + finding
				if _, ok := allowed[key]; ok {
					used[key] = true
					continue
				}
				t.Errorf("%s: %s (%s) %s", f, id, r.Type, finding)
			}
		}
	}
	for k := range allowed {
		if !used[k] {
			t.Errorf("allowed lists %q, which no template has any more: remove it", k)
		}
	}
}

// securityFindings returns what a resource grants too widely.
func securityFindings(typ string, p map[string]any) []string {
	var out []string
	policy := func(doc any) {
		for _, st := range statements(doc) {
			if st["Effect"] != "Allow" {
				continue
			}
			for _, a := range strs(st["Action"]) {
				if a == "*" || strings.HasSuffix(a, ":*") {
					out = append(out, fmt.Sprintf("allows action %q", a))
				}
			}
		}
	}
	switch typ {
	case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy":
		policy(p["PolicyDocument"])
	case "AWS::IAM::Role":
		for _, ip := range list(p["Policies"]) {
			if m, ok := ip.(map[string]any); ok {
				policy(m["PolicyDocument"])
			}
		}
		for _, st := range statements(p["AssumeRolePolicyDocument"]) {
			if st["Effect"] != "Allow" {
				continue
			}
			pr, _ := st["Principal"].(map[string]any)
			for _, a := range list(pr["AWS"]) {
				b, _ := json.Marshal(a)
				if s := string(b); strings.Contains(s, ":root") || strings.Trim(s, `"`) == "*" {
					out = append(out, "trusts an account root "+s)
				}
			}
		}
	case "AWS::KMS::Key":
		policy(p["KeyPolicy"])
	case "AWS::S3::BucketPolicy", "AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy":
		policy(p["PolicyDocument"])
	case "AWS::EC2::SecurityGroup":
		for _, in := range list(p["SecurityGroupIngress"]) {
			if m, ok := in.(map[string]any); ok {
				out = append(out, openIngress(m)...)
			}
		}
	case "AWS::EC2::SecurityGroupIngress":
		out = append(out, openIngress(p)...)
	}
	return out
}

func openIngress(m map[string]any) []string {
	if m["CidrIp"] == "0.0.0.0/0" || m["CidrIpv6"] == "::/0" {
		return []string{fmt.Sprintf("allows ingress from anywhere (%v %v-%v)", m["IpProtocol"], m["FromPort"], m["ToPort"])}
	}
	return nil
}

// statements returns a policy document's statements, also of a document
// written as a JSON string or a Fn::Join building one (its intrinsics become
// placeholder text).
func statements(doc any) []map[string]any {
	if m, ok := doc.(map[string]any); ok && m["Fn::Join"] != nil {
		doc = flatten(m)
	}
	if s, ok := doc.(string); ok {
		var m any
		if json.Unmarshal([]byte(s), &m) == nil {
			doc = m
		}
	}
	d, _ := doc.(map[string]any)
	var out []map[string]any
	for _, st := range list(d["Statement"]) {
		if m, ok := st.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func list(v any) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return x
	default:
		return []any{x}
	}
}

func strs(v any) []string {
	var out []string
	for _, x := range list(v) {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// flatten renders a Fn::Join as text, other intrinsics as their JSON.
func flatten(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		if j, ok := x["Fn::Join"].([]any); ok && len(j) == 2 {
			sep, _ := j[0].(string)
			parts := list(j[1])
			out := make([]string, len(parts))
			for i, p := range parts {
				out[i] = flatten(p)
			}
			return strings.Join(out, sep)
		}
	}
	b, _ := json.Marshal(v)
	return strings.ReplaceAll(string(b), `"`, `'`)
}
