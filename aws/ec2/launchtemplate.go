package ec2

import (
	"fmt"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	cfnec2 "github.com/eksforge/eksforge/cfn/ec2"
	cfniam "github.com/eksforge/eksforge/cfn/iam"
	"github.com/eksforge/eksforge/internal/nilref"
)

// EbsVolumeType is the type of an EBS volume.
type EbsVolumeType string

// EBS volume types.
const (
	EbsVolumeTypeGp2      EbsVolumeType = "gp2"
	EbsVolumeTypeGp3      EbsVolumeType = "gp3"
	EbsVolumeTypeIo1      EbsVolumeType = "io1"
	EbsVolumeTypeIo2      EbsVolumeType = "io2"
	EbsVolumeTypeSt1      EbsVolumeType = "st1"
	EbsVolumeTypeSc1      EbsVolumeType = "sc1"
	EbsVolumeTypeStandard EbsVolumeType = "standard"
)

// EbsDeviceOptions tune an EBS volume of a block device.
type EbsDeviceOptions struct {
	// VolumeType is the volume's type.
	// Default: EC2's (gp2, or gp3 in newer accounts).
	VolumeType EbsVolumeType
	// Encrypted encrypts the volume.
	// Default: the account's EBS encryption-by-default setting.
	Encrypted *bool
	// KmsKeyId is the KMS key that encrypts the volume.
	// Default: the AWS managed key.
	KmsKeyId string
	// Iops is the provisioned IOPS (io1, io2, gp3).
	// Default: the type's baseline.
	Iops int
	// Throughput is the throughput in MiB/s (gp3).
	// Default: 125.
	Throughput int
	// DeleteOnTermination deletes the volume with the instance.
	// Default: true.
	DeleteOnTermination *bool
	// SnapshotId creates the volume from a snapshot.
	// Default: an empty volume.
	SnapshotId string
}

// BlockDevice is a block device of instances launched from a template.
type BlockDevice struct {
	// DeviceName is the device name, e.g. "/dev/xvda". Required.
	DeviceName string
	// VolumeSize is the EBS volume's size in GiB.
	// Default: the snapshot's size (required without SnapshotId).
	VolumeSize int
	// Ebs tunes the EBS volume.
	// Default: EC2's defaults.
	Ebs EbsDeviceOptions
}

// HttpTokens is whether instance metadata requests need session tokens.
type HttpTokens string

// Instance metadata token settings.
const (
	// HttpTokensRequired requires IMDSv2.
	HttpTokensRequired HttpTokens = "required"
	// HttpTokensOptional allows IMDSv1.
	HttpTokensOptional HttpTokens = "optional"
)

// LaunchTemplateProps configure a [LaunchTemplate]. Every field is
// optional.
type LaunchTemplateProps struct {
	// LaunchTemplateName is the template's name.
	// Default: a name CloudFormation generates.
	LaunchTemplateName string
	// VersionDescription describes the template's first version.
	// Default: none.
	VersionDescription string
	// InstanceType is the instance type.
	// Default: none (given at launch).
	InstanceType InstanceType
	// MachineImage is the AMI.
	// Default: none (given at launch).
	MachineImage IMachineImage
	// UserData is what instances run at start; rendered with Fn::Base64.
	// Default: the image's empty user data when MachineImage is set,
	// otherwise none.
	UserData UserData
	// KeyName is the EC2 key pair for SSH.
	// Default: none.
	KeyName string
	// SecurityGroup is the instances' security group; more can be added
	// with Connections().AddSecurityGroup.
	// Default: none.
	SecurityGroup ISecurityGroup
	// Role is the instances' IAM role, given to them through a new
	// AWS::IAM::InstanceProfile.
	// Default: none.
	Role iam.IRole
	// BlockDevices are the instances' volumes.
	// Default: the AMI's.
	BlockDevices []BlockDevice
	// RequireImdsv2 requires IMDSv2 (HttpTokens "required").
	// Default: false.
	RequireImdsv2 bool
	// HttpTokens sets the metadata token requirement; RequireImdsv2 wins.
	// Default: EC2's (optional, or the AMI's setting).
	HttpTokens HttpTokens
	// HttpPutResponseHopLimit is the metadata response hop limit (2 lets
	// containers reach IMDSv2).
	// Default: EC2's (1, or the AMI's setting).
	HttpPutResponseHopLimit int
	// HttpEndpoint turns the metadata service on or off.
	// Default: EC2's (on).
	HttpEndpoint *bool
	// InstanceMetadataTags exposes instance tags in the metadata.
	// Default: false.
	InstanceMetadataTags bool
	// DetailedMonitoring turns on one-minute CloudWatch metrics.
	// Default: false.
	DetailedMonitoring bool
	// EbsOptimized makes instances EBS-optimized.
	// Default: the instance type's default.
	EbsOptimized *bool
}

