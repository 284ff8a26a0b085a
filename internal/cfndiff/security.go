package cfndiff

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// IAMChange is one IAM statement or managed policy attachment added or
// removed.
type IAMChange struct {
	// Kind is Added or Removed.
	Kind Kind
	// Resource is the logical ID of the role, policy or resource policy
	// holding the statement.
	Resource string
	// Where names the document: "trust policy", "policy NAME", "managed
	// policies", "bucket policy", ...
	Where string
	// Effect is "Allow" or "Deny" ("Allow" for managed policies).
	Effect string
	// Summary is the statement in one line (actions, resources,
	// principals, conditions), or the managed policy's ARN.
	Summary string
}

// Broadening says whether the change may widen permissions: an Allow
// added or a Deny removed.
func (c IAMChange) Broadening() bool {
	return (c.Kind == Added) == (c.Effect != "Deny")
}

// SecurityGroupChange is one ingress or egress rule added or removed.
type SecurityGroupChange struct {
	// Kind is Added or Removed.
	Kind Kind
	// Resource is the logical ID holding the rule.
	Resource string
	// Direction is "ingress" or "egress".
	Direction string
	// Summary is the rule in one line.
	Summary string
}

// Broadening says whether the change may widen access (a rule added).
func (c SecurityGroupChange) Broadening() bool { return c.Kind == Added }

// SecurityChanges says whether the diff changes IAM or security groups at
// all.
func (d *TemplateDiff) SecurityChanges() bool {
	return len(d.IAM) > 0 || len(d.SecurityGroups) > 0
}

// Broadening says whether the diff may widen permissions or network
// access: IAM statements allowed, Denies removed, managed policies
// attached, security group rules added.
func (d *TemplateDiff) Broadening() bool {
	for _, c := range d.IAM {
		if c.Broadening() {
			return true
		}
	}
	for _, c := range d.SecurityGroups {
		if c.Broadening() {
			return true
		}
	}
	return false
}

type iamItem struct {
	resource, where, effect, summary string
}

func (i iamItem) key() string {
	return i.resource + "\x00" + i.where + "\x00" + i.effect + "\x00" + i.summary
}

func compareIAM(old, new map[string]any) []IAMChange {
	var out []IAMChange
	oi, ni := iamItems(old), iamItems(new)
	for _, it := range setDiff(ni, oi) {
		out = append(out, IAMChange{Kind: Added, Resource: it.resource, Where: it.where, Effect: it.effect, Summary: it.summary})
	}
	for _, it := range setDiff(oi, ni) {
		out = append(out, IAMChange{Kind: Removed, Resource: it.resource, Where: it.where, Effect: it.effect, Summary: it.summary})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Resource != out[j].Resource {
			return out[i].Resource < out[j].Resource
		}
		return out[i].Kind < out[j].Kind
	})
	return out
}

func setDiff(a, b []iamItem) []iamItem {
	in := map[string]bool{}
	for _, x := range b {
		in[x.key()] = true
	}
	var out []iamItem
	for _, x := range a {
		if !in[x.key()] {
			out = append(out, x)
		}
	}
	return out
}

// policyDocuments lists, per IAM-relevant resource type, where its policy
// documents are.
var policyDocuments = map[string][]struct{ prop, where string }{
	"AWS::IAM::Role":          {{"AssumeRolePolicyDocument", "trust policy"}},
	"AWS::IAM::Policy":        {{"PolicyDocument", "policy"}},
	"AWS::IAM::ManagedPolicy": {{"PolicyDocument", "managed policy"}},
	"AWS::IAM::RolePolicy":    {{"PolicyDocument", "role policy"}},
	"AWS::IAM::UserPolicy":    {{"PolicyDocument", "user policy"}},
	"AWS::IAM::GroupPolicy":   {{"PolicyDocument", "group policy"}},
	"AWS::S3::BucketPolicy":   {{"PolicyDocument", "bucket policy"}},
	"AWS::SQS::QueuePolicy":   {{"PolicyDocument", "queue policy"}},
	"AWS::SNS::TopicPolicy":   {{"PolicyDocument", "topic policy"}},
	"AWS::KMS::Key":           {{"KeyPolicy", "key policy"}},
}

