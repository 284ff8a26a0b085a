package karpenter

import (
	"bytes"
	"encoding/json"
)

// The controller's permissions, as Karpenter's getting-started
// CloudFormation template (website/content/en/<version>/getting-started/
// getting-started-with-karpenter/cloudformation.yaml) gives them for
// versions 1.12 to 1.14: six managed policies, scoped to the cluster by the
// kubernetes.io/cluster/<name> and eks:eks-cluster-name tags, the
// karpenter.sh/nodepool and karpenter.k8s.aws/ec2nodeclass tags Karpenter
// puts on what it creates, the node role (iam:PassRole), the interruption
// queue and the cluster's ARN. Only reads that EC2, pricing and IAM cannot
// scope are on "*", restricted to the region where the API allows it.
//
// Condition keys contain the cluster's name, which is known only at deploy
// time when CloudFormation names the cluster; CloudFormation cannot make an
// object key from an intrinsic function, so each document is written as a
// JSON string (one Fn::Join), as Karpenter's template does with Fn::Sub.

// policyEnv holds the values the documents are built from; each may be a
// token.
type policyEnv struct {
	partition, region, account string
	clusterName, clusterArn    string
	nodeRoleArn, queueArn      string
}

// kv is one member of an ordered JSON object.
type kv struct {
	k string
	v any
}

// obj is a JSON object whose members keep their order, so the documents
// read in the order of Karpenter's template.
type obj []kv

// MarshalJSON writes the members in order.
func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := marshal(m.k)
		if err != nil {
			return nil, err
		}
		v, err := marshal(m.v)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshal is json.Marshal without HTML escaping, which would mangle
// nothing here but keeps documents byte-for-byte readable.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// statement is one policy statement.
func statement(sid string, resource, action any, condition obj) obj {
	s := obj{{"Sid", sid}, {"Effect", "Allow"}, {"Resource", resource}, {"Action", action}}
	if condition != nil {
		s = append(s, kv{"Condition", condition})
	}
	return s
}

// controllerPolicy is one of the controller's managed policies.
type controllerPolicy struct {
	// id is the construct id, the template's logical name.
	id         string
	statements []obj
}

// document renders the policy as a JSON string (holding tokens).
func (p controllerPolicy) document() string {
	b, err := marshal(obj{{"Version", "2012-10-17"}, {"Statement", p.statements}})
	if err != nil {
		panic("karpenter: policy " + p.id + ": " + err.Error()) // the documents are built here, never from user data
	}
	return string(b)
}

