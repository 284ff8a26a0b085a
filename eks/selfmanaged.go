package eks

import "github.com/eksforge/eksforge/aws/ec2"

// capacityGroup is the self-managed Auto Scaling group type (filled when
// aws/autoscaling lands).
type capacityGroup = any

func (c *Cluster) addDefaultAutoScalingGroup(it ec2.InstanceType, n int) capacityGroup {
	c.Node().AddError("DefaultCapacityTypeEC2 is not available yet")
	return nil
}
