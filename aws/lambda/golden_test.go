package lambda_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/aws/lambda"
	"github.com/eksforge/eksforge/aws/logs"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/testenv/cfnlint"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

// The golden templates, with asset hashes normalized, and the real
// templates linted by cfn-lint.
func TestGoldenTemplates(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()

	// A Go function placed in the private subnets of a new VPC, with a log
	// group, a layer, a database it may reach and a rule that may invoke
	// it.
	_, s := synthtest.NewStack()
	vpc := ec2.NewVpc(s, "Vpc", ec2.VpcProps{MaxAzs: 2, NatGateways: cdk.Ptr(1)})
	db := ec2.NewSecurityGroup(s, "Database", ec2.SecurityGroupProps{Vpc: vpc, Description: "database"})
	fn := lambda.NewFunction(s, "Handler", lambda.FunctionProps{
		Code:                         lambda.CodeFromGoPackage(".", lambda.GoBuildOptions{Dir: helloModule(t), CacheDir: t.TempDir()}),
		Vpc:                          vpc,
		MemorySize:                   cdk.Mebibytes(256),
		Timeout:                      cdk.Seconds(30),
		Environment:                  map[string]string{"DB_HOST": "db.internal"},
		LogRetention:                 logs.RetentionTwoWeeks,
		ReservedConcurrentExecutions: cdk.Ptr(10),
		Description:                  "Go handler in a VPC",
		Layers: []lambda.ILayerVersion{lambda.NewLayerVersion(s, "Extensions", lambda.LayerVersionProps{
			Code:                    lambda.CodeFromAsset("testdata/code"),
			CompatibleRuntimes:      []lambda.Runtime{lambda.RuntimeProvidedAl2023},
			CompatibleArchitectures: []lambda.Architecture{lambda.ArchitectureArm64},
		})},
	})
	fn.Connections().AllowTo(db, ec2.PortTcp(5432), "to the database")
	fn.GrantInvoke(iam.NewServicePrincipal("events.amazonaws.com"))
	lint := []string{checkGolden(t, "go-function-vpc.template.json", s, dir)}

	// The parity stack (inline, asset and S3 code, permissions) is linted too.
	app2, s2 := synthtest.NewStack()
	buildParity(s2)
	asm, err := app2.Synth(cdk.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := asm.TemplateOf(s2)
	parity := filepath.Join(dir, "parity.template.json")
	if err := os.WriteFile(parity, body, 0o644); err != nil {
		t.Fatal(err)
	}
	lint = append(lint, parity)

	cfnlint.LintFiles(t, lint...)
}
