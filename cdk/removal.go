package cdk

import "fmt"

// RemovalPolicy says what happens to a resource's physical resource when it
// is removed from its stack, replaced, or its stack is deleted.
type RemovalPolicy string

// Removal policies, as in the AWS CDK.
const (
	// RemovalPolicyDestroy deletes the physical resource.
	RemovalPolicyDestroy RemovalPolicy = "destroy"
	// RemovalPolicyRetain keeps it, orphaned from the stack.
	RemovalPolicyRetain RemovalPolicy = "retain"
	// RemovalPolicySnapshot deletes it after taking a snapshot (for
	// resources that support snapshots).
	RemovalPolicySnapshot RemovalPolicy = "snapshot"
	// RemovalPolicyRetainOnUpdateOrDelete keeps it on replacement and on
	// delete, but deletes it when its creation is rolled back.
	RemovalPolicyRetainOnUpdateOrDelete RemovalPolicy = "retain-on-update-or-delete"
)

func (p RemovalPolicy) policies() (deletion, updateReplace string, err error) {
	switch p {
	case RemovalPolicyDestroy:
		return "Delete", "Delete", nil
	case RemovalPolicyRetain:
		return "Retain", "Retain", nil
	case RemovalPolicySnapshot:
		return "Snapshot", "Snapshot", nil
	case RemovalPolicyRetainOnUpdateOrDelete:
		return "RetainExceptOnCreate", "Retain", nil
	}
	return "", "", fmt.Errorf("unknown removal policy %q: use one of cdk.RemovalPolicyDestroy, RemovalPolicyRetain, RemovalPolicySnapshot, RemovalPolicyRetainOnUpdateOrDelete", string(p))
}
