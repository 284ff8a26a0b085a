package cdk

import (
	"fmt"
	"strings"
)

// ArnFormat is how the resource part of an ARN is separated.
type ArnFormat int

// ARN formats, as in the AWS CDK.
const (
	// ArnFormatSlashResourceName: arn:aws:service:region:account:resource/name
	ArnFormatSlashResourceName ArnFormat = iota
	// ArnFormatColonResourceName: arn:aws:service:region:account:resource:name
	ArnFormatColonResourceName
	// ArnFormatSlashResourceSlashResourceName: …:resource/name (name may hold slashes)
	ArnFormatSlashResourceSlashResourceName
	// ArnFormatNoResourceName: arn:aws:service:region:account:resource
	ArnFormatNoResourceName
)

// ArnComponents are the parts of an ARN.
type ArnComponents struct {
	// Partition, e.g. "aws".
	// Default: the stack's partition (FormatArn of a Stack).
	Partition string
	// Service, e.g. "iam".
	Service string
	// Region, empty for global services (with NoRegion).
	// Default: the stack's region (FormatArn of a Stack).
	Region string
	// NoRegion leaves the region empty even in a stack.
	// Default: false.
	NoRegion bool
	// Account ID.
	// Default: the stack's account (FormatArn of a Stack).
	Account string
	// NoAccount leaves the account empty even in a stack.
	// Default: false.
	NoAccount bool
	// Resource type, e.g. "role".
	Resource string
	// ResourceName, e.g. "my-role".
	// Default: none.
	ResourceName string
	// ArnFormat separates Resource and ResourceName.
	// Default: ArnFormatSlashResourceName.
	ArnFormat ArnFormat
}

// FormatArn joins the components into an ARN; tokens are allowed anywhere.
func FormatArn(c ArnComponents) string {
	var b strings.Builder
	b.WriteString("arn:" + c.Partition + ":" + c.Service + ":" + c.Region + ":" + c.Account + ":" + c.Resource)
	if c.ResourceName != "" && c.ArnFormat != ArnFormatNoResourceName {
		if c.ArnFormat == ArnFormatColonResourceName {
			b.WriteString(":")
		} else {
			b.WriteString("/")
		}
		b.WriteString(c.ResourceName)
	}
	return b.String()
}

// SplitArn splits an ARN into its components. An ARN known at synthesis is
// split at once (an error when malformed); a token ARN is split with
// Fn::Split and Fn::Select.
func SplitArn(arn string, format ArnFormat) (ArnComponents, error) {
	if IsUnresolved(arn) {
		parts := Fn.Split(":", arn, 6)
		c := ArnComponents{Partition: parts[1], Service: parts[2], Region: parts[3], Account: parts[4], ArnFormat: format}
		switch format {
		case ArnFormatNoResourceName:
			c.Resource = parts[5]
		case ArnFormatColonResourceName:
			all := Fn.Split(":", arn, 7)
			c.Resource, c.ResourceName = all[5], all[6]
		default:
			rest := Fn.Split("/", parts[5], 2)
			c.Resource, c.ResourceName = rest[0], rest[1]
		}
		return c, nil
	}
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return ArnComponents{}, fmt.Errorf("ARN %q is malformed: expected arn:partition:service:region:account:resource", arn)
	}
	c := ArnComponents{Partition: parts[1], Service: parts[2], Region: parts[3], Account: parts[4], ArnFormat: format}
	res := parts[5]
	switch format {
	case ArnFormatNoResourceName:
		c.Resource = res
	case ArnFormatColonResourceName:
		i := strings.Index(res, ":")
		if i < 0 {
			return ArnComponents{}, fmt.Errorf("ARN %q has no resource name after %q", arn, res)
		}
		c.Resource, c.ResourceName = res[:i], res[i+1:]
	default:
		i := strings.Index(res, "/")
		if i < 0 {
			c.Resource = res
		} else {
			c.Resource, c.ResourceName = res[:i], res[i+1:]
		}
	}
	return c, nil
}
