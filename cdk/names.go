package cdk

import "github.com/eksforge/eksforge/internal/uniqueid"

// UniqueID returns a name for c that is unique in the app, made from its
// path with the AWS CDK's algorithm (Names.uniqueId): alphanumerics of the
// path components followed by a hash of the path. Library constructs use it
// for names that must not collide, such as Helm release names.
func UniqueID(c Construct) string {
	var ids []string
	for _, s := range c.Node().Scopes()[1:] {
		ids = append(ids, s.Node().ID())
	}
	if len(ids) == 0 {
		return ""
	}
	return uniqueID(ids)
}

// ResourceNameOptions tune [UniqueResourceName].
type ResourceNameOptions struct {
	// MaxLength is the longest name returned.
	// Default: 256.
	MaxLength int
	// Separator goes between path components.
	// Default: none.
	Separator string
	// AllowedSpecialCharacters lists characters kept besides letters and
	// digits, e.g. "-_".
	// Default: none.
	AllowedSpecialCharacters string
}

// UniqueResourceName returns a physical name for c made from its path and a
// hash, within the given limits (the AWS CDK's Names.uniqueResourceName),
// for resources whose names must be unique in an account.
func UniqueResourceName(c Construct, opts ResourceNameOptions) string {
	// From the innermost top-level stack down, that stack standing for its
	// stack name (Names.uniqueResourceName).
	scopes := c.Node().Scopes()
	last := 0
	for i, s := range scopes {
		if sh, ok := s.(stackHolder); ok && sh.cdkStack().nestedParent == nil {
			last = i
		}
	}
	var ids []string
	for _, s := range scopes[last:] {
		if sh, ok := s.(stackHolder); ok && sh.cdkStack().nestedParent == nil {
			ids = append(ids, sh.cdkStack().stackName)
			continue
		}
		ids = append(ids, s.Node().ID())
	}
	return uniqueid.MakeUniqueResourceName(ids, uniqueid.ResourceNameOptions{
		MaxLength:                opts.MaxLength,
		Separator:                opts.Separator,
		AllowedSpecialCharacters: opts.AllowedSpecialCharacters,
	})
}
