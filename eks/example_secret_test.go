package eks_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/eks"
)

// A database password kept in SSM Parameter Store (a SecureString) and the
// user name from an RDS-managed Secrets Manager secret become a Kubernetes
// Secret at deploy time: the template holds where the values are, never
// the values, and the kubectl handler may read those two sources only.
func ExampleNewKubernetesSecret() {
	app := cdk.NewApp(cdk.AppProps{})
	stack := cdk.NewStack(app, "Stack", cdk.StackProps{Env: cdk.Environment{Account: "123456789012", Region: "eu-west-1"}})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34, DefaultCapacity: cdk.Ptr(0)})
	eks.NewKubernetesSecret(stack, "DbCredentials", eks.KubernetesSecretProps{
		Cluster:   cluster,
		Name:      "db-credentials",
		Namespace: "shop",
		Values: map[string]eks.SecretValue{
			"password": {SsmParameter: "/shop/db/password"},
			"username": {SecretsManagerSecret: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1a2b-AbCdEf", JSONKey: "username"},
		},
	})

	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := asm.TemplateOf(stack)
	var tmpl struct {
		Resources map[string]struct {
			Type       string
			Properties map[string]any
		}
	}
	_ = json.Unmarshal(body, &tmpl)
	var lines []string
	for _, r := range tmpl.Resources {
		switch r.Type {
		case eks.KubernetesManifestResourceType:
			v, _ := json.Marshal(r.Properties[eks.SecretValuesProperty])
			lines = append(lines, fmt.Sprint("Manifest: ", r.Properties["Manifest"]), "SecretValues: "+string(v))
		case "AWS::IAM::Policy":
			for _, st := range r.Properties["PolicyDocument"].(map[string]any)["Statement"].([]any) {
				st := st.(map[string]any)
				if a, _ := st["Action"].(string); a == "ssm:GetParameter" || a == "secretsmanager:GetSecretValue" {
					lines = append(lines, fmt.Sprint(a, " ", st["Resource"]))
				}
			}
		}
	}
	sort.Strings(lines)
	fmt.Println(strings.Join(lines, "\n"))
	// Output:
	// Manifest: [{"apiVersion":"v1","kind":"Secret","metadata":{"labels":{"aws.cdk.eks/prune-c801819ac04303caf42d8cff358d81f961794cfee0":""},"name":"db-credentials","namespace":"shop"},"type":"Opaque"}]
	// SecretValues: [{"Key":"password","Name":"db-credentials","Namespace":"shop","SsmParameter":"/shop/db/password"},{"JsonKey":"username","Key":"username","Name":"db-credentials","Namespace":"shop","SecretsManagerSecret":"arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1a2b-AbCdEf"}]
	// secretsmanager:GetSecretValue arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1a2b-AbCdEf
	// ssm:GetParameter arn:aws:ssm:eu-west-1:123456789012:parameter/shop/db/password
}
