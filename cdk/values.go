package cdk

// Ptr returns a pointer to v. Typed resources use pointers for numbers and
// booleans, where zero and false are real choices distinct from "unset":
//
//	MinSize: cdk.Ptr(0)
func Ptr[T any](v T) *T { return &v }

// CfnTag is a CloudFormation tag, {"Key": k, "Value": v}.
type CfnTag struct {
	// Key is the tag's key.
	Key string
	// Value is the tag's value.
	Value string
}
