package eks

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/aws/kms"
	"github.com/eksforge/eksforge/cdk"
)

// SecretValue is where the kubectl handler reads one value of a
// [KubernetesSecret] at deploy time: an SSM parameter (a SecureString,
// decrypted) or a Secrets Manager secret. The value is never in the
// template, the assets or the handler's log; the handler's role is granted
// read access to exactly this parameter or secret (and kms:Decrypt on
// EncryptionKey). Set exactly one of SsmParameter and SecretsManagerSecret.
type SecretValue struct {
	// SsmParameter is the name of an SSM parameter ("/prod/db/password"),
	// read with ssm:GetParameter with decryption, in the stack's region
	// and account. A token name must not start with "/".
	// Default: none.
	SsmParameter string
	// SecretsManagerSecret is the complete ARN of a Secrets Manager
	// secret (with its six-character suffix, as the console shows it), or
	// its name in the stack's region and account (granted as
	// "<name>-??????"), read with secretsmanager:GetSecretValue (the
	// AWSCURRENT version).
	// Default: none.
	SecretsManagerSecret string
	// JSONKey picks one key of a secret or parameter whose value is a
	// JSON object ({"username": ..., "password": ...}, as RDS writes
	// them); the key's value must be a string.
	// Default: the whole value.
	JSONKey string
	// EncryptionKey is the customer managed KMS key that encrypts the
	// parameter or secret: the handler is granted kms:Decrypt on it.
	// Default: none (the AWS managed key aws/ssm or aws/secretsmanager,
	// which needs no grant).
	EncryptionKey kms.IKey
}

// KubernetesSecretProps define a [KubernetesSecret].
type KubernetesSecretProps struct {
	KubernetesManifestOptions
	// Cluster is where the Secret goes. Required.
	Cluster ICluster
	// Name is the Secret's name (a DNS-1123 subdomain). Required.
	Name string
	// Namespace is the Secret's namespace.
	// Default: "default".
	Namespace string
	// Type is the Secret's type ("Opaque", "kubernetes.io/basic-auth",
	// "kubernetes.io/dockerconfigjson", ...).
	// Default: "Opaque".
	Type string
	// Labels of the Secret.
	// Default: none.
	Labels map[string]string
	// Values are the Secret's data keys and where the handler reads each
	// value at deploy time. At least one is required.
	Values map[string]SecretValue
}

// KubernetesSecret is a Kubernetes Secret whose values the kubectl handler
// reads at deploy time from SSM Parameter Store or Secrets Manager: a
// [KubernetesManifest] whose Secret holds no data in the template, and a
// property (SecretValues) that tells the handler where each value is.
// The values are read on every Create and Update of the resource; a value
// changed in SSM or Secrets Manager reaches the cluster with the next
// update of the stack that changes this resource (change a label, or
// reference a parameter version, "/name:3").
type KubernetesSecret struct {
	*KubernetesManifest
}

// SecretValuesProperty is the property of a manifest resource that lists
// the Secret values the handler resolves at deploy time.
const SecretValuesProperty = "SecretValues"

// secretDataKey is what Kubernetes accepts as a Secret's data key.
var secretDataKey = regexp.MustCompile(`^[-._a-zA-Z0-9]+$`)

// NewKubernetesSecret adds a Secret whose values are read at deploy time.
func NewKubernetesSecret(scope cdk.Construct, id string, props KubernetesSecretProps) *KubernetesSecret {
	ns := props.Namespace
	if ns == "" {
		ns = "default"
	}
	typ := props.Type
	if typ == "" {
		typ = "Opaque"
	}
	md := map[string]any{"name": props.Name, "namespace": ns}
	if len(props.Labels) > 0 {
		labels := map[string]any{}
		for k, v := range props.Labels {
			labels[k] = v
		}
		md["labels"] = labels
	}
	obj := map[string]any{"apiVersion": "v1", "kind": "Secret", "metadata": md, "type": typ}
	m := NewKubernetesManifest(scope, id, KubernetesManifestProps{
		KubernetesManifestOptions: props.KubernetesManifestOptions,
		Cluster:                   props.Cluster,
		Manifest:                  []any{obj},
	})
	s := &KubernetesSecret{KubernetesManifest: m}
	n := m.Node()
	if props.Name == "" {
		n.AddError("KubernetesSecretProps.Name is required: the Secret's name")
	}
	if len(props.Values) == 0 {
		n.AddError("KubernetesSecretProps.Values is empty: give each data key a SecretValue (an SSM parameter or a Secrets Manager secret)")
	}
	keys := make([]string, 0, len(props.Values))
	for k := range props.Values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var list []any
	for _, k := range keys {
		v := props.Values[k]
		if e := checkSecretValue(k, v); e != "" {
			n.AddError("%s", e)
			continue
		}
		entry := map[string]any{"Namespace": ns, "Name": props.Name, "Key": k}
		if v.SsmParameter != "" {
			entry["SsmParameter"] = v.SsmParameter
		} else {
			entry["SecretsManagerSecret"] = v.SecretsManagerSecret
		}
		if v.JSONKey != "" {
			entry["JsonKey"] = v.JSONKey
		}
		list = append(list, entry)
		grantSecretValue(m, KubectlProviderOf(props.Cluster), k, v)
	}
	if len(list) > 0 {
		m.Resource.AddPropertyOverride(SecretValuesProperty, list)
	}
	return s
}

