package kms

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/eksforge/eksforge/cdk"
	cfnkms "github.com/eksforge/eksforge/cfn/kms"
	"github.com/eksforge/eksforge/internal/nilref"
)

// AliasProps define an [Alias].
type AliasProps struct {
	// AliasName is the alias; "alias/" is prepended when missing. It must
	// not start with "alias/aws/" (reserved for AWS managed keys) and may
	// hold 1 to 256 of a-zA-Z0-9:/_-. Required.
	AliasName string
	// TargetKey is the key the alias points to. Required.
	TargetKey IKey
}

// Alias is a KMS alias (AWS::KMS::Alias).
type Alias struct {
	cdk.Base
	resource *cfnkms.CfnAlias
	target   IKey
}

var aliasPattern = regexp.MustCompile(`^[a-zA-Z0-9:/_-]{1,256}$`)

// NewAlias adds an alias to scope. A missing name or key panics; an invalid
// name is reported at synthesis.
func NewAlias(scope cdk.Construct, id string, props AliasProps) *Alias {
	a := &Alias{target: props.TargetKey}
	cdk.InitConstruct(a, scope, id)
	typedNils := nilref.Clear(&props, "AliasProps")
	for _, e := range typedNils {
		a.Node().AddError("%s: pass a value, or leave the field unset", e)
	}
	a.target = props.TargetKey
	if props.TargetKey == nil && len(typedNils) == 0 {
		panic(fmt.Sprintf("kms: alias %q needs AliasProps.TargetKey", a.Node().Path()))
	}
	name := props.AliasName
	if !cdk.IsUnresolved(name) {
		if !strings.HasPrefix(name, "alias/") {
			name = "alias/" + name
		}
		switch {
		case name == "alias/":
			a.Node().AddError("the alias name is empty: give a name such as \"alias/my-key\"")
		case strings.HasPrefix(strings.ToLower(name), "alias/aws/"):
			a.Node().AddError("alias %q starts with \"alias/aws/\", which is reserved for AWS managed keys; choose another name", name)
		case !aliasPattern.MatchString(name):
			a.Node().AddError("alias %q is invalid: it must be 1 to 256 characters of a-zA-Z0-9:/_-", name)
		}
	}
	a.resource = cfnkms.NewCfnAlias(a, "Resource", cfnkms.CfnAliasProps{AliasName: name, TargetKeyId: keyArnOrEmpty(props.TargetKey)})
	return a
}

// Resource is the AWS::KMS::Alias resource.
func (a *Alias) Resource() *cfnkms.CfnAlias { return a.resource }

// AliasName is the alias's name ({"Ref": alias}).
func (a *Alias) AliasName() string { return a.resource.Ref() }

// TargetKey is the key the alias points to.
func (a *Alias) TargetKey() IKey { return a.target }

// keyArnOrEmpty is the key's ARN, "" for a nil key (reported as an error).
func keyArnOrEmpty(k IKey) string {
	if k == nil {
		return ""
	}
	return k.KeyArn()
}
