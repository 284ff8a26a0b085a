package lambda

import (
	"fmt"
	"regexp"

	"github.com/eksforge/eksforge/cdk"
	cfnlambda "github.com/eksforge/eksforge/cfn/lambda"
)

// ILayerVersion is a Lambda layer version: one defined here
// ([LayerVersion]) or an imported one ([LayerVersionFromLayerVersionArn]).
type ILayerVersion interface {
	cdk.Construct
	// LayerVersionArn is the ARN of the layer version.
	LayerVersionArn() string
	// CompatibleRuntimes are the runtimes the layer supports; empty when
	// unknown (any).
	CompatibleRuntimes() []Runtime
	// CompatibleArchitectures are the architectures the layer supports;
	// empty when unknown (any).
	CompatibleArchitectures() []Architecture
}

// LayerVersionProps define a [LayerVersion].
type LayerVersionProps struct {
	// Code is the layer's content. Required.
	Code Code
	// CompatibleRuntimes are the runtimes the layer supports (at most 15).
	// Functions with another runtime cannot use it.
	// Default: any runtime (not rendered).
	CompatibleRuntimes []Runtime
	// CompatibleArchitectures are the architectures the layer supports.
	// Go code in a layer is built for the first one.
	// Default: any architecture (not rendered); Go code is built for arm64.
	CompatibleArchitectures []Architecture
	// Description of the layer version.
	// Default: none.
	Description string
	// License is the layer's license: an SPDX identifier ("MIT"), a URL or
	// the license text (at most 512 characters).
	// Default: none.
	License string
	// LayerVersionName is the layer's name.
	// Default: a name CloudFormation generates.
	LayerVersionName string
	// RemovalPolicy says what happens to the layer version when it leaves
	// the stack.
	// Default: cdk.RemovalPolicyDestroy (not rendered).
	RemovalPolicy cdk.RemovalPolicy
}

// LayerVersion is an AWS::Lambda::LayerVersion.
type LayerVersion struct {
	cdk.Base
	resource *cfnlambda.CfnLayerVersion
	runtimes []Runtime
	archs    []Architecture
}

var layerNamePattern = regexp.MustCompile(`^[a-zA-Z0-9\-_]+$`)

// NewLayerVersion adds a layer version to scope. It panics when Code is
// nil; limits are checked at synthesis.
func NewLayerVersion(scope cdk.Construct, id string, props LayerVersionProps) *LayerVersion {
	l := &LayerVersion{runtimes: props.CompatibleRuntimes, archs: props.CompatibleArchitectures}
	cdk.InitConstruct(l, scope, id)
	if props.Code == nil {
		panic(fmt.Sprintf("lambda: layer %q needs LayerVersionProps.Code", l.Node().Path()))
	}
	if len(props.CompatibleRuntimes) > 15 {
		l.Node().AddError("CompatibleRuntimes lists %d runtimes; Lambda allows at most 15", len(props.CompatibleRuntimes))
	}
	if len(props.License) > 512 {
		l.Node().AddError("License is %d characters long; Lambda allows at most 512", len(props.License))
	}
	if n := props.LayerVersionName; n != "" && !cdk.IsUnresolved(n) && (len(n) > 140 || !layerNamePattern.MatchString(n)) {
		l.Node().AddError("LayerVersionName %q must be 1 to 140 characters of a-z, A-Z, 0-9, '-' and '_'", n)
	}
	var arch Architecture
	if len(props.CompatibleArchitectures) > 0 {
		arch = props.CompatibleArchitectures[0]
	}
	code := props.Code.Bind(l, CodeBindOptions{Architecture: arch})
	if code.S3Location == nil {
		panic(fmt.Sprintf("lambda: layer %q: inline code cannot be used for a layer; use CodeFromAsset, CodeFromBucket or CodeFromGoPackage", l.Node().Path()))
	}
	cfnProps := cfnlambda.CfnLayerVersionProps{
		Content: &cfnlambda.CfnLayerVersionContent{
			S3Bucket: code.S3Location.BucketName, S3Key: code.S3Location.ObjectKey, S3ObjectVersion: code.S3Location.ObjectVersion,
		},
		Description: props.Description,
		LicenseInfo: props.License,
		LayerName:   props.LayerVersionName,
	}
	for _, r := range props.CompatibleRuntimes {
		cfnProps.CompatibleRuntimes = append(cfnProps.CompatibleRuntimes, string(r))
	}
	for _, a := range props.CompatibleArchitectures {
		cfnProps.CompatibleArchitectures = append(cfnProps.CompatibleArchitectures, string(a))
	}
	l.resource = cfnlambda.NewCfnLayerVersion(l, "Resource", cfnProps)
	if props.RemovalPolicy != "" {
		l.resource.ApplyRemovalPolicy(props.RemovalPolicy)
	}
	props.Code.BindToResource(&l.resource.CfnResource, ResourceBindOptions{ResourceProperty: "Content"})
	return l
}

// Resource is the AWS::Lambda::LayerVersion resource.
func (l *LayerVersion) Resource() *cfnlambda.CfnLayerVersion { return l.resource }

// LayerVersionArn is the layer version's ARN ({"Ref": layer}).
func (l *LayerVersion) LayerVersionArn() string { return l.resource.Ref() }

// CompatibleRuntimes are the runtimes the layer supports.
func (l *LayerVersion) CompatibleRuntimes() []Runtime { return append([]Runtime(nil), l.runtimes...) }

// CompatibleArchitectures are the architectures the layer supports.
func (l *LayerVersion) CompatibleArchitectures() []Architecture {
	return append([]Architecture(nil), l.archs...)
}

// importedLayer is a layer version known by ARN.
type importedLayer struct {
	cdk.Base
	arn      string
	runtimes []Runtime
}

// LayerVersionFromLayerVersionArn imports a layer version by ARN. Its
// compatible runtimes, when given, are checked against the functions using
// it.
func LayerVersionFromLayerVersionArn(scope cdk.Construct, id, arn string, compatibleRuntimes ...Runtime) ILayerVersion {
	l := &importedLayer{arn: arn, runtimes: compatibleRuntimes}
	cdk.InitConstruct(l, scope, id)
	return l
}

func (l *importedLayer) LayerVersionArn() string                 { return l.arn }
func (l *importedLayer) CompatibleRuntimes() []Runtime           { return append([]Runtime(nil), l.runtimes...) }
func (l *importedLayer) CompatibleArchitectures() []Architecture { return nil }
