package eks

import (
	"github.com/eksforge/eksforge/aws/iam"
)

// AuthorizeNodeRole lets EC2 instances with role join the cluster as
// nodes, as capacity that launches its own instances needs (self-managed
// Auto Scaling groups, Karpenter): in the modes with access entries an
// EC2_LINUX access entry (id under the cluster, made once per role; a
// second call for the same role returns the first entry), and in the
// modes reading the aws-auth ConfigMap a mapping to system:bootstrappers
// and system:nodes. It returns the access entry, or nil in CONFIG_MAP
// mode. Managed node groups and Fargate profiles need none of this: EKS
// maps their roles itself.
//
// A nil or typed-nil role is a synthesis error on the cluster (and nil is
// returned); a nil cluster panics with a message, as required clusters do.
func AuthorizeNodeRole(c ICluster, id string, role iam.IRole) *AccessEntry {
	requiredCluster("eks.AuthorizeNodeRole", "the cluster", c)
	if isNil(role) {
		c.Node().AddError("AuthorizeNodeRole(%q): the role %s: pass the IAM role of the nodes' instances", id, describeNil(role))
		return nil
	}
	mode := c.AuthenticationMode()
	in := c.internals()
	var entry *AccessEntry
	if mode != AuthenticationModeConfigMap {
		if e, ok := in.accessEntries[role.RoleArn()]; ok {
			entry = e
		} else {
			// NewAccessEntry registers itself as the role's entry.
			entry = NewAccessEntry(c, id, AccessEntryProps{Cluster: c, Principal: role.RoleArn(), AccessEntryType: AccessEntryTypeEc2Linux})
		}
	}
	if mode != AuthenticationModeApi {
		in.addRoleMapping(AwsAuthRoleMapping{Role: role, Username: "system:node:{{EC2PrivateDNSName}}", Groups: []string{"system:bootstrappers", "system:nodes"}})
	}
	return entry
}

// AutoModeEnabled reports whether c runs EKS Auto Mode
// (DefaultCapacityTypeAutoMode), whose built-in Karpenter manages nodes.
// It is false for imported clusters, whose configuration is not known.
func AutoModeEnabled(c ICluster) bool {
	oc, ok := c.(*Cluster)
	return ok && oc.props.DefaultCapacityType == DefaultCapacityTypeAutoMode
}
