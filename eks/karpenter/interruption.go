package karpenter

import (
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	cfnevents "github.com/eksforge/eksforge/cfn/events"
	cfnsqs "github.com/eksforge/eksforge/cfn/sqs"
)

// interruptionRules are the EventBridge rules feeding the interruption
// queue: construct id and the event's detail-type (Karpenter's template).
var interruptionRules = []struct{ id, source, detailType string }{
	{"ScheduledChangeRule", "aws.health", "AWS Health Event"},
	{"SpotInterruptionRule", "aws.ec2", "EC2 Spot Instance Interruption Warning"},
	{"RebalanceRule", "aws.ec2", "EC2 Instance Rebalance Recommendation"},
	{"InstanceStateChangeRule", "aws.ec2", "EC2 Instance State-change Notification"},
	{"CapacityReservationInterruptionRule", "aws.ec2", "EC2 Capacity Reservation Instance Interruption Warning"},
}

// makeInterruptionQueue makes the queue Karpenter reads interruption
// events from: SQS-managed encryption, messages kept 5 minutes, only
// EventBridge and SQS may send, only over TLS; and the rules sending spot
// interruption warnings, rebalance recommendations, instance state changes,
// scheduled (AWS Health) events and capacity reservation interruptions.
func (k *Karpenter) makeInterruptionQueue() *cfnsqs.CfnQueue {
	q := cfnsqs.NewCfnQueue(k, "InterruptionQueue", cfnsqs.CfnQueueProps{
		MessageRetentionPeriod: cdk.Ptr(300),
		SqsManagedSseEnabled:   cdk.Ptr(true),
	})
	doc := iam.NewPolicyDocument(iam.PolicyDocumentProps{KeepStatements: true})
	doc.AddStatements(
		iam.NewPolicyStatement(iam.PolicyStatementProps{
			Sid:        "AllowEventBridgeAndSQS",
			Actions:    []string{"sqs:SendMessage"},
			Resources:  []string{q.AttrArn()},
			Principals: []iam.IPrincipal{iam.NewServicePrincipal("events.amazonaws.com"), iam.NewServicePrincipal("sqs.amazonaws.com")},
		}),
		iam.NewPolicyStatement(iam.PolicyStatementProps{
			Sid:        "DenyHTTP",
			Effect:     iam.EffectDeny,
			Actions:    []string{"sqs:*"},
			Resources:  []string{q.AttrArn()},
			Principals: []iam.IPrincipal{iam.NewAnyPrincipal()},
			Conditions: iam.Conditions{"Bool": map[string]any{"aws:SecureTransport": "false"}},
		}),
	)
	cfnsqs.NewCfnQueuePolicy(k, "InterruptionQueuePolicy", cfnsqs.CfnQueuePolicyProps{
		Queues:         []string{q.Ref()},
		PolicyDocument: doc,
	})
	for _, r := range interruptionRules {
		cfnevents.NewCfnRule(k, r.id, cfnevents.CfnRuleProps{
			Description: "Sends " + r.detailType + " events to Karpenter's interruption queue",
			EventPattern: map[string]any{
				"source":      []string{r.source},
				"detail-type": []string{r.detailType},
			},
			Targets: []cfnevents.CfnRuleTarget{{Id: "KarpenterInterruptionQueueTarget", Arn: q.AttrArn()}},
		})
	}
	return q
}