// LaunchTemplate is an AWS::EC2::LaunchTemplate built as the AWS CDK
// builds it: an instance profile for the role, lazily rendered security
// groups and user data, and the construct's tags (a Name tag with its path
// and every tag applied with cdk.TagsOf) on the template, its instances and
// their volumes.
type LaunchTemplate struct {
	cdk.Base
	// Resource is the AWS::EC2::LaunchTemplate.
	Resource *cfnec2.CfnLaunchTemplate
	// InstanceProfile is the instance profile made for Role; nil without
	// a role.
	InstanceProfile *cfniam.CfnInstanceProfile

	conns     *Connections
	attached  []ISecurityGroup
	userData  UserData
	imageOS   OperatingSystemType
	tags      *cdk.TagManager
	role      iam.IRole
	instances InstanceType
}

// NewLaunchTemplate adds a launch template to scope.
func NewLaunchTemplate(scope cdk.Construct, id string, props LaunchTemplateProps) *LaunchTemplate {
	lt := &LaunchTemplate{tags: cdk.NewTagManager(cdk.TagFormatStandard, "AWS::EC2::LaunchTemplate"), role: props.Role, instances: props.InstanceType}
	cdk.InitConstruct(lt, scope, id)
	typedNils := nilref.Clear(&props, "LaunchTemplateProps")
	for _, e := range typedNils {
		lt.Node().AddError("%s: pass a value, or leave the field unset", e)
	}
	lt.role = props.Role
	fail := func(format string, args ...any) {
		panic(fmt.Sprintf("ec2: LaunchTemplate %q: ", lt.Node().Path()) + fmt.Sprintf(format, args...))
	}
	lt.conns = NewConnections(ConnectionsProps{})
	if props.SecurityGroup != nil {
		lt.conns.AddSecurityGroup(props.SecurityGroup)
	}
	data := &cfnec2.CfnLaunchTemplateLaunchTemplateData{
		KeyName:      props.KeyName,
		EbsOptimized: props.EbsOptimized,
	}
	if !props.InstanceType.IsZero() {
		data.InstanceType = props.InstanceType.String()
	}
	if props.MachineImage != nil {
		img := props.MachineImage.GetImage(lt)
		data.ImageId = img.ImageId
		lt.imageOS = img.OsType
		lt.userData = img.UserData
	}
	if props.UserData != nil {
		lt.userData = props.UserData
	}
	if lt.userData != nil {
		data.UserData = cdk.LazyString(func() string { return cdk.Fn.Base64(lt.userData.Render()) })
	}
	if props.Role != nil {
		lt.InstanceProfile = cfniam.NewCfnInstanceProfile(lt, "Profile", cfniam.CfnInstanceProfileProps{Roles: []string{props.Role.RoleName()}})
		data.IamInstanceProfile = &cfnec2.CfnLaunchTemplateIamInstanceProfile{Arn: lt.InstanceProfile.AttrArn()}
	}
	for i, bd := range props.BlockDevices {
		if bd.DeviceName == "" {
			fail("BlockDevices[%d] has no DeviceName", i)
		}
		if bd.VolumeSize < 0 {
			fail("BlockDevices[%d] (%s): VolumeSize %d is negative", i, bd.DeviceName, bd.VolumeSize)
		}
		if bd.VolumeSize == 0 && bd.Ebs.SnapshotId == "" {
			fail("BlockDevices[%d] (%s) needs a VolumeSize or an Ebs.SnapshotId", i, bd.DeviceName)
		}
		ebs := &cfnec2.CfnLaunchTemplateEbs{
			VolumeType:          string(bd.Ebs.VolumeType),
			Encrypted:           bd.Ebs.Encrypted,
			KmsKeyId:            bd.Ebs.KmsKeyId,
			DeleteOnTermination: bd.Ebs.DeleteOnTermination,
			SnapshotId:          bd.Ebs.SnapshotId,
		}
		if bd.VolumeSize > 0 {
			ebs.VolumeSize = cdk.Ptr(bd.VolumeSize)
		}
		if bd.Ebs.Iops > 0 {
			ebs.Iops = cdk.Ptr(bd.Ebs.Iops)
		}
		if bd.Ebs.Throughput > 0 {
			if bd.Ebs.VolumeType != EbsVolumeTypeGp3 {
				fail("BlockDevices[%d] (%s): Throughput is only for gp3 volumes", i, bd.DeviceName)
			}
			ebs.Throughput = cdk.Ptr(bd.Ebs.Throughput)
		}
		data.BlockDeviceMappings = append(data.BlockDeviceMappings, cfnec2.CfnLaunchTemplateBlockDeviceMapping{DeviceName: bd.DeviceName, Ebs: ebs})
	}
	md := &cfnec2.CfnLaunchTemplateMetadataOptions{HttpTokens: string(props.HttpTokens)}
	if props.RequireImdsv2 {
		md.HttpTokens = string(HttpTokensRequired)
	}
	if props.HttpPutResponseHopLimit != 0 {
		if props.HttpPutResponseHopLimit < 1 || props.HttpPutResponseHopLimit > 64 {
			fail("HttpPutResponseHopLimit %d must be from 1 to 64", props.HttpPutResponseHopLimit)
		}
		md.HttpPutResponseHopLimit = cdk.Ptr(props.HttpPutResponseHopLimit)
	}
	if props.HttpEndpoint != nil {
		md.HttpEndpoint = map[bool]string{true: "enabled", false: "disabled"}[*props.HttpEndpoint]
	}
	if props.InstanceMetadataTags {
		md.InstanceMetadataTags = "enabled"
	}
	if *md != (cfnec2.CfnLaunchTemplateMetadataOptions{}) {
		data.MetadataOptions = md
	}
	if props.DetailedMonitoring {
		data.Monitoring = &cfnec2.CfnLaunchTemplateMonitoring{Enabled: cdk.Ptr(true)}
	}
	lt.Resource = cfnec2.NewCfnLaunchTemplate(lt, "Resource", cfnec2.CfnLaunchTemplateProps{
		LaunchTemplateName: props.LaunchTemplateName,
		VersionDescription: props.VersionDescription,
		LaunchTemplateData: data,
	})
	// Late-bound parts: security groups may be added after construction,
	// tags are applied by aspects at synthesis.
	lt.Resource.AddPropertyOverride("LaunchTemplateData.SecurityGroupIds", cdk.LazyAny(func() any {
		var ids []any
		for _, sg := range lt.SecurityGroups() {
			ids = append(ids, sg.SecurityGroupId())
		}
		if len(ids) == 0 {
			return nil
		}
		return ids
	}))
	lt.Resource.AddPropertyOverride("LaunchTemplateData.TagSpecifications", cdk.LazyAny(func() any {
		tags := lt.renderTags()
		if tags == nil {
			return nil
		}
		return []any{
			map[string]any{"ResourceType": "instance", "Tags": tags},
			map[string]any{"ResourceType": "volume", "Tags": tags},
		}
	}))
	lt.Resource.AddPropertyOverride("TagSpecifications", cdk.LazyAny(func() any {
		tags := lt.renderTags()
		if tags == nil {
			return nil
		}
		return []any{map[string]any{"ResourceType": "launch-template", "Tags": tags}}
	}))
	if props.Role != nil {
		lt.Resource.Node().AddDependency(props.Role)
	}
	cdk.TagsOf(lt).Add("Name", lt.Node().Path())
	return lt
}