// checkSecretValue returns the problem of one Secret value, or "".
func checkSecretValue(key string, v SecretValue) string {
	switch {
	case !secretDataKey.MatchString(key) || len(key) > validation.DNS1123SubdomainMaxLength:
		return fmt.Sprintf("Values key %q is not a valid Secret data key: use letters, digits, '-', '_' and '.' (at most 253)", key)
	case isTypedNil(v.EncryptionKey):
		return fmt.Sprintf("Values[%q].%s", key, nilRefMessage("EncryptionKey", v.EncryptionKey, "the AWS managed key"))
	case v.SsmParameter == "" && v.SecretsManagerSecret == "":
		return fmt.Sprintf("Values[%q] has no source: set SsmParameter or SecretsManagerSecret", key)
	case v.SsmParameter != "" && v.SecretsManagerSecret != "":
		return fmt.Sprintf("Values[%q] sets both SsmParameter %q and SecretsManagerSecret %q: set one", key, v.SsmParameter, v.SecretsManagerSecret)
	case v.SsmParameter != "" && !cdk.IsUnresolved(v.SsmParameter) && !ssmParameterName.MatchString(v.SsmParameter):
		return fmt.Sprintf("Values[%q].SsmParameter %q is not an SSM parameter name: letters, digits and . - _ /, with a leading / for a path (not an ARN)", key, v.SsmParameter)
	case strings.HasPrefix(v.SecretsManagerSecret, "arn:") && !secretsManagerArn.MatchString(v.SecretsManagerSecret):
		return fmt.Sprintf("Values[%q].SecretsManagerSecret %q is not a Secrets Manager secret ARN (arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6 characters>)", key, v.SecretsManagerSecret)
	case v.SecretsManagerSecret != "" && !cdk.IsUnresolved(v.SecretsManagerSecret) && !strings.HasPrefix(v.SecretsManagerSecret, "arn:") && !secretsManagerName.MatchString(v.SecretsManagerSecret):
		return fmt.Sprintf("Values[%q].SecretsManagerSecret %q is neither a secret ARN nor a secret name (letters, digits and /_+=.@!-)", key, v.SecretsManagerSecret)
	}
	return ""
}

var (
	ssmParameterName   = regexp.MustCompile(`^/?[a-zA-Z0-9_.\-]+(/[a-zA-Z0-9_.\-]+)*(:[0-9]+)?$`)
	secretsManagerArn  = regexp.MustCompile(`^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[a-zA-Z0-9/_+=.@!-]+$`)
	secretsManagerName = regexp.MustCompile(`^[a-zA-Z0-9/_+=.@!-]{1,512}$`)
)

// grantSecretValue lets the handler read one value: ssm:GetParameter on
// the parameter, or secretsmanager:GetSecretValue on the secret, and
// kms:Decrypt on its key.
func grantSecretValue(scope cdk.Construct, p IKubectlProvider, key string, v SecretValue) {
	role := p.HandlerRole()
	if role == nil {
		scope.Node().AddWarning("the kubectl handler's role is unknown, so it is not granted read access to the source of Values[%q]: set KubectlProviderAttributes.HandlerRole or grant it yourself", key)
		return
	}
	stack := cdk.StackOf(scope)
	var st *iam.PolicyStatement
	if name := v.SsmParameter; name != "" {
		if i := strings.LastIndex(name, ":"); i > 0 && !cdk.IsUnresolved(name) {
			name = name[:i] // a version or label selector
		}
		sep := "/"
		if !cdk.IsUnresolved(name) && strings.HasPrefix(name, "/") {
			sep = ""
		}
		st = iam.NewPolicyStatement(iam.PolicyStatementProps{
			Actions:   []string{"ssm:GetParameter"},
			Resources: []string{"arn:" + stack.Partition() + ":ssm:" + stack.Region() + ":" + stack.Account() + ":parameter" + sep + name},
		})
	} else {
		arn := v.SecretsManagerSecret
		if !strings.HasPrefix(arn, "arn:") && !cdk.IsUnresolved(arn) {
			arn = "arn:" + stack.Partition() + ":secretsmanager:" + stack.Region() + ":" + stack.Account() + ":secret:" + arn + "-??????"
		}
		st = iam.NewPolicyStatement(iam.PolicyStatementProps{
			Actions:   []string{"secretsmanager:GetSecretValue"},
			Resources: []string{arn},
		})
	}
	role.AddToPrincipalPolicy(st)
	if v.EncryptionKey != nil {
		v.EncryptionKey.Grant(role, "kms:Decrypt")
	}
}
