package eks_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/aws/kms"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/eks"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

const rdsSecretArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/rds-AbCdEf"

// TestKubernetesSecretTemplate checks the shape of a Secret whose values
// the handler reads at deploy time: the manifest holds no data, the
// SecretValues property says where each value is, and the handler's role
// may read exactly those sources (and decrypt with the given key).
func TestKubernetesSecretTemplate(t *testing.T) {
	t.Parallel()
	_, stack := newStack(cdk.Environment{Account: "123456789012", Region: "us-east-1"})
	c := clusterWithoutCapacity(stack)
	key := kms.NewKey(stack, "ParamKey", kms.KeyProps{EnableKeyRotation: true})
	s := eks.NewKubernetesSecret(stack, "Db", eks.KubernetesSecretProps{
		Cluster: c, Name: "db", Namespace: "app", Labels: map[string]string{"app": "api"},
		Values: map[string]eks.SecretValue{
			"password": {SsmParameter: "/prod/db/password", EncryptionKey: key},
			"username": {SecretsManagerSecret: rdsSecretArn, JSONKey: "username"},
			"token":    {SecretsManagerSecret: "prod/api-token"},
			"legacy":   {SsmParameter: "legacy-token:3"},
		},
	})
	if len(warningsOf(s)) != 0 {
		t.Errorf("a Secret with deploy-time values warns: %v", warningsOf(s))
	}
	tmpl := assertions.FromStack(t, stack)
	body, _ := json.Marshal(tmpl.ToJSON())
	for _, leak := range []string{`"data"`, `"stringData"`} {
		if strings.Contains(string(body), leak) {
			t.Errorf("the template holds %s", leak)
		}
	}
	objs := manifestOf(t, tmpl.ToJSON(), "Db")
	if len(objs) != 1 || objs[0]["kind"] != "Secret" || objs[0]["type"] != "Opaque" {
		t.Fatalf("manifest objects %v", objs)
	}
	if md := objs[0]["metadata"].(map[string]any); md["name"] != "db" || md["namespace"] != "app" || md["labels"].(map[string]any)["app"] != "api" {
		t.Errorf("metadata %v", md)
	}
	tmpl.HasResourceProperties(eks.KubernetesManifestResourceType, map[string]any{eks.SecretValuesProperty: []any{
		map[string]any{"Namespace": "app", "Name": "db", "Key": "legacy", "SsmParameter": "legacy-token:3"},
		map[string]any{"Namespace": "app", "Name": "db", "Key": "password", "SsmParameter": "/prod/db/password"},
		map[string]any{"Namespace": "app", "Name": "db", "Key": "token", "SecretsManagerSecret": "prod/api-token"},
		map[string]any{"Namespace": "app", "Name": "db", "Key": "username", "SecretsManagerSecret": rdsSecretArn, "JsonKey": "username"},
	}})
	tmpl.HasResourceProperties("AWS::IAM::Policy", map[string]any{"PolicyDocument": map[string]any{"Statement": Match.ArrayWith([]any{
		map[string]any{"Action": "ssm:GetParameter", "Effect": "Allow", "Resource": []any{
			"arn:aws:ssm:us-east-1:123456789012:parameter/legacy-token", "arn:aws:ssm:us-east-1:123456789012:parameter/prod/db/password"}},
		map[string]any{"Action": "kms:Decrypt", "Effect": "Allow", "Resource": map[string]any{"Fn::GetAtt": []any{"ParamKey1DACD31A", "Arn"}}},
		map[string]any{"Action": "secretsmanager:GetSecretValue", "Effect": "Allow", "Resource": []any{
			"arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/api-token-??????", rdsSecretArn}},
	})}})
}

func TestKubernetesSecretErrors(t *testing.T) {
	t.Parallel()
	var nilKey *kms.Key
	for _, tc := range []struct {
		name   string
		props  eks.KubernetesSecretProps
		errors []string
	}{
		{"fails without a name or values", eks.KubernetesSecretProps{}, []string{"Stack/S", "KubernetesSecretProps.Name is required", "KubernetesSecretProps.Values is empty"}},
		{"fails on a value without source", eks.KubernetesSecretProps{Name: "s", Values: map[string]eks.SecretValue{"k": {}}},
			[]string{"Stack/S", `Values["k"] has no source: set SsmParameter or SecretsManagerSecret`}},
		{"fails on two sources", eks.KubernetesSecretProps{Name: "s", Values: map[string]eks.SecretValue{"k": {SsmParameter: "/a", SecretsManagerSecret: "b"}}},
			[]string{`Values["k"] sets both SsmParameter "/a" and SecretsManagerSecret "b": set one`}},
		{"fails on a bad data key", eks.KubernetesSecretProps{Name: "s", Values: map[string]eks.SecretValue{"a key": {SsmParameter: "/a"}}},
			[]string{`Values key "a key" is not a valid Secret data key`}},
		{"fails on an ARN as parameter name", eks.KubernetesSecretProps{Name: "s", Values: map[string]eks.SecretValue{"k": {SsmParameter: "arn:aws:ssm:us-east-1:123456789012:parameter/a"}}},
			[]string{`Values["k"].SsmParameter "arn:aws:ssm:us-east-1:123456789012:parameter/a" is not an SSM parameter name`}},
		{"fails on another service's ARN", eks.KubernetesSecretProps{Name: "s", Values: map[string]eks.SecretValue{"k": {SecretsManagerSecret: "arn:aws:ssm:us-east-1:123456789012:parameter/a"}}},
			[]string{`is not a Secrets Manager secret ARN`}},
		{"fails on a bad secret name", eks.KubernetesSecretProps{Name: "s", Values: map[string]eks.SecretValue{"k": {SecretsManagerSecret: "no spaces please"}}},
			[]string{`"no spaces please" is neither a secret ARN nor a secret name`}},
		{"fails on a typed-nil key", eks.KubernetesSecretProps{Name: "s", Values: map[string]eks.SecretValue{"k": {SsmParameter: "/a", EncryptionKey: nilKey}}},
			[]string{`Values["k"].EncryptionKey is a nil *kms.Key`}},
		{"fails on a bad Secret name", eks.KubernetesSecretProps{Name: "Not_Valid", Values: map[string]eks.SecretValue{"k": {SsmParameter: "/a"}}},
			[]string{"Stack/S", "Not_Valid"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app, stack := newStack()
			tc.props.Cluster = clusterWithoutCapacity(stack)
			eks.NewKubernetesSecret(stack, "S", tc.props)
			synthtest.WantErrors(t, synthtest.SynthError(t, app), tc.errors...)
		})
	}
}
