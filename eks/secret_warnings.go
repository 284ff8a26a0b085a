package eks

import (
	"regexp"
	"sort"

	"github.com/eksforge/eksforge/cdk"
)

// secretAdvice is what the warnings about secrets in templates offer.
const secretAdvice = "anyone allowed cloudformation:GetTemplate (or to read the assets bucket) can read it. " +
	"Keep the secret in AWS Secrets Manager or an SSM SecureString parameter and make the Secret with eks.NewKubernetesSecret, " +
	"whose values the kubectl handler reads at deploy time, or let a controller in the cluster " +
	"(the Secrets Store CSI driver's AWS provider, or External Secrets) read it with a pod role (docs/guide/security.md)"

// warnSecretObjects warns, on scope, about every Secret among objects that
// carries data: its data would be written into the template (or the
// manifest's asset) in the clear.
func warnSecretObjects(scope cdk.Construct, objects []map[string]any) {
	for _, o := range objects {
		if o["kind"] != "Secret" || o["apiVersion"] != "v1" {
			continue
		}
		data, _ := o["data"].(map[string]any)
		str, _ := o["stringData"].(map[string]any)
		if len(data) == 0 && len(str) == 0 {
			continue
		}
		scope.Node().AddWarning("the manifest holds %s with data, which is written into the template: %s", describeObject(o), secretAdvice)
	}
}

// secretKey matches the names of Helm values that usually hold secrets.
var secretKey = regexp.MustCompile(`(?i)(passw(or)?d|secret|token|api[-_]?key|private[-_]?key|credential|auth[-_]?key)`)

// warnSecretValues warns, on scope, about Helm values whose key looks like a
// password or token and whose value is a literal string.
func warnSecretValues(scope cdk.Construct, values map[string]any) {
	var paths []string
	var walk func(v any, path string)
	walk = func(v any, path string) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				p := k
				if path != "" {
					p = path + "." + k
				}
				if s, ok := e.(string); ok && s != "" && !cdk.IsUnresolved(s) && secretKey.MatchString(k) {
					paths = append(paths, p)
					continue
				}
				walk(e, p)
			}
		case []any:
			for _, e := range x {
				walk(e, path+"[]")
			}
		}
	}
	walk(values, "")
	sort.Strings(paths)
	for _, p := range paths {
		scope.Node().AddWarning("the Helm value %s looks like a password or token, and Values are written into the template: %s", p, secretAdvice)
	}
}
