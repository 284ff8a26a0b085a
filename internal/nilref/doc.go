// Package nilref finds typed nils in construct props: an interface field
// that holds a nil pointer (`var r *iam.Role; props.Role = r`) is not == nil,
// so a constructor that checks `props.Role == nil` goes on and crashes on
// the first method call. [Clear] reports such fields (and nil elements of
// slices of interfaces) and sets them to nil, so that the constructor
// records an error naming its construct path and carries on with the
// default instead of panicking.
//
// It is for the aws/* and eks packages' constructors, not for users.
package nilref
