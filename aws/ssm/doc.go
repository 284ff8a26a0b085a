// Package ssm reads and writes AWS Systems Manager parameters the way the AWS
// CDK's aws-ssm module does.
//
// A parameter's value is read at deploy time through a template parameter
// of an SSM type: [StringParameterValueForStringParameter] adds (once per
// name per stack) a parameter such as
//
//	"SsmParameterValuemyparamC96584B6F00A464EAD1953AFF4B05118Parameter": {
//	  "Type": "AWS::SSM::Parameter::Value<String>",
//	  "Default": "/my/param"
//	}
//
// and returns {"Ref": …} as a string token, with the AWS CDK's logical ID.
// [StringParameterValueForTypedStringParameter] does the same with a typed
// value (AWS::EC2::Image::Id for AMIs, which package ec2 uses for the
// EKS-optimized and Bottlerocket images). A specific version is read with a
// dynamic reference ({{resolve:ssm:name:version}}) instead.
//
// [NewStringParameter] creates a parameter (AWS::SSM::Parameter);
// [StringParameterFromStringParameterName] imports one.
//
// This package does not look parameters up at synthesis (the AWS CDK's
// valueFromLookup): values are resolved by CloudFormation at deploy time.
package ssm
