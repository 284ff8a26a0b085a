package eks

import "github.com/eksforge/eksforge/aws/iam"

// grantLoadBalancerChecks lets the kubectl handler list ELBv2 load
// balancers and their tags: on Delete it waits until the load balancers of
// the Services, Ingresses and Gateways it deleted are gone, so that the
// node groups and the VPC's subnets deleted after them are not blocked by
// a load balancer (and its ENIs) still being torn down
// (docs/custom-resources.md, "Teardown order"). Neither action supports
// resource-level permissions.
func grantLoadBalancerChecks(role iam.IRole) {
	role.AddToPrincipalPolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{
		Actions:   []string{"elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeTags"},
		Resources: []string{"*"},
	}))
}
