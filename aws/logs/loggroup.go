package logs

import (
	"fmt"
	"regexp"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/aws/kms"
	"github.com/eksforge/eksforge/cdk"
	cfnlogs "github.com/eksforge/eksforge/cfn/logs"
)

// RetentionDays is how long CloudWatch Logs keeps log events. The zero
// value means "not set" (the construct's documented default); use
// [RetentionInfinite] to keep events forever.
type RetentionDays int

// The retention periods CloudWatch Logs accepts, named as in the AWS CDK.
const (
	RetentionOneDay         RetentionDays = 1
	RetentionThreeDays      RetentionDays = 3
	RetentionFiveDays       RetentionDays = 5
	RetentionOneWeek        RetentionDays = 7
	RetentionTwoWeeks       RetentionDays = 14
	RetentionOneMonth       RetentionDays = 30
	RetentionTwoMonths      RetentionDays = 60
	RetentionThreeMonths    RetentionDays = 90
	RetentionFourMonths     RetentionDays = 120
	RetentionFiveMonths     RetentionDays = 150
	RetentionSixMonths      RetentionDays = 180
	RetentionOneYear        RetentionDays = 365
	RetentionThirteenMonths RetentionDays = 400
	RetentionEighteenMonths RetentionDays = 545
	RetentionTwoYears       RetentionDays = 731
	RetentionThreeYears     RetentionDays = 1096
	RetentionFiveYears      RetentionDays = 1827
	RetentionSixYears       RetentionDays = 2192
	RetentionSevenYears     RetentionDays = 2557
	RetentionEightYears     RetentionDays = 2922
	RetentionNineYears      RetentionDays = 3288
	RetentionTenYears       RetentionDays = 3653
	// RetentionInfinite keeps log events forever (no RetentionInDays).
	RetentionInfinite RetentionDays = 9999
)

var validRetention = map[RetentionDays]bool{
	1: true, 3: true, 5: true, 7: true, 14: true, 30: true, 60: true, 90: true, 120: true, 150: true,
	180: true, 365: true, 400: true, 545: true, 731: true, 1096: true, 1827: true, 2192: true,
	2557: true, 2922: true, 3288: true, 3653: true, 9999: true,
}

// Valid reports whether r is one of the periods CloudWatch Logs accepts (or
// RetentionInfinite).
func (r RetentionDays) Valid() bool { return validRetention[r] }

// LogGroupProps configure a [LogGroup].
type LogGroupProps struct {
	// LogGroupName is the group's name. A name prevents replacing the group.
	// Default: a name CloudFormation generates.
	LogGroupName string
	// Retention is how long events are kept.
	// Default: RetentionTwoYears, as the AWS CDK.
	Retention RetentionDays
	// RemovalPolicy says what happens to the group (and its events) when it
	// leaves the stack.
	// Default: cdk.RemovalPolicyRetain, as the AWS CDK.
	RemovalPolicy cdk.RemovalPolicy
	// EncryptionKey encrypts the group's events with a customer managed
	// KMS key. A key made in the app (kms.NewKey) gets a key policy
	// statement letting CloudWatch Logs of the stack's Region use it for the
	// account's log groups; an imported key's policy must already allow it.
	// Default: CloudWatch Logs' own encryption.
	EncryptionKey kms.IKey
}

// LogGroup is an AWS::Logs::LogGroup.
type LogGroup struct {
	cdk.Base
	resource *cfnlogs.CfnLogGroup
}

var logGroupName = regexp.MustCompile(`^[\.\-_/#A-Za-z0-9]+$`)

// NewLogGroup adds a log group to scope.
func NewLogGroup(scope cdk.Construct, id string, props LogGroupProps) *LogGroup {
	g := &LogGroup{}
	cdk.InitConstruct(g, scope, id)
	retention := props.Retention
	if retention == 0 {
		retention = RetentionTwoYears
	}
	cfnProps := cfnlogs.CfnLogGroupProps{LogGroupName: props.LogGroupName}
	if k := props.EncryptionKey; k != nil {
		cfnProps.KmsKeyId = k.KeyArn()
		allowLogsToUse(k)
	}
	switch {
	case !retention.Valid():
		g.Node().AddError("Retention is %d days, which CloudWatch Logs does not accept; use one of the logs.Retention… constants (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653 days, or RetentionInfinite)", int(retention))
	case retention != RetentionInfinite:
		cfnProps.RetentionInDays = cdk.Ptr(int(retention))
	}
	if n := props.LogGroupName; n != "" && !cdk.IsUnresolved(n) {
		if len(n) > 512 || !logGroupName.MatchString(n) {
			g.Node().AddError("LogGroupName %q must be 1 to 512 characters of a-z, A-Z, 0-9, '.', '-', '_', '/' and '#'", n)
		}
	}
	g.resource = cfnlogs.NewCfnLogGroup(g, "Resource", cfnProps)
	policy := props.RemovalPolicy
	if policy == "" {
		policy = cdk.RemovalPolicyRetain
	}
	g.resource.ApplyRemovalPolicy(policy)
	return g
}

// allowLogsToUse lets CloudWatch Logs of the key's Region use key for the
// log groups of its account, as CloudWatch Logs documents it.
func allowLogsToUse(key kms.IKey) {
	stack := cdk.StackOf(key)
	region, account, partition := stack.Region(), stack.Account(), stack.Partition()
	key.AddToResourcePolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{
		Principals: []iam.IPrincipal{iam.NewServicePrincipal("logs." + region + ".amazonaws.com")},
		Actions:    []string{"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"},
		Resources:  []string{"*"},
		Conditions: iam.Conditions{"ArnLike": map[string]any{"kms:EncryptionContext:aws:logs:arn": "arn:" + partition + ":logs:" + region + ":" + account + ":log-group:*"}},
	}))
}

// Resource is the AWS::Logs::LogGroup resource.
func (g *LogGroup) Resource() *cfnlogs.CfnLogGroup { return g.resource }

// LogGroupName is the group's name ({"Ref": group}).
func (g *LogGroup) LogGroupName() string { return g.resource.Ref() }

// LogGroupArn is the group's ARN ({"Fn::GetAtt": [group, "Arn"]}), which
// ends in ":*".
func (g *LogGroup) LogGroupArn() string { return g.resource.AttrArn() }

// String returns the construct path.
func (g *LogGroup) String() string { return fmt.Sprint(g.Node().Path()) }
