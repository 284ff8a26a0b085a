package ssm

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/eksforge/eksforge/cdk"
	cfnssm "github.com/eksforge/eksforge/cfn/ssm"
)

// ParameterValueType is the type of a parameter's value, as CloudFormation
// validates it in AWS::SSM::Parameter::Value<…> template parameters.
type ParameterValueType string

// Value types of SSM template parameters.
const (
	ParameterValueTypeString                ParameterValueType = "String"
	ParameterValueTypeAwsEc2ImageId         ParameterValueType = "AWS::EC2::Image::Id"
	ParameterValueTypeAwsEc2InstanceId      ParameterValueType = "AWS::EC2::Instance::Id"
	ParameterValueTypeAwsEc2KeyPairName     ParameterValueType = "AWS::EC2::KeyPair::KeyName"
	ParameterValueTypeAwsEc2SecurityGroupId ParameterValueType = "AWS::EC2::SecurityGroup::Id"
	ParameterValueTypeAwsEc2SubnetId        ParameterValueType = "AWS::EC2::Subnet::Id"
	ParameterValueTypeAwsEc2VpcId           ParameterValueType = "AWS::EC2::VPC::Id"
)

// importedValueSuffix is the AWS CDK's constant in the ids of imported
// parameter values (makeIdentityForImportedValue).
const importedValueSuffix = "C96584B6-F00A-464E-AD19-53AFF4B05118"

// StringParameterValueForStringParameter returns the value of the SSM
// parameter name at deploy time, as a string token. Without a version it is
// a template parameter of type AWS::SSM::Parameter::Value<String> with
// Default name, created once per name in the stack of scope; with a version,
// a dynamic reference {{resolve:ssm:name:version}}.
func StringParameterValueForStringParameter(scope cdk.Construct, name string, version ...int) string {
	return StringParameterValueForTypedStringParameter(scope, name, ParameterValueTypeString, version...)
}

// StringParameterValueForTypedStringParameter is
// [StringParameterValueForStringParameter] with a typed value, e.g.
// ParameterValueTypeAwsEc2ImageId for an AMI ID, which CloudFormation then
// checks. The first request for a name in a stack decides the type.
func StringParameterValueForTypedStringParameter(scope cdk.Construct, name string, typ ParameterValueType, version ...int) string {
	if name == "" {
		panic(fmt.Sprintf("ssm: %q: the parameter name is empty", scope.Node().Path()))
	}
	if typ == "" {
		typ = ParameterValueTypeString
	}
	if len(version) > 0 {
		return "{{resolve:ssm:" + name + ":" + strconv.Itoa(version[0]) + "}}"
	}
	if cdk.IsUnresolved(name) {
		return "{{resolve:ssm:" + name + "}}"
	}
	stack := cdk.StackOf(scope)
	id := sanitizeID("SsmParameterValue:" + name + ":" + importedValueSuffix)
	if existing, ok := stack.Node().TryFindChild(id).(*importedParameter); ok {
		return existing.StringValue()
	}
	return newImportedParameter(stack, id, name, typ).StringValue()
}

// sanitizeID replaces "/", which separates construct paths, with "--", as
// the constructs library does with ids.
func sanitizeID(id string) string { return strings.ReplaceAll(id, "/", "--") }

// IStringParameter is a String parameter: one created here or an imported
// one.
type IStringParameter interface {
	cdk.Construct
	// ParameterName is the parameter's name.
	ParameterName() string
	// ParameterArn is the parameter's ARN.
	ParameterArn() string
	// ParameterType is "String".
	ParameterType() string
	// StringValue is the parameter's value at deploy time.
	StringValue() string
}

type importedParameter struct {
	cdk.Base
	scope cdk.Construct
	id    string
	name  string
	typ   ParameterValueType
	param *cdk.CfnParameter
}

func newImportedParameter(scope cdk.Construct, id, name string, typ ParameterValueType) *importedParameter {
	p := &importedParameter{scope: scope, id: id, name: name, typ: typ}
	cdk.InitConstruct(p, scope, id)
	return p
}

func (p *importedParameter) ParameterName() string { return p.name }
func (p *importedParameter) ParameterArn() string  { return parameterArnNoSep(p, p.name) }
func (p *importedParameter) ParameterType() string { return "String" }

// StringValue adds the template parameter on first use and returns its Ref.
func (p *importedParameter) StringValue() string {
	if p.param == nil {
		p.param = cdk.NewCfnParameter(p.scope, p.id+".Parameter", cdk.CfnParameterProps{
			Type:    "AWS::SSM::Parameter::Value<" + string(p.typ) + ">",
			Default: p.name,
		})
	}
	return p.param.ValueAsString()
}

// parameterArnNoSep is parameterArn with the ResourceName already holding
// its separator: FormatArn with the colon format would add ":".
func parameterArnNoSep(scope cdk.Construct, name string) string {
	sep := "/"
	if !cdk.IsUnresolved(name) && strings.HasPrefix(name, "/") {
		sep = ""
	}
	stack := cdk.StackOf(scope)
	return cdk.FormatArn(cdk.ArnComponents{
		Partition: stack.Partition(), Service: "ssm", Region: stack.Region(), Account: stack.Account(),
		Resource: "parameter" + sep + name, ArnFormat: cdk.ArnFormatNoResourceName,
	})
}