// controllerPolicies returns the policies of Karpenter 1.12 to 1.14.
func controllerPolicies(e policyEnv) []controllerPolicy {
	arn := func(service, region, account, resource string) string {
		return "arn:" + e.partition + ":" + service + ":" + region + ":" + account + ":" + resource
	}
	ec2 := func(account, resource string) string { return arn("ec2", e.region, account, resource) }
	clusterTag := "kubernetes.io/cluster/" + e.clusterName
	instanceProfiles := arn("iam", "", e.account, "instance-profile/*")
	launchable := []string{
		ec2("*", "fleet/*"), ec2("*", "instance/*"), ec2("*", "volume/*"),
		ec2("*", "network-interface/*"), ec2("*", "launch-template/*"), ec2("*", "spot-instances-request/*"),
	}
	ownedNodePool := obj{
		{"StringEquals", obj{{"aws:ResourceTag/" + clusterTag, "owned"}}},
		{"StringLike", obj{{"aws:ResourceTag/karpenter.sh/nodepool", "*"}}},
	}

	nodeLifecycle := controllerPolicy{id: "NodeLifecyclePolicy", statements: []obj{
		statement("AllowScopedEC2InstanceAccessActions", []string{
			ec2("", "image/*"), ec2("", "snapshot/*"), ec2("*", "security-group/*"), ec2("*", "subnet/*"),
			ec2("*", "capacity-reservation/*"), ec2("*", "placement-group/*"),
		}, []string{"ec2:RunInstances", "ec2:CreateFleet"}, nil),
		statement("AllowScopedEC2LaunchTemplateAccessActions", ec2("*", "launch-template/*"),
			[]string{"ec2:RunInstances", "ec2:CreateFleet"}, ownedNodePool),
		statement("AllowScopedEC2InstanceActionsWithTags", launchable,
			[]string{"ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"}, obj{
				{"StringEquals", obj{{"aws:RequestTag/" + clusterTag, "owned"}, {"aws:RequestTag/eks:eks-cluster-name", e.clusterName}}},
				{"StringLike", obj{{"aws:RequestTag/karpenter.sh/nodepool", "*"}}},
			}),
		statement("AllowScopedResourceCreationTagging", launchable, "ec2:CreateTags", obj{
			{"StringEquals", obj{
				{"aws:RequestTag/" + clusterTag, "owned"},
				{"aws:RequestTag/eks:eks-cluster-name", e.clusterName},
				{"ec2:CreateAction", []string{"RunInstances", "CreateFleet", "CreateLaunchTemplate"}},
			}},
			{"StringLike", obj{{"aws:RequestTag/karpenter.sh/nodepool", "*"}}},
		}),
		statement("AllowScopedResourceTagging", ec2("*", "instance/*"), "ec2:CreateTags", obj{
			{"StringEquals", obj{{"aws:ResourceTag/" + clusterTag, "owned"}}},
			{"StringLike", obj{{"aws:ResourceTag/karpenter.sh/nodepool", "*"}}},
			{"StringEqualsIfExists", obj{{"aws:RequestTag/eks:eks-cluster-name", e.clusterName}}},
			{"ForAllValues:StringEquals", obj{{"aws:TagKeys", []string{"eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"}}}},
		}),
		statement("AllowScopedDeletion", []string{ec2("*", "instance/*"), ec2("*", "launch-template/*")},
			[]string{"ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"}, ownedNodePool),
	}}

	regionTag := "topology.kubernetes.io/region"
	iamIntegration := controllerPolicy{id: "IAMIntegrationPolicy", statements: []obj{
		statement("AllowPassingInstanceRole", e.nodeRoleArn, "iam:PassRole", obj{
			{"StringEquals", obj{{"iam:PassedToService", []string{"ec2.amazonaws.com", "ec2.amazonaws.com.cn"}}}},
		}),
		statement("AllowScopedInstanceProfileCreationActions", instanceProfiles, []string{"iam:CreateInstanceProfile"}, obj{
			{"StringEquals", obj{
				{"aws:RequestTag/" + clusterTag, "owned"},
				{"aws:RequestTag/eks:eks-cluster-name", e.clusterName},
				{"aws:RequestTag/" + regionTag, e.region},
			}},
			{"StringLike", obj{{"aws:RequestTag/karpenter.k8s.aws/ec2nodeclass", "*"}}},
		}),
		statement("AllowScopedInstanceProfileTagActions", instanceProfiles, []string{"iam:TagInstanceProfile"}, obj{
			{"StringEquals", obj{
				{"aws:ResourceTag/" + clusterTag, "owned"},
				{"aws:ResourceTag/" + regionTag, e.region},
				{"aws:RequestTag/" + clusterTag, "owned"},
				{"aws:RequestTag/eks:eks-cluster-name", e.clusterName},
				{"aws:RequestTag/" + regionTag, e.region},
			}},
			{"StringLike", obj{
				{"aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass", "*"},
				{"aws:RequestTag/karpenter.k8s.aws/ec2nodeclass", "*"},
			}},
		}),
		statement("AllowScopedInstanceProfileActions", instanceProfiles,
			[]string{"iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"}, obj{
				{"StringEquals", obj{{"aws:ResourceTag/" + clusterTag, "owned"}, {"aws:ResourceTag/" + regionTag, e.region}}},
				{"StringLike", obj{{"aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass", "*"}}},
			}),
	}}

	eksIntegration := controllerPolicy{id: "EKSIntegrationPolicy", statements: []obj{
		statement("AllowAPIServerEndpointDiscovery", e.clusterArn, "eks:DescribeCluster", nil),
	}}

	interruption := controllerPolicy{id: "InterruptionPolicy", statements: []obj{
		statement("AllowInterruptionQueueActions", e.queueArn, []string{"sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"}, nil),
	}}

	zonalShift := controllerPolicy{id: "ZonalShiftPolicy", statements: []obj{
		statement("AllowZonalShiftStatusReadOnly", "*", []string{"arc-zonal-shift:GetManagedResource"}, obj{
			{"StringEquals", obj{{"arc-zonal-shift:ResourceIdentifier", e.clusterArn}}},
		}),
	}}

	discovery := controllerPolicy{id: "ResourceDiscoveryPolicy", statements: []obj{
		statement("AllowRegionalReadActions", "*", []string{
			"ec2:DescribeCapacityReservations", "ec2:DescribeImages", "ec2:DescribeInstances",
			"ec2:DescribeInstanceStatus", "ec2:DescribeInstanceTypeOfferings", "ec2:DescribeInstanceTypes",
			"ec2:DescribeLaunchTemplates", "ec2:DescribePlacementGroups", "ec2:DescribeSecurityGroups",
			"ec2:DescribeSpotPriceHistory", "ec2:DescribeSubnets",
		}, obj{{"StringEquals", obj{{"aws:RequestedRegion", e.region}}}}),
		statement("AllowSSMReadActions", arn("ssm", e.region, "", "parameter/aws/service/*"), "ssm:GetParameter", nil),
		statement("AllowPricingReadActions", "*", "pricing:GetProducts", nil),
		statement("AllowUnscopedInstanceProfileListAction", "*", "iam:ListInstanceProfiles", nil),
		statement("AllowInstanceProfileReadActions", instanceProfiles, "iam:GetInstanceProfile", nil),
	}}

	return []controllerPolicy{nodeLifecycle, iamIntegration, eksIntegration, interruption, zonalShift, discovery}
}