func iamItems(resources map[string]any) []iamItem {
	var out []iamItem
	for _, id := range sortedKeys(resources) {
		r, _ := resources[id].(map[string]any)
		typ, _ := r["Type"].(string)
		props, _ := r["Properties"].(map[string]any)
		for _, doc := range policyDocuments[typ] {
			out = append(out, statements(id, doc.where+attachedTo(props), props[doc.prop])...)
		}
		switch typ {
		case "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group":
			pols, _ := props["Policies"].([]any)
			for _, p := range pols {
				pm, _ := p.(map[string]any)
				out = append(out, statements(id, "inline policy "+compact(pm["PolicyName"]), pm["PolicyDocument"])...)
			}
			arns, _ := props["ManagedPolicyArns"].([]any)
			for _, a := range arns {
				out = append(out, iamItem{resource: id, where: "managed policies", effect: "Allow", summary: "attach " + compact(a)})
			}
		case "AWS::Lambda::Permission":
			out = append(out, iamItem{resource: id, where: "lambda permission", effect: "Allow",
				summary: fmt.Sprintf("%s on %s for %s", compact(props["Action"]), compact(props["FunctionName"]), compact(props["Principal"]))})
		}
	}
	return out
}

// attachedTo names the principals a policy resource attaches to:
// " (roles: [...])", or "".
func attachedTo(props map[string]any) string {
	var parts []string
	for _, k := range []string{"Roles", "Users", "Groups", "RoleName", "UserName", "GroupName"} {
		if v, ok := props[k]; ok {
			parts = append(parts, strings.ToLower(k)+": "+compact(v))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

func statements(id, where string, doc any) []iamItem {
	d, _ := doc.(map[string]any)
	var list []any
	switch s := d["Statement"].(type) {
	case []any:
		list = s
	case map[string]any:
		list = []any{s}
	}
	var out []iamItem
	for _, st := range list {
		m, _ := st.(map[string]any)
		effect, _ := m["Effect"].(string)
		if effect == "" {
			effect = "Allow"
		}
		var parts []string
		for _, k := range []string{"Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition"} {
			if v, ok := m[k]; ok {
				parts = append(parts, k+"="+compact(v))
			}
		}
		out = append(out, iamItem{resource: id, where: where, effect: effect, summary: strings.Join(parts, " ")})
	}
	return out
}

func compareSecurityGroups(old, new map[string]any) []SecurityGroupChange {
	oi, ni := sgRules(old), sgRules(new)
	var out []SecurityGroupChange
	conv := func(k Kind, items []iamItem) {
		for _, it := range items {
			out = append(out, SecurityGroupChange{Kind: k, Resource: it.resource, Direction: it.where, Summary: it.summary})
		}
	}
	conv(Added, setDiff(ni, oi))
	conv(Removed, setDiff(oi, ni))
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Resource != out[j].Resource {
			return out[i].Resource < out[j].Resource
		}
		return out[i].Kind < out[j].Kind
	})
	return out
}

// sgRules returns security group rules as items (where = direction).
func sgRules(resources map[string]any) []iamItem {
	var out []iamItem
	for _, id := range sortedKeys(resources) {
		r, _ := resources[id].(map[string]any)
		typ, _ := r["Type"].(string)
		props, _ := r["Properties"].(map[string]any)
		switch typ {
		case "AWS::EC2::SecurityGroup":
			for _, dir := range []string{"ingress", "egress"} {
				prop := "SecurityGroupIngress"
				if dir == "egress" {
					prop = "SecurityGroupEgress"
				}
				rules, _ := props[prop].([]any)
				for _, rule := range rules {
					rm, _ := rule.(map[string]any)
					out = append(out, iamItem{resource: id, where: dir, summary: sgSummary(rm, "")})
				}
			}
		case "AWS::EC2::SecurityGroupIngress":
			out = append(out, iamItem{resource: id, where: "ingress", summary: sgSummary(props, "GroupId")})
		case "AWS::EC2::SecurityGroupEgress":
			out = append(out, iamItem{resource: id, where: "egress", summary: sgSummary(props, "GroupId")})
		}
	}
	return out
}

func sgSummary(r map[string]any, groupKey string) string {
	var parts []string
	if groupKey != "" {
		parts = append(parts, "group="+compact(r[groupKey]))
	}
	proto := compact(r["IpProtocol"])
	if proto == `"-1"` || proto == "-1" {
		proto = "all"
	}
	parts = append(parts, "protocol="+proto)
	if from, ok := r["FromPort"]; ok {
		ports := compact(from)
		if to, ok := r["ToPort"]; ok && !equal(from, to) {
			ports += "-" + compact(to)
		}
		parts = append(parts, "ports="+ports)
	}
	for _, k := range []string{"CidrIp", "CidrIpv6", "SourceSecurityGroupId", "DestinationSecurityGroupId", "SourcePrefixListId", "DestinationPrefixListId"} {
		if v, ok := r[k]; ok {
			parts = append(parts, k+"="+compact(v))
		}
	}
	return strings.Join(parts, " ")
}

// compact renders a JSON value on one line; strings (and strings built
// with Fn::Join, as in render) without quotes.
func compact(v any) string {
	v = joinsAsStrings(v)
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
