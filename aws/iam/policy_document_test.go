package iam_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

func st(p iam.PolicyStatementProps) *iam.PolicyStatement { return iam.NewPolicyStatement(p) }

// resolveJSON resolves v in a fresh environment-agnostic stack and decodes
// it back from JSON, as a template holds it.
func resolveJSON(t *testing.T, v any) any {
	t.Helper()
	_, stack := synthtest.NewStack()
	r, err := stack.Resolve(v)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func decode(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("bad test JSON %s: %v", s, err)
	}
	return v
}

func TestPolicyDocumentRendering(t *testing.T) {
	t.Parallel()
	root := `{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::",{"Ref":"AWS::AccountId"},":root"]]}`
	tests := []struct {
		name  string
		props iam.PolicyDocumentProps
		want  string
	}{
		{
			name:  "single values are written as scalars",
			props: iam.PolicyDocumentProps{Statements: []*iam.PolicyStatement{st(iam.PolicyStatementProps{Actions: []string{"s3:GetObject"}, Resources: []string{"*"}})}},
			want:  `{"Statement":[{"Action":"s3:GetObject","Effect":"Allow","Resource":"*"}],"Version":"2012-10-17"}`,
		},
		{
			name:  "duplicate values are dropped and lists sorted",
			props: iam.PolicyDocumentProps{Statements: []*iam.PolicyStatement{st(iam.PolicyStatementProps{Actions: []string{"s3:PutObject", "s3:GetObject", "s3:PutObject"}, Resources: []string{"b", "a"}})}},
			want:  `{"Statement":[{"Action":["s3:GetObject","s3:PutObject"],"Effect":"Allow","Resource":["a","b"]}],"Version":"2012-10-17"}`,
		},
		{
			name: "statements differing only in actions merge",
			props: iam.PolicyDocumentProps{Statements: []*iam.PolicyStatement{
				st(iam.PolicyStatementProps{Actions: []string{"s3:PutObject"}, Resources: []string{"arn:aws:s3:::b/*"}}),
				st(iam.PolicyStatementProps{Actions: []string{"s3:GetObject"}, Resources: []string{"arn:aws:s3:::b/*"}}),
			}},
			want: `{"Statement":[{"Action":["s3:GetObject","s3:PutObject"],"Effect":"Allow","Resource":"arn:aws:s3:::b/*"}],"Version":"2012-10-17"}`,
		},
		{
			name: "statements differing in two elements stay apart",
			props: iam.PolicyDocumentProps{Statements: []*iam.PolicyStatement{
				st(iam.PolicyStatementProps{Actions: []string{"s3:PutObject"}, Resources: []string{"a"}}),
				st(iam.PolicyStatementProps{Actions: []string{"s3:GetObject"}, Resources: []string{"b"}}),
			}},
			want: `{"Statement":[{"Action":"s3:PutObject","Effect":"Allow","Resource":"a"},{"Action":"s3:GetObject","Effect":"Allow","Resource":"b"}],"Version":"2012-10-17"}`,
		},
		{
			name: "statements with different conditions, effects or a Sid stay apart",
			props: iam.PolicyDocumentProps{Statements: []*iam.PolicyStatement{
				st(iam.PolicyStatementProps{Actions: []string{"s3:A"}, Resources: []string{"a"}, Conditions: iam.Conditions{"Bool": map[string]any{"k": "true"}}}),
				st(iam.PolicyStatementProps{Actions: []string{"s3:B"}, Resources: []string{"a"}}),
				st(iam.PolicyStatementProps{Actions: []string{"s3:C"}, Resources: []string{"a"}, Effect: iam.EffectDeny}),
				st(iam.PolicyStatementProps{Actions: []string{"s3:D"}, Resources: []string{"a"}, Sid: "D"}),
			}},
			want: `{"Statement":[
				{"Action":"s3:A","Condition":{"Bool":{"k":"true"}},"Effect":"Allow","Resource":"a"},
				{"Action":"s3:B","Effect":"Allow","Resource":"a"},
				{"Action":"s3:C","Effect":"Deny","Resource":"a"},
				{"Action":"s3:D","Effect":"Allow","Resource":"a","Sid":"D"}],"Version":"2012-10-17"}`,
		},
		{
			name: "merging repeats until nothing changes",
			props: iam.PolicyDocumentProps{Statements: []*iam.PolicyStatement{
				st(iam.PolicyStatementProps{Actions: []string{"s3:A"}, Resources: []string{"a"}}),
				st(iam.PolicyStatementProps{Actions: []string{"s3:B"}, Resources: []string{"b"}}),
				st(iam.PolicyStatementProps{Actions: []string{"s3:A"}, Resources: []string{"b"}}),
				st(iam.PolicyStatementProps{Actions: []string{"s3:B"}, Resources: []string{"a"}}),
			}},
			want: `{"Statement":[{"Action":["s3:A","s3:B"],"Effect":"Allow","Resource":["a","b"]}],"Version":"2012-10-17"}`,
		},
		{
			name: "principals merge and sort by their JSON, literals first",
			props: iam.PolicyDocumentProps{Statements: []*iam.PolicyStatement{
				st(iam.PolicyStatementProps{Actions: []string{"sts:AssumeRole"}, Principals: []iam.IPrincipal{iam.NewServicePrincipal("lambda")}}),
				st(iam.PolicyStatementProps{Actions: []string{"sts:AssumeRole"}, Principals: []iam.IPrincipal{iam.NewAccountRootPrincipal()}}),
				st(iam.PolicyStatementProps{Actions: []string{"sts:AssumeRole"}, Principals: []iam.IPrincipal{iam.NewArnPrincipal("arn:aws:iam::111111111111:role/x")}}),
			}},
			want: `{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111111111111:role/x",` + root + `],"Service":"lambda.amazonaws.com"}}],"Version":"2012-10-17"}`,
		},
		{
			name: "identical statements are written once",
			props: iam.PolicyDocumentProps{KeepStatements: true, Statements: []*iam.PolicyStatement{
				st(iam.PolicyStatementProps{Actions: []string{"s3:A"}, Resources: []string{"a"}}),
				st(iam.PolicyStatementProps{Actions: []string{"s3:A"}, Resources: []string{"a"}}),
			}},
			want: `{"Statement":[{"Action":"s3:A","Effect":"Allow","Resource":"a"}],"Version":"2012-10-17"}`,
		},
		{
			name: "KeepStatements neither merges nor sorts",
			props: iam.PolicyDocumentProps{KeepStatements: true, Statements: []*iam.PolicyStatement{
				st(iam.PolicyStatementProps{Actions: []string{"s3:B", "s3:A"}, Resources: []string{"a"}}),
				st(iam.PolicyStatementProps{Actions: []string{"s3:C"}, Resources: []string{"a"}}),
			}},
			want: `{"Statement":[{"Action":["s3:B","s3:A"],"Effect":"Allow","Resource":"a"},{"Action":"s3:C","Effect":"Allow","Resource":"a"}],"Version":"2012-10-17"}`,
		},
		{
			name: "AssignSids numbers statements without one",
			props: iam.PolicyDocumentProps{AssignSids: true, Statements: []*iam.PolicyStatement{
				st(iam.PolicyStatementProps{Actions: []string{"s3:A"}, Resources: []string{"a"}}),
				st(iam.PolicyStatementProps{Actions: []string{"s3:B"}, Resources: []string{"b"}, Sid: "Mine"}),
			}},
			want: `{"Statement":[{"Action":"s3:A","Effect":"Allow","Resource":"a","Sid":"0"},{"Action":"s3:B","Effect":"Allow","Resource":"b","Sid":"Mine"}],"Version":"2012-10-17"}`,
		},
		{
			name: "not-elements are rendered",
			props: iam.PolicyDocumentProps{Statements: []*iam.PolicyStatement{
				st(iam.PolicyStatementProps{NotActions: []string{"iam:*"}, NotResources: []string{"x"}, NotPrincipals: []iam.IPrincipal{iam.NewArnPrincipal("arn:aws:iam::123456789012:user/u")}, Effect: iam.EffectDeny}),
			}},
			want: `{"Statement":[{"Effect":"Deny","NotAction":"iam:*","NotPrincipal":{"AWS":"arn:aws:iam::123456789012:user/u"},"NotResource":"x"}],"Version":"2012-10-17"}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := resolveJSON(t, iam.NewPolicyDocument(tc.props))
			if diff := cmp.Diff(decode(t, tc.want), got); diff != "" {
				t.Errorf("rendered document (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEmptyPolicyDocumentRendersNothing(t *testing.T) {
	t.Parallel()
	doc := iam.NewPolicyDocument(iam.PolicyDocumentProps{})
	if !doc.IsEmpty() || doc.ToJSON() != nil {
		t.Fatal("empty document should be empty")
	}
	if got := resolveJSON(t, map[string]any{"P": doc}); !cmp.Equal(got, map[string]any{}) {
		t.Errorf("an empty document should leave the property out, got %v", got)
	}
}

func TestPolicyStatementAccessors(t *testing.T) {
	t.Parallel()
	s := iam.NewPolicyStatement(iam.PolicyStatementProps{Sid: "S1"}).
		AddActions("s3:GetObject").
		AddAllResources().
		AddAccountCondition("123").
		AddSourceAccountCondition("456").
		AddSourceArnCondition("arn:x")
	if s.Sid() != "S1" || s.Effect() != iam.EffectAllow || !s.HasResource() || s.HasPrincipal() {
		t.Errorf("accessors: sid %q effect %q resource %v principal %v", s.Sid(), s.Effect(), s.HasResource(), s.HasPrincipal())
	}
	wantCond := iam.Conditions{
		"StringEquals": map[string]any{"sts:ExternalId": "123", "aws:SourceAccount": "456"},
		"ArnEquals":    map[string]any{"aws:SourceArn": "arn:x"},
	}
	if diff := cmp.Diff(wantCond, s.Conditions()); diff != "" {
		t.Errorf("conditions (-want +got):\n%s", diff)
	}
	c := s.Copy()
	c.AddActions("s3:PutObject")
	if len(s.Actions()) != 1 || len(c.Actions()) != 2 {
		t.Errorf("Copy should be independent: %v vs %v", s.Actions(), c.Actions())
	}
	json := s.ToStatementJSON()
	if json["Action"] != "s3:GetObject" || json["Resource"] != "*" || json["Sid"] != "S1" {
		t.Errorf("ToStatementJSON = %v", json)
	}
}

func TestPolicyStatementValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		stmt     *iam.PolicyStatement
		validate func(*iam.PolicyStatement) []string
		want     []string
	}{
		{"valid identity statement", st(iam.PolicyStatementProps{Actions: []string{"s3:Get*"}, Resources: []string{"*"}}), (*iam.PolicyStatement).ValidateForIdentityPolicy, nil},
		{"wildcard action is valid", st(iam.PolicyStatementProps{Actions: []string{"*"}, Resources: []string{"*"}}), (*iam.PolicyStatement).ValidateForIdentityPolicy, nil},
		{"token action is not checked", st(iam.PolicyStatementProps{Actions: []string{cdk.Fn.Ref("P")}, Resources: []string{"*"}}), (*iam.PolicyStatement).ValidateForIdentityPolicy, nil},
		{"fails on an action without a service prefix", st(iam.PolicyStatementProps{Actions: []string{"GetObject"}, Resources: []string{"*"}}), (*iam.PolicyStatement).ValidateForAnyPolicy, []string{`action "GetObject" is invalid`, "service namespace"}},
		{"fails on an action with spaces", st(iam.PolicyStatementProps{Actions: []string{"s3: GetObject"}, Resources: []string{"*"}}), (*iam.PolicyStatement).ValidateForAnyPolicy, []string{`action "s3: GetObject" is invalid`}},
		{"fails without actions", st(iam.PolicyStatementProps{Resources: []string{"*"}}), (*iam.PolicyStatement).ValidateForAnyPolicy, []string{"at least one action"}},
		{"fails on actions and not-actions", st(iam.PolicyStatementProps{Actions: []string{"s3:A"}, NotActions: []string{"s3:B"}}), (*iam.PolicyStatement).ValidateForAnyPolicy, []string{"both Actions and NotActions"}},
		{"fails on resources and not-resources", st(iam.PolicyStatementProps{Actions: []string{"s3:A"}, Resources: []string{"a"}, NotResources: []string{"b"}}), (*iam.PolicyStatement).ValidateForAnyPolicy, []string{"both Resources and NotResources"}},
		{"fails on an identity statement with principals", st(iam.PolicyStatementProps{Actions: []string{"s3:A"}, Resources: []string{"*"}, Principals: []iam.IPrincipal{iam.NewServicePrincipal("ec2.amazonaws.com")}}), (*iam.PolicyStatement).ValidateForIdentityPolicy, []string{"identity policy cannot name principals", "ServicePrincipal(ec2.amazonaws.com)"}},
		{"fails on an identity statement without resources", st(iam.PolicyStatementProps{Actions: []string{"s3:A"}}), (*iam.PolicyStatement).ValidateForIdentityPolicy, []string{"must name at least one resource"}},
		{"fails on a non-alphanumeric Sid in an identity policy", st(iam.PolicyStatementProps{Sid: "my sid", Actions: []string{"s3:A"}, Resources: []string{"*"}}), (*iam.PolicyStatement).ValidateForIdentityPolicy, []string{`(Sid) "my sid" must be alphanumeric`}},
		{"fails on a resource statement without principals", st(iam.PolicyStatementProps{Actions: []string{"s3:A"}, Resources: []string{"*"}}), (*iam.PolicyStatement).ValidateForResourcePolicy, []string{"resource policy must name at least one principal"}},
		{"fails on a trust statement without principals", st(iam.PolicyStatementProps{Actions: []string{"sts:AssumeRole"}}), (*iam.PolicyStatement).ValidateForTrustPolicy, []string{"trust policy must name at least one principal"}},
		{"fails on a token condition merged with another", st(iam.PolicyStatementProps{Actions: []string{"s3:A"}, Resources: []string{"*"}}).
			AddCondition("StringEquals", cdk.NewIntrinsic(map[string]any{"Fn::GetAtt": []any{"J", "Value"}})).
			AddCondition("StringEquals", map[string]any{"a": "b"}), (*iam.PolicyStatement).ValidateForAnyPolicy, []string{"StringEquals conditions", "cannot be merged"}},
		{"fails on principals with different conditions", st(iam.PolicyStatementProps{Actions: []string{"s3:A"}, Principals: []iam.IPrincipal{
			iam.NewServicePrincipal("a").WithConditions(iam.Conditions{"Bool": map[string]any{"x": "1"}}),
			iam.NewServicePrincipal("b"),
		}}), (*iam.PolicyStatement).ValidateForAnyPolicy, []string{"same conditions"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			errs := strings.Join(tc.validate(tc.stmt), "\n")
			if len(tc.want) == 0 {
				if errs != "" {
					t.Errorf("unexpected problems: %s", errs)
				}
				return
			}
			for _, w := range tc.want {
				if !strings.Contains(errs, w) {
					t.Errorf("problems %q do not mention %q", errs, w)
				}
			}
		})
	}
}

func TestFrozenStatementPanics(t *testing.T) {
	t.Parallel()
	s := st(iam.PolicyStatementProps{Actions: []string{"s3:A"}, Resources: []string{"*"}})
	resolveJSON(t, iam.NewPolicyDocument(iam.PolicyDocumentProps{Statements: []*iam.PolicyStatement{s}}))
	if !s.Frozen() {
		t.Fatal("rendering should freeze the statement")
	}
	msg := synthtest.MustPanic(t, func() { s.AddActions("s3:B") })
	if !strings.Contains(msg, "frozen") {
		t.Errorf("panic %q", msg)
	}
}
