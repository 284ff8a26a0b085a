package customresources

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/eksforge/eksforge/cdk"
)

// genericType is the resource type of a custom resource without a
// ResourceType.
const genericType = "AWS::CloudFormation::CustomResource"

// CustomResourceProps define a [CustomResource].
type CustomResourceProps struct {
	// ServiceToken is the ARN of the provider: a Lambda function (such as
	// [Provider.ServiceToken]) or an SNS topic. Required.
	ServiceToken string
	// Properties are passed to the provider as ResourceProperties; values
	// may be tokens. CloudFormation hands every scalar to the provider as a
	// string.
	// Default: none.
	Properties map[string]any
	// ResourceType is the resource's type, "Custom::" followed by up to 52
	// of a-z, A-Z, 0-9, '_', '@' and '-' (60 characters in all). It names
	// the resource in the console and in diffs.
	// Default: "AWS::CloudFormation::CustomResource".
	ResourceType string
	// RemovalPolicy says whether CloudFormation asks the provider to delete
	// the resource when it leaves the stack or is replaced.
	// Default: cdk.RemovalPolicyDestroy.
	RemovalPolicy cdk.RemovalPolicy
	// PascalCaseProperties upper-cases the first letter of each top-level
	// property name ("bucketName" becomes "BucketName"), as the AWS CDK's
	// option does.
	// Default: false, names are passed as given.
	PascalCaseProperties bool
	// ServiceTimeout is how long CloudFormation waits for the provider's
	// answer, 1 second to 1 hour.
	// Default: CloudFormation's, 1 hour (not rendered).
	ServiceTimeout cdk.Duration
}

// CustomResource is a CloudFormation custom resource: a resource of type
// AWS::CloudFormation::CustomResource or Custom::<Name> whose lifecycle a
// provider implements. It renders as the AWS CDK's CustomResource does
// (ServiceToken first, then the properties; DeletionPolicy and
// UpdateReplacePolicy always written).
type CustomResource struct {
	cdk.Base
	resource *cdk.CfnResource
}

var customTypeName = regexp.MustCompile(`^[a-zA-Z0-9_@-]+$`)

// reservedProperties are set by the construct itself.
var reservedProperties = []string{"ServiceToken", "ServiceTimeout"}

// NewCustomResource adds a custom resource to scope. It panics when
// ServiceToken is empty; a bad ResourceType, ServiceTimeout or property name
// is a synthesis error.
func NewCustomResource(scope cdk.Construct, id string, props CustomResourceProps) *CustomResource {
	c := &CustomResource{}
	cdk.InitConstruct(c, scope, id)
	if props.ServiceToken == "" {
		panic(fmt.Sprintf("customresources: custom resource %q needs CustomResourceProps.ServiceToken, e.g. provider.ServiceToken()", c.Node().Path()))
	}
	typ := genericType
	if t := props.ResourceType; t != "" {
		typ = t
		if err := validateResourceType(t); err != nil {
			c.Node().AddError("%v", err)
		}
	}
	properties := map[string]any{"ServiceToken": props.ServiceToken}
	for k, v := range props.Properties {
		name := k
		if props.PascalCaseProperties {
			name = pascal(k)
		}
		for _, r := range reservedProperties {
			if name == r {
				c.Node().AddError("property %q is set by the custom resource itself; use CustomResourceProps.%s, or another name", k, r)
			}
		}
		properties[name] = v
	}
	if t := props.ServiceTimeout; !t.IsZero() {
		secs, err := t.ToSeconds()
		switch {
		case t.IsUnresolved():
			c.Node().AddError("ServiceTimeout must be known at synthesis (it is a token)")
		case err != nil || secs < 1 || secs > 3600:
			c.Node().AddError("ServiceTimeout is %s, but must be a whole number of seconds from 1 second to 1 hour", t.ToHumanString())
		default:
			// A string, as the AWS CDK renders it.
			properties["ServiceTimeout"] = strconv.Itoa(int(secs))
		}
	}
	c.resource = cdk.NewCfnResource(c, "Default", cdk.CfnResourceProps{Type: typ, Properties: properties})
	policy := props.RemovalPolicy
	if policy == "" {
		policy = cdk.RemovalPolicyDestroy
	}
	c.resource.ApplyRemovalPolicy(policy)
	return c
}

// validateResourceType checks a Custom:: type as CloudFormation (and the
// AWS CDK) do.
func validateResourceType(t string) error {
	if cdk.IsUnresolved(t) {
		return fmt.Errorf("ResourceType must be known at synthesis (it is a token)")
	}
	if !strings.HasPrefix(t, "Custom::") {
		return fmt.Errorf("ResourceType %q must begin with \"Custom::\", e.g. \"Custom::MyThing\"", t)
	}
	if len(t) > 60 {
		return fmt.Errorf("ResourceType %q is %d characters long; CloudFormation allows at most 60", t, len(t))
	}
	if name := strings.TrimPrefix(t, "Custom::"); !customTypeName.MatchString(name) {
		return fmt.Errorf("ResourceType %q: the name after \"Custom::\" must be 1 or more of a-z, A-Z, 0-9, '_', '@' and '-'", t)
	}
	return nil
}

// pascal upper-cases the first letter of s.
func pascal(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// Resource is the underlying CloudFormation resource ("Default", so the
// logical ID is the construct's own, as in the AWS CDK).
func (c *CustomResource) Resource() *cdk.CfnResource { return c.resource }

// Ref is the resource's physical ID ({"Ref": resource}), as the provider
// returned it.
func (c *CustomResource) Ref() string { return c.resource.Ref() }

// GetAtt is an attribute the provider returned in Data, as a reference
// ({"Fn::GetAtt": [resource, name]}).
func (c *CustomResource) GetAtt(name string) *cdk.Reference { return c.resource.GetAtt(name) }

// GetAttString is GetAtt as a string token.
func (c *CustomResource) GetAttString(name string) string { return c.resource.GetAttString(name) }
