package iam_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	cfniam "github.com/eksforge/eksforge/cfn/iam"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

// oidcProvider is a minimal IOpenIDConnectProvider backed by the native
// AWS::IAM::OIDCProvider resource, as the EKS library's will be.
type oidcProvider struct {
	cdk.Base
	res *cfniam.CfnOIDCProvider
}

func newOIDCProvider(scope cdk.Construct, id, issuer string) *oidcProvider {
	p := &oidcProvider{}
	cdk.InitConstruct(p, scope, id)
	p.res = cfniam.NewCfnOIDCProvider(p, "Resource", cfniam.CfnOIDCProviderProps{
		Url:          "https://" + issuer,
		ClientIdList: []string{"sts.amazonaws.com"},
	})
	return p
}

func (p *oidcProvider) OpenIDConnectProviderArn() string { return p.res.Ref() }
func (p *oidcProvider) OpenIDConnectProviderIssuer() string {
	return "oidc.eks.us-east-1.amazonaws.com/id/ABC"
}

func TestPrincipalsInTrustPolicies(t *testing.T) {
	t.Parallel()
	root := map[string]any{"Fn::Join": []any{"", []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, ":iam::", map[string]any{"Ref": "AWS::AccountId"}, ":root"}}}
	tests := []struct {
		name      string
		principal func(scope cdk.Construct) iam.IPrincipal
		want      map[string]any
	}{
		{"service principal", func(cdk.Construct) iam.IPrincipal { return iam.NewServicePrincipal("ec2.amazonaws.com") },
			map[string]any{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": map[string]any{"Service": "ec2.amazonaws.com"}}},
		{"short and China service names are written the standard way", func(cdk.Construct) iam.IPrincipal {
			return iam.NewCompositePrincipal(iam.NewServicePrincipal("eks"), iam.NewServicePrincipal("ec2.amazonaws.com.cn"))
		}, map[string]any{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": map[string]any{"Service": []any{"ec2.amazonaws.com", "eks.amazonaws.com"}}}},
		{"account root principal", func(cdk.Construct) iam.IPrincipal { return iam.NewAccountRootPrincipal() },
			map[string]any{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": map[string]any{"AWS": root}}},
		{"account principal", func(cdk.Construct) iam.IPrincipal { return iam.NewAccountPrincipal("222233334444") },
			map[string]any{"Principal": map[string]any{"AWS": map[string]any{"Fn::Join": []any{"", []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, ":iam::222233334444:root"}}}}}},
		{"arn principal", func(cdk.Construct) iam.IPrincipal { return iam.NewArnPrincipal("arn:aws:iam::123456789012:role/admin") },
			map[string]any{"Principal": map[string]any{"AWS": "arn:aws:iam::123456789012:role/admin"}}},
		{"any principal", func(cdk.Construct) iam.IPrincipal { return iam.NewAnyPrincipal() },
			map[string]any{"Principal": map[string]any{"AWS": "*"}}},
		{"federated principal with conditions", func(cdk.Construct) iam.IPrincipal {
			return iam.NewFederatedPrincipal("cognito-identity.amazonaws.com", iam.Conditions{"StringEquals": map[string]any{"cognito-identity.amazonaws.com:aud": "pool"}}, "sts:AssumeRoleWithWebIdentity")
		}, map[string]any{"Action": "sts:AssumeRoleWithWebIdentity", "Condition": map[string]any{"StringEquals": map[string]any{"cognito-identity.amazonaws.com:aud": "pool"}}, "Principal": map[string]any{"Federated": "cognito-identity.amazonaws.com"}}},
		{"federated principal defaults to sts:AssumeRole", func(cdk.Construct) iam.IPrincipal {
			return iam.NewFederatedPrincipal("arn:aws:iam::123456789012:saml-provider/x", nil, "")
		}, map[string]any{"Action": "sts:AssumeRole", "Principal": map[string]any{"Federated": "arn:aws:iam::123456789012:saml-provider/x"}}},
		{"web identity principal", func(cdk.Construct) iam.IPrincipal { return iam.NewWebIdentityPrincipal("accounts.google.com", nil) },
			map[string]any{"Action": "sts:AssumeRoleWithWebIdentity", "Principal": map[string]any{"Federated": "accounts.google.com"}}},
		{"OpenID Connect principal", func(scope cdk.Construct) iam.IPrincipal {
			p := newOIDCProvider(scope, "Provider", "oidc.eks.us-east-1.amazonaws.com/id/ABC")
			return iam.NewOpenIDConnectPrincipal(p, iam.Conditions{"StringEquals": map[string]any{"oidc.eks.us-east-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com"}})
		}, map[string]any{"Action": "sts:AssumeRoleWithWebIdentity",
			"Condition": map[string]any{"StringEquals": map[string]any{"oidc.eks.us-east-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com"}},
			"Principal": map[string]any{"Federated": map[string]any{"Ref": "Provider2281708E"}}}},
		{"principal with conditions", func(cdk.Construct) iam.IPrincipal {
			return iam.NewServicePrincipal("eks.amazonaws.com").WithConditions(iam.Conditions{"StringEquals": map[string]any{"aws:SourceAccount": "123456789012"}})
		}, map[string]any{"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": "123456789012"}}, "Principal": map[string]any{"Service": "eks.amazonaws.com"}}},
		{"conditions of a wrapped principal merge with its own", func(cdk.Construct) iam.IPrincipal {
			return iam.WithConditions(iam.NewWebIdentityPrincipal("idp", iam.Conditions{"StringEquals": map[string]any{"a": "1"}}), iam.Conditions{"StringEquals": map[string]any{"b": "2"}, "Bool": map[string]any{"c": "true"}})
		}, map[string]any{"Action": "sts:AssumeRoleWithWebIdentity", "Condition": map[string]any{"StringEquals": map[string]any{"a": "1", "b": "2"}, "Bool": map[string]any{"c": "true"}}}},
		{"conditions known only at deploy time (token keys, as an EKS service account's)", func(cdk.Construct) iam.IPrincipal {
			return iam.NewWebIdentityPrincipal("idp", nil).WithConditions(iam.Conditions{"StringEquals": cdk.NewIntrinsic(map[string]any{"Fn::GetAtt": []any{"ConditionJson", "Value"}})})
		}, map[string]any{"Action": "sts:AssumeRoleWithWebIdentity", "Condition": map[string]any{"StringEquals": map[string]any{"Fn::GetAtt": []any{"ConditionJson", "Value"}}}}},
		{"composite principal with different assume actions", func(cdk.Construct) iam.IPrincipal {
			return iam.NewCompositePrincipal(iam.NewServicePrincipal("ec2.amazonaws.com"), iam.NewWebIdentityPrincipal("idp", nil))
		}, nil},
		{"another role", func(scope cdk.Construct) iam.IPrincipal {
			return iam.NewRole(scope, "Other", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2")})
		}, map[string]any{"Principal": map[string]any{"AWS": map[string]any{"Fn::GetAtt": []any{"Other34654A52", "Arn"}}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stack := synthtest.NewStack()
			iam.NewRole(stack, "Role", iam.RoleProps{AssumedBy: tc.principal(stack)})
			tmpl := assertions.FromStack(t, stack)
			if tc.want == nil {
				tmpl.HasResourceProperties("AWS::IAM::Role", map[string]any{"AssumeRolePolicyDocument": map[string]any{"Statement": []any{
					map[string]any{"Action": "sts:AssumeRole", "Principal": map[string]any{"Service": "ec2.amazonaws.com"}},
					map[string]any{"Action": "sts:AssumeRoleWithWebIdentity", "Principal": map[string]any{"Federated": "idp"}},
				}}})
				return
			}
			tmpl.HasResourceProperties("AWS::IAM::Role", map[string]any{
				"AssumeRolePolicyDocument": map[string]any{"Statement": []any{tc.want}, "Version": "2012-10-17"},
			})
		})
	}
}

func TestPrincipalArnAndAccount(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack(cdk.Environment{Account: "123456789012", Region: "eu-west-1"})
	role := iam.NewRole(stack, "Role", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2")})
	tests := []struct {
		name    string
		p       iam.IPrincipal
		arn     bool
		account string
	}{
		{"arn principal", iam.NewArnPrincipal("arn:aws:iam::111122223333:user/u"), true, "111122223333"},
		{"role", role, true, "123456789012"},
		{"account principal", iam.NewAccountPrincipal("444455556666"), true, "444455556666"},
		{"service principal", iam.NewServicePrincipal("ec2"), false, ""},
		{"federated principal", iam.NewWebIdentityPrincipal("idp", nil), false, ""},
		{"composite of two", iam.NewCompositePrincipal(iam.NewArnPrincipal("arn:aws:iam::1:user/a"), iam.NewArnPrincipal("arn:aws:iam::1:user/b")), false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if _, ok := iam.PrincipalArn(tc.p); ok != tc.arn {
				t.Errorf("PrincipalArn ok = %v, want %v", ok, tc.arn)
			}
			if got := tc.p.PrincipalAccount(); got != tc.account {
				t.Errorf("PrincipalAccount = %q, want %q", got, tc.account)
			}
			if tc.p.GrantPrincipal() == nil {
				t.Error("GrantPrincipal is nil")
			}
		})
	}
}

func TestPrincipalConstructorsPanic(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		f    func()
		want string
	}{
		{"fails on an empty service", func() { iam.NewServicePrincipal("") }, "needs a service name"},
		{"fails on an empty ARN", func() { iam.NewArnPrincipal("") }, "needs an ARN"},
		{"fails on an empty account", func() { iam.NewAccountPrincipal("") }, "needs an account ID"},
		{"fails on an empty provider", func() { iam.NewFederatedPrincipal("", nil, "") }, "needs the identity provider"},
		{"fails on an empty composite", func() { iam.NewCompositePrincipal() }, "at least one principal"},
		{"fails on a composite member with conditions", func() {
			iam.NewCompositePrincipal(iam.NewWebIdentityPrincipal("idp", iam.Conditions{"StringEquals": map[string]any{"a": "b"}}))
		}, "must not have conditions"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if msg := synthtest.MustPanic(t, tc.f); !cmp.Equal(true, contains(msg, tc.want)) {
				t.Errorf("panic %q does not mention %q", msg, tc.want)
			}
		})
	}
}

func contains(s, sub string) bool {
	return len(sub) == 0 || (len(s) >= len(sub) && indexOf(s, sub) >= 0)
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}