func (lt *LaunchTemplate) renderTags() []any {
	vals := lt.tags.TagValues()
	if len(vals) == 0 {
		return nil
	}
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	sortStrings(keys)
	out := make([]any, 0, len(keys))
	for _, k := range keys {
		out = append(out, map[string]any{"Key": k, "Value": vals[k]})
	}
	return out
}

// TagManager holds the tags of the template, its instances and volumes;
// cdk.TagsOf applies tags through it.
func (lt *LaunchTemplate) TagManager() *cdk.TagManager { return lt.tags }

// Connections manages the instances' security groups.
func (lt *LaunchTemplate) Connections() *Connections { return lt.conns }

// AddSecurityGroup adds a security group to the instances.
func (lt *LaunchTemplate) AddSecurityGroup(sg ISecurityGroup) { lt.conns.AddSecurityGroup(sg) }

// SecurityGroups are the instances' security groups: those of
// Connections(), then the attached ones.
func (lt *LaunchTemplate) SecurityGroups() []ISecurityGroup {
	return append(append([]ISecurityGroup(nil), lt.conns.SecurityGroups()...), lt.attached...)
}

// AttachSecurityGroup makes the instances members of sg without adding it
// to Connections(): rules later added through Connections() stay on the
// template's own groups and are not copied onto sg, a group that others
// manage (such as the security group EKS creates for a cluster).
func (lt *LaunchTemplate) AttachSecurityGroup(sg ISecurityGroup) {
	for _, a := range lt.attached {
		if a == sg {
			return
		}
	}
	lt.attached = append(lt.attached, sg)
}

// UserData is the template's user data; nil when none.
func (lt *LaunchTemplate) UserData() UserData { return lt.userData }

// Role is the instances' role; nil when none.
func (lt *LaunchTemplate) Role() iam.IRole { return lt.role }

// InstanceType is the template's instance type; zero when none.
func (lt *LaunchTemplate) InstanceType() InstanceType { return lt.instances }

// OsType is the operating system of the template's image, or
// OperatingSystemTypeUnknown without one.
func (lt *LaunchTemplate) OsType() OperatingSystemType {
	if lt.imageOS == "" {
		return OperatingSystemTypeUnknown
	}
	return lt.imageOS
}

// LaunchTemplateId is the template's ID ({"Ref": template}).
func (lt *LaunchTemplate) LaunchTemplateId() string { return lt.Resource.Ref() }

// LaunchTemplateName is the template's name (Fn::GetAtt
// LaunchTemplateName).
func (lt *LaunchTemplate) LaunchTemplateName() string {
	return lt.Resource.GetAttString("LaunchTemplateName")
}

// LatestVersionNumber is the template's latest version number.
func (lt *LaunchTemplate) LatestVersionNumber() string { return lt.Resource.AttrLatestVersionNumber() }

// DefaultVersionNumber is the template's default version number.
func (lt *LaunchTemplate) DefaultVersionNumber() string {
	return lt.Resource.AttrDefaultVersionNumber()
}
