package kubectl

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// SecretValuesProperty lists, on a manifest resource, the values of its
// Secrets that the handler reads at deploy time (eks.NewKubernetesSecret):
// a JSON list of [SecretValueSource].
const SecretValuesProperty = "SecretValues"

// SecretValueSource is one value of a Secret in the manifest, read by the
// handler from SSM Parameter Store or Secrets Manager before it applies
// the manifest. The value goes into the Secret's data and nowhere else: it
// is not logged, not answered to CloudFormation, and errors about it name
// the source and the Secret, never the value.
type SecretValueSource struct {
	// Namespace and Name identify the Secret in the manifest.
	Namespace string `json:"Namespace"`
	Name      string `json:"Name"`
	// Key is the data key the value is written to.
	Key string `json:"Key"`
	// SsmParameter is a parameter name (optionally with ":<version>"),
	// read with decryption.
	SsmParameter string `json:"SsmParameter,omitempty"`
	// SecretsManagerSecret is a secret's ARN or name; its AWSCURRENT
	// string value is read.
	SecretsManagerSecret string `json:"SecretsManagerSecret,omitempty"`
	// JSONKey picks a string from a value that is a JSON object.
	JSONKey string `json:"JsonKey,omitempty"`
}

func (s SecretValueSource) source() string {
	src := "SSM parameter " + s.SsmParameter
	if s.SecretsManagerSecret != "" {
		src = "Secrets Manager secret " + s.SecretsManagerSecret
	}
	if s.JSONKey != "" {
		src += " (JSON key " + s.JSONKey + ")"
	}
	return src
}

// resolveSecretValues reads the SecretValues of p and writes each into its
// Secret among objs (data, base64).
func (h *Handler) resolveSecretValues(ctx context.Context, p props, objs []*unstructured.Unstructured) error {
	var sources []SecretValueSource
	if ok, err := p.decode(SecretValuesProperty, &sources); err != nil || !ok {
		return err
	}
	for _, s := range sources {
		obj := findSecret(objs, s.Namespace, s.Name)
		if obj == nil {
			return fmt.Errorf("%s names Secret %s/%s, which the manifest does not hold", SecretValuesProperty, s.Namespace, s.Name)
		}
		v, err := h.readSecretValue(ctx, s)
		if err != nil {
			return fmt.Errorf("unable to read the value of Secret %s/%s key %s: %w", s.Namespace, s.Name, s.Key, err)
		}
		data, _ := obj.Object["data"].(map[string]any)
		if data == nil {
			data = map[string]any{}
			obj.Object["data"] = data
		}
		data[s.Key] = base64.StdEncoding.EncodeToString([]byte(v))
	}
	return nil
}

func findSecret(objs []*unstructured.Unstructured, ns, name string) *unstructured.Unstructured {
	for _, o := range objs {
		if o.GetKind() == "Secret" && o.GetAPIVersion() == "v1" && o.GetName() == name && (o.GetNamespace() == ns || o.GetNamespace() == "" && ns == "default") {
			return o
		}
	}
	return nil
}

// readSecretValue reads one value. Its errors never quote the value.
func (h *Handler) readSecretValue(ctx context.Context, s SecretValueSource) (string, error) {
	var v string
	switch {
	case s.SsmParameter != "":
		out, err := ssm.NewFromConfig(h.AWS).GetParameter(ctx, &ssm.GetParameterInput{Name: &s.SsmParameter, WithDecryption: aws.Bool(true)})
		if err != nil {
			return "", fmt.Errorf("ssm:GetParameter %s: %w", s.SsmParameter, err)
		}
		if out.Parameter == nil || out.Parameter.Value == nil {
			return "", fmt.Errorf("SSM parameter %s has no value", s.SsmParameter)
		}
		v = *out.Parameter.Value
	case s.SecretsManagerSecret != "":
		opts := func(o *secretsmanager.Options) {
			if parts := strings.Split(s.SecretsManagerSecret, ":"); len(parts) > 3 && parts[0] == "arn" && parts[3] != "" {
				o.Region = parts[3] // a secret of another region
			}
		}
		out, err := secretsmanager.NewFromConfig(h.AWS, opts).GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: &s.SecretsManagerSecret})
		if err != nil {
			return "", fmt.Errorf("secretsmanager:GetSecretValue %s: %w", s.SecretsManagerSecret, err)
		}
		switch {
		case out.SecretString != nil:
			v = *out.SecretString
		case out.SecretBinary != nil:
			v = string(out.SecretBinary)
		default:
			return "", fmt.Errorf("the Secrets Manager secret %s has no value", s.SecretsManagerSecret)
		}
	default:
		return "", errors.New("the source names neither SsmParameter nor SecretsManagerSecret")
	}
	if s.JSONKey == "" {
		return v, nil
	}
	var m map[string]any
	if json.Unmarshal([]byte(v), &m) != nil { // the decoder's error may quote the value
		return "", fmt.Errorf("the value of %s is not a JSON object, so JSON key %s cannot be read", s.source(), s.JSONKey)
	}
	x, ok := m[s.JSONKey]
	if !ok {
		return "", fmt.Errorf("the value of %s has no JSON key %s", s.source(), s.JSONKey)
	}
	str, ok := x.(string)
	if !ok {
		return "", fmt.Errorf("JSON key %s of %s is not a string", s.JSONKey, s.source())
	}
	return str, nil
}
