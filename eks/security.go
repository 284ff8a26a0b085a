package eks

import "github.com/eksforge/eksforge/cdk"

// bootstrapCreatorAdmin is the cluster's BootstrapClusterCreatorAdminPermissions:
// what the user asked, else false whenever the cluster takes access entries,
// so that CloudFormation's role does not silently become a second
// cluster-admin next to the kubectl handler's access entry. It is decided
// when the cluster is defined, not when a handler is first needed: the
// property replaces the cluster when it changes. In CONFIG_MAP mode the
// creator is the only way in, so EKS's default (true) is kept.
func bootstrapCreatorAdmin(asked *bool, mode AuthenticationMode) *bool {
	if asked != nil {
		return asked
	}
	if mode == AuthenticationModeConfigMap {
		return nil
	}
	return cdk.Ptr(false)
}