// StringParameterFromStringParameterName imports the String parameter
// name; its StringValue is a template parameter of type
// AWS::SSM::Parameter::Value<String> named "<id>.Parameter".
func StringParameterFromStringParameterName(scope cdk.Construct, id, name string) IStringParameter {
	if name == "" {
		panic(fmt.Sprintf("ssm: %q: StringParameterFromStringParameterName %q: the parameter name is empty", scope.Node().Path(), id))
	}
	return newImportedParameter(scope, id, name, ParameterValueTypeString)
}

// ParameterTier is the tier of a parameter.
type ParameterTier string

// Parameter tiers.
const (
	ParameterTierStandard           ParameterTier = "Standard"
	ParameterTierAdvanced           ParameterTier = "Advanced"
	ParameterTierIntelligentTiering ParameterTier = "Intelligent-Tiering"
)

// ParameterDataType is the data type of a String parameter.
type ParameterDataType string

// Parameter data types.
const (
	ParameterDataTypeText      ParameterDataType = "text"
	ParameterDataTypeAwsEc2Ami ParameterDataType = "aws:ec2:image"
)

// StringParameterProps configure a [StringParameter].
type StringParameterProps struct {
	// StringValue is the parameter's value. Required.
	StringValue string
	// ParameterName is the parameter's name.
	// Default: a name CloudFormation generates.
	ParameterName string
	// Description describes the parameter.
	// Default: none.
	Description string
	// AllowedPattern is a regular expression the value must match.
	// Default: none.
	AllowedPattern string
	// Tier is the parameter's tier.
	// Default: SSM's (Standard).
	Tier ParameterTier
	// DataType is the value's data type.
	// Default: SSM's ("text").
	DataType ParameterDataType
}

// StringParameter is an AWS::SSM::Parameter of type String.
type StringParameter struct {
	cdk.Base
	// Resource is the AWS::SSM::Parameter.
	Resource *cfnssm.CfnParameter
	props    StringParameterProps
}

var parameterNamePattern = regexp.MustCompile(`^[\w./-]+$`)

// NewStringParameter adds a String parameter to scope. A value that does
// not match AllowedPattern, or a malformed name, panics with the path.
func NewStringParameter(scope cdk.Construct, id string, props StringParameterProps) *StringParameter {
	p := &StringParameter{props: props}
	cdk.InitConstruct(p, scope, id)
	fail := func(format string, args ...any) {
		panic(fmt.Sprintf("ssm: StringParameter %q: ", p.Node().Path()) + fmt.Sprintf(format, args...))
	}
	if props.StringValue == "" {
		fail("StringValue is empty; SSM parameters need a value")
	}
	if props.AllowedPattern != "" && !cdk.IsUnresolved(props.StringValue) {
		re, err := regexp.Compile(props.AllowedPattern)
		if err != nil {
			fail("AllowedPattern %q is not a regular expression: %v", props.AllowedPattern, err)
		}
		if !re.MatchString(props.StringValue) {
			fail("StringValue %q does not match AllowedPattern %q", props.StringValue, props.AllowedPattern)
		}
	}
	if n := props.ParameterName; n != "" && !cdk.IsUnresolved(n) {
		if len(n) > 2048 || !parameterNamePattern.MatchString(n) {
			fail("ParameterName %q is invalid: use at most 2048 letters, digits and . _ - /", n)
		}
	}
	p.Resource = cfnssm.NewCfnParameter(p, "Resource", cfnssm.CfnParameterProps{
		Type:           "String",
		Value:          props.StringValue,
		Name:           props.ParameterName,
		Description:    props.Description,
		AllowedPattern: props.AllowedPattern,
		Tier:           string(props.Tier),
		DataType:       string(props.DataType),
	})
	return p
}

// ParameterName is the parameter's name ({"Ref": parameter}).
func (p *StringParameter) ParameterName() string { return p.Resource.Ref() }

// ParameterArn is the parameter's ARN, made from its Ref as the AWS CDK
// makes it (so that users of the ARN wait for the parameter).
func (p *StringParameter) ParameterArn() string {
	stack := cdk.StackOf(p)
	sep := "/"
	if n := p.props.ParameterName; n != "" && !cdk.IsUnresolved(n) && strings.HasPrefix(n, "/") {
		sep = ""
	}
	return cdk.FormatArn(cdk.ArnComponents{
		Partition: stack.Partition(), Service: "ssm", Region: stack.Region(), Account: stack.Account(),
		Resource: "parameter" + sep + p.ParameterName(), ArnFormat: cdk.ArnFormatNoResourceName,
	})
}

// ParameterType is "String".
func (p *StringParameter) ParameterType() string { return "String" }

// StringValue is the parameter's value (Fn::GetAtt Value).
func (p *StringParameter) StringValue() string { return p.Resource.GetAttString("Value") }
