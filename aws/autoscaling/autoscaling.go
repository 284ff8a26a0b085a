package autoscaling

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	cfnautoscaling "github.com/eksforge/eksforge/cfn/autoscaling"
	cfnec2 "github.com/eksforge/eksforge/cfn/ec2"
	cfniam "github.com/eksforge/eksforge/cfn/iam"
	"github.com/eksforge/eksforge/internal/nilref"
)

// IAutoScalingGroup is an Auto Scaling group: one defined here
// ([AutoScalingGroup]) or an imported one
// ([AutoScalingGroupFromAutoScalingGroupName]).
type IAutoScalingGroup interface {
	cdk.Construct
	iam.IGrantable
	// AutoScalingGroupName is the group's name.
	AutoScalingGroupName() string
	// AutoScalingGroupArn is the group's ARN.
	AutoScalingGroupArn() string
	// OsType is the operating system of the group's instances;
	// ec2.OperatingSystemTypeUnknown for an imported group.
	OsType() ec2.OperatingSystemType
	// AddUserData appends commands to the instances' start-up script; it
	// does nothing for an imported group.
	AddUserData(commands ...string)
}

// AutoScalingGroupProps define an [AutoScalingGroup]. Vpc, InstanceType and
// MachineImage are required.
type AutoScalingGroupProps struct {
	// Vpc is the VPC the instances run in. Required.
	Vpc ec2.IVpc
	// VpcSubnets selects the subnets the instances run in.
	// Default: the VPC's private subnets (with egress, else isolated, else
	// public).
	VpcSubnets ec2.SubnetSelection
	// InstanceType is the instances' type, e.g. ec2.InstanceTypeOf("m5.large").
	// Required.
	InstanceType ec2.InstanceType
	// MachineImage is the instances' AMI, e.g. ec2.EksOptimizedAmi("1.33",
	// ec2.NodeTypeStandard). Required.
	MachineImage ec2.IMachineImage
	// UserData is what the instances run at start. It can still be added to
	// after construction (AddUserData).
	// Default: the machine image's empty user data (a shell script for
	// Linux).
	UserData ec2.UserData
	// KeyName is the EC2 key pair that allows SSH to the instances; allow
	// the traffic with Connections().AllowFrom(peer, ec2.PortTcp(22), "").
	// Default: no key pair (no SSH).
	KeyName string
	// Role is the instances' IAM role, given to them through a new
	// instance profile; it must trust ec2.amazonaws.com.
	// Default: a new role trusting ec2.amazonaws.com (Role()).
	Role iam.IRole
	// SecurityGroup is the instances' security group; add more with
	// AddSecurityGroup.
	// Default: a new security group in Vpc.
	SecurityGroup ec2.ISecurityGroup
	// AllowAllOutbound lets the new security group send traffic anywhere;
	// ignored when SecurityGroup is given.
	// Default: true.
	AllowAllOutbound *bool
	// BlockDevices are the instances' volumes.
	// Default: the AMI's block device mapping.
	BlockDevices []BlockDevice
	// MinCapacity is the fewest instances; 0 is allowed (cdk.Ptr(0)).
	// Default: 1.
	MinCapacity *int
	// MaxCapacity is the most instances.
	// Default: DesiredCapacity when set, otherwise the larger of
	// MinCapacity and 1.
	MaxCapacity *int
	// DesiredCapacity is the initial number of instances. Every deployment
	// resets the group to it (a warning says so); leave it unset to let
	// scaling decide.
	// Default: not set (Auto Scaling starts MinCapacity instances).
	DesiredCapacity *int
	// SpotPrice is the most to pay per instance hour, in USD (e.g.
	// "0.05"): the instances are Spot Instances.
	// Default: On-Demand instances.
	SpotPrice string
	// AssociatePublicIpAddress gives the instances public IP addresses
	// (true needs public subnets) or none (false).
	// Default: the subnet's setting.
	AssociatePublicIpAddress *bool
	// RequireImdsv2 makes the instances require IMDSv2 (session tokens)
	// for their instance metadata.
	// Default: false.
	RequireImdsv2 bool
	// HttpPutResponseHopLimit is the instance metadata response hop limit
	// (2 lets containers reach IMDSv2 through the node's network).
	// Default: EC2's (1, or the AMI's setting).
	HttpPutResponseHopLimit int
	// DetailedMonitoring turns on one-minute CloudWatch metrics of the
	// instances.
	// Default: false (five-minute metrics).
	DetailedMonitoring bool
	// UpdatePolicy is how existing instances are replaced when the launch
	// template or subnets change.
	// Default: none (only new instances get the new configuration).
	UpdatePolicy *UpdatePolicy
	// Signals makes CloudFormation wait for instances to signal that they
	// started (with cfn-signal in their user data); the role may then
	// call cloudformation:SignalResource on the stack.
	// Default: no waiting.
	Signals *Signals
	// IgnoreUnmodifiedSizeProperties keeps scheduled actions' group sizes
	// when a deployment does not change them (the UpdatePolicy's
	// AutoScalingScheduledAction).
	// Default: true.
	IgnoreUnmodifiedSizeProperties *bool
	// Cooldown is the time between scaling activities.
	// Default: Auto Scaling's (300 seconds; not rendered).
	Cooldown cdk.Duration
	// HealthCheck configures health checks.
	// Default: EC2 status checks with no grace period (not rendered).
	HealthCheck HealthCheck
	// GroupMetrics are the group metrics sent to CloudWatch every minute,
	// e.g. []autoscaling.GroupMetrics{autoscaling.GroupMetricsAll()}.
	// Default: none.
	GroupMetrics []GroupMetrics
	// Notifications send fleet events to SNS topics.
	// Default: none.
	Notifications []NotificationConfiguration
	// AutoScalingGroupName is the group's name, unique in the account and
	// region.
	// Default: a name CloudFormation generates.
	AutoScalingGroupName string
	// MaxInstanceLifetime is how long an instance may serve before it is
	// replaced: from 1 to 365 days.
	// Default: no limit.
	MaxInstanceLifetime cdk.Duration
	// DefaultInstanceWarmup is how long a new instance takes before its
	// metrics count.
	// Default: none.
	DefaultInstanceWarmup cdk.Duration
	// NewInstancesProtectedFromScaleIn protects new instances from being
	// terminated when scaling in.
	// Default: false.
	NewInstancesProtectedFromScaleIn bool
	// CapacityRebalance replaces Spot Instances at an elevated risk of
	// interruption before they are interrupted.
	// Default: false.
	CapacityRebalance bool
	// TerminationPolicies choose, in order, the instances terminated when
	// scaling in.
	// Default: Auto Scaling's default policy.
	TerminationPolicies []TerminationPolicy
	// SsmSessionPermissions attaches AmazonSSMManagedInstanceCore to the
	// role, for SSM Session Manager.
	// Default: false.
	SsmSessionPermissions bool
}

// AutoScalingGroup is an AWS::AutoScaling::AutoScalingGroup that launches
// its instances from an AWS::EC2::LaunchTemplate, built as the AWS CDK
// builds it (with the feature flag
// @aws-cdk/aws-autoscaling:generateLaunchTemplateInsteadOfLaunchConfig): a
// security group, an instance role and profile, a launch template, the
// group, and a "Name" tag with the construct path on all of them.
type AutoScalingGroup struct {
	cdk.Base
	// Resource is the AWS::AutoScaling::AutoScalingGroup.
	Resource *cfnautoscaling.CfnAutoScalingGroup
	// LaunchTemplate is the instances' launch template.
	LaunchTemplate *ec2.LaunchTemplate
	// InstanceProfile is the instance profile holding the role.
	InstanceProfile *cfniam.CfnInstanceProfile

	role            iam.IRole
	spotPrice       string
	minCapacity     int
	maxCapacity     int
	desiredCapacity *int
	protectNew      bool
	groupMetrics    []GroupMetrics
}

var spotPricePattern = regexp.MustCompile(`^(\d+\.?\d*|\.\d+)$`)

// standIns replaces a required Vpc or MachineImage that was a typed nil
// (already reported as an error, so synthesis fails) with a placeholder,
// so that the group is still built whole and its methods (Connections,
// UserData, Role, ...) work for the rest of the program.
func standIns(asg *AutoScalingGroup, props *AutoScalingGroupProps, typedNils []string) {
	for _, e := range typedNils {
		switch {
		case strings.HasPrefix(e, "AutoScalingGroupProps.Vpc "):
			props.Vpc = ec2.VpcFromVpcAttributes(asg, "MissingVpc", ec2.VpcAttributes{
				VpcId:             "vpc-00000000",
				AvailabilityZones: []string{"missing-1a"},
				PrivateSubnetIds:  []string{"subnet-00000000"},
			})
		case strings.HasPrefix(e, "AutoScalingGroupProps.MachineImage "):
			props.MachineImage = ec2.GenericSsmImage("/eksforge/missing-machine-image")
		}
	}
}

// NewAutoScalingGroup adds an Auto Scaling group to scope. It panics when
// Vpc, InstanceType or MachineImage is missing (nil); other problems with
// the props are reported by app.Synth(). A typed-nil Vpc or MachineImage
// (`var v *ec2.Vpc`) is such a problem: the group is then built on a
// placeholder, so that the program can go on using it, and synthesis
// fails naming the field.
func NewAutoScalingGroup(scope cdk.Construct, id string, props AutoScalingGroupProps) *AutoScalingGroup {
	asg := &AutoScalingGroup{}
	cdk.InitConstruct(asg, scope, id)
	typedNils := nilref.Clear(&props, "AutoScalingGroupProps")
	for _, e := range typedNils {
		if strings.HasPrefix(e, "AutoScalingGroupProps.Vpc ") || strings.HasPrefix(e, "AutoScalingGroupProps.MachineImage ") {
			asg.Node().AddError("%s: the field is required; pass a value that exists", e)
			continue
		}
		asg.Node().AddError("%s: pass a value, or leave the field unset", e)
	}
	node := asg.Node()
	path := node.Path()
	standIns(asg, &props, typedNils)
	switch {
	case props.Vpc == nil:
		panic(fmt.Sprintf("autoscaling: AutoScalingGroup %q needs a Vpc: set AutoScalingGroupProps.Vpc to the VPC the instances run in", path))
	case props.InstanceType.IsZero():
		panic(fmt.Sprintf("autoscaling: AutoScalingGroup %q needs an InstanceType: set AutoScalingGroupProps.InstanceType, e.g. ec2.InstanceTypeOf(\"m5.large\")", path))
	case props.MachineImage == nil:
		panic(fmt.Sprintf("autoscaling: AutoScalingGroup %q needs a MachineImage: set AutoScalingGroupProps.MachineImage, e.g. ec2.EksOptimizedAmi(\"1.33\", ec2.NodeTypeStandard)", path))
	}

	cdk.TagsOf(asg).Add("Name", path)
	sg := props.SecurityGroup
	if sg == nil {
		sg = ec2.NewSecurityGroup(asg, "InstanceSecurityGroup", ec2.SecurityGroupProps{Vpc: props.Vpc, AllowAllOutbound: props.AllowAllOutbound})
	}
	asg.role = props.Role
	if asg.role == nil {
		asg.role = iam.NewRole(asg, "InstanceRole", iam.RoleProps{AssumedBy: iam.NewServicePrincipal("ec2.amazonaws.com")})
	}
	asg.InstanceProfile = cfniam.NewCfnInstanceProfile(asg, "InstanceProfile", cfniam.CfnInstanceProfileProps{Roles: []string{asg.role.RoleName()}})

	asg.LaunchTemplate = ec2.NewLaunchTemplate(asg, "LaunchTemplate", ec2.LaunchTemplateProps{
		InstanceType:            props.InstanceType,
		MachineImage:            props.MachineImage,
		UserData:                props.UserData,
		KeyName:                 props.KeyName,
		SecurityGroup:           sg,
		RequireImdsv2:           props.RequireImdsv2,
		HttpPutResponseHopLimit: props.HttpPutResponseHopLimit,
	})
	lt := asg.LaunchTemplate.Resource
	data := lt.Props.LaunchTemplateData
	data.IamInstanceProfile = &cfnec2.CfnLaunchTemplateIamInstanceProfile{Arn: asg.InstanceProfile.AttrArn()}
	data.Monitoring = &cfnec2.CfnLaunchTemplateMonitoring{Enabled: cdk.Ptr(props.DetailedMonitoring)}
	lt.Node().AddDependency(asg.role)
	if props.SpotPrice != "" {
		price := props.SpotPrice
		if !cdk.IsUnresolved(price) {
			f, err := strconv.ParseFloat(price, 64)
			if !spotPricePattern.MatchString(price) || err != nil || f <= 0 {
				node.AddError("SpotPrice %q is not a price: give the most to pay per instance hour in USD as a positive decimal number, such as \"0.05\"", price)
			} else {
				price = strconv.FormatFloat(f, 'f', -1, 64)
			}
		}
		asg.spotPrice = props.SpotPrice
		data.InstanceMarketOptions = &cfnec2.CfnLaunchTemplateInstanceMarketOptions{
			MarketType:  "spot",
			SpotOptions: &cfnec2.CfnLaunchTemplateSpotOptions{MaxPrice: price},
		}
	}
	if props.AssociatePublicIpAddress != nil {
		// Security groups then belong to the network interface.
		public := *props.AssociatePublicIpAddress
		lt0 := asg.LaunchTemplate
		lt.AddPropertyDeletionOverride("LaunchTemplateData.SecurityGroupIds")
		lt.AddPropertyOverride("LaunchTemplateData.NetworkInterfaces", cdk.LazyAny(func() any {
			ni := map[string]any{"DeviceIndex": 0, "AssociatePublicIpAddress": public}
			var groups []any
			for _, g := range lt0.SecurityGroups() {
				groups = append(groups, g.SecurityGroupId())
			}
			if len(groups) > 0 {
				ni["Groups"] = groups
			}
			return []any{ni}
		}))
	}
	if len(props.BlockDevices) > 0 {
		mappings, errs, warnings := renderBlockDevices(props.BlockDevices)
		for _, e := range errs {
			node.AddError("%s", e)
		}
		for _, w := range warnings {
			node.AddWarning("%s", w)
		}
		lt.AddPropertyOverride("LaunchTemplateData.BlockDeviceMappings", mappings)
	}
	if props.SsmSessionPermissions {
		asg.role.AddManagedPolicy(iam.ManagedPolicyFromAwsManagedPolicyName("AmazonSSMManagedInstanceCore"))
	}
	asg.checkArchitecture(props.InstanceType, props.MachineImage)

	// Capacity.
	asg.minCapacity = 1
	if props.MinCapacity != nil {
		asg.minCapacity = *props.MinCapacity
	}
	asg.desiredCapacity = props.DesiredCapacity
	switch {
	case props.MaxCapacity != nil:
		asg.maxCapacity = *props.MaxCapacity
	case props.DesiredCapacity != nil:
		asg.maxCapacity = *props.DesiredCapacity
	case cdk.IsUnresolved(asg.minCapacity):
		asg.maxCapacity = asg.minCapacity
	default:
		asg.maxCapacity = max(asg.minCapacity, 1)
	}
	asg.checkCapacity()
	if props.DesiredCapacity != nil {
		n := "a value known at deploy time"
		if !cdk.IsUnresolved(*props.DesiredCapacity) {
			n = intString(*props.DesiredCapacity)
		}
		node.AddWarning("DesiredCapacity is set to %s: every deployment resets the group to that many instances, undoing scaling; leave it unset unless you mean it (https://github.com/aws/aws-cdk/issues/5215)", n)
	}

	cfnProps := cfnautoscaling.CfnAutoScalingGroupProps{
		AutoScalingGroupName: props.AutoScalingGroupName,
		MinSize:              intString(asg.minCapacity),
		MaxSize:              intString(asg.maxCapacity),
		LaunchTemplate: &cfnautoscaling.CfnAutoScalingGroupLaunchTemplateSpecification{
			LaunchTemplateId: asg.LaunchTemplate.LaunchTemplateId(),
			Version:          asg.LaunchTemplate.LatestVersionNumber(),
		},
		TerminationPolicies: terminationPolicies(props.TerminationPolicies),
	}
	if props.DesiredCapacity != nil {
		cfnProps.DesiredCapacity = intString(*props.DesiredCapacity)
	}
	if props.CapacityRebalance {
		cfnProps.CapacityRebalance = cdk.Ptr(true)
	}
	if !props.Cooldown.IsZero() {
		if s, ok := asg.seconds("Cooldown", props.Cooldown); ok {
			cfnProps.Cooldown = intString(s)
		}
	}
	if !props.DefaultInstanceWarmup.IsZero() {
		if s, ok := asg.seconds("DefaultInstanceWarmup", props.DefaultInstanceWarmup); ok {
			cfnProps.DefaultInstanceWarmup = cdk.Ptr(s)
		}
	}
	if !props.MaxInstanceLifetime.IsZero() {
		if s, ok := asg.seconds("MaxInstanceLifetime", props.MaxInstanceLifetime); ok {
			if !props.MaxInstanceLifetime.IsUnresolved() && s != 0 && (s < 86400 || s > 31536000) {
				node.AddError("MaxInstanceLifetime is %s; it must be between 1 and 365 days", props.MaxInstanceLifetime.ToHumanString())
			}
			cfnProps.MaxInstanceLifetime = cdk.Ptr(s)
		}
	}
	if hc := props.HealthCheck; hc != (HealthCheck{}) {
		switch hc.Type {
		case "", HealthCheckTypeEc2:
			cfnProps.HealthCheckType = string(HealthCheckTypeEc2)
		case HealthCheckTypeElb:
			cfnProps.HealthCheckType = string(HealthCheckTypeElb)
			if hc.Grace.IsZero() {
				node.AddError("HealthCheck of type ELB needs a Grace period: the time instances take to pass the load balancer's health checks after they start")
			}
		default:
			node.AddError("HealthCheck.Type %q is not %s or %s", hc.Type, HealthCheckTypeEc2, HealthCheckTypeElb)
		}
		if !hc.Grace.IsZero() {
			if s, ok := asg.seconds("HealthCheck.Grace", hc.Grace); ok {
				cfnProps.HealthCheckGracePeriod = cdk.Ptr(s)
			}
		}
	}
	for i, n := range props.Notifications {
		if n.TopicArn == "" {
			node.AddError("Notifications[%d] has no TopicArn; set the ARN of the SNS topic to notify", i)
		}
		events := n.ScalingEvents
		if len(events) == 0 {
			events = ScalingEventsAll()
		}
		types := make([]string, len(events))
		for j, e := range events {
			types[j] = string(e)
		}
		cfnProps.NotificationConfigurations = append(cfnProps.NotificationConfigurations,
			cfnautoscaling.CfnAutoScalingGroupNotificationConfiguration{TopicARN: n.TopicArn, NotificationTypes: types})
	}

	sel, err := ec2.TrySelectSubnets(props.Vpc, props.VpcSubnets)
	if err != nil {
		node.AddError("VpcSubnets: %v", err)
	}
	cfnProps.VPCZoneIdentifier = sel.SubnetIds
	if err == nil && props.AssociatePublicIpAddress != nil && *props.AssociatePublicIpAddress && !sel.HasPublic {
		node.AddError("AssociatePublicIpAddress is true, but the selected subnets are not public; select public subnets with VpcSubnets: ec2.SubnetSelection{SubnetType: ec2.SubnetTypePublic}")
	}

	asg.Resource = cfnautoscaling.NewCfnAutoScalingGroup(asg, "ASG", cfnProps)
	node.SetDefaultChild(asg.Resource)
	asg.groupMetrics = append(asg.groupMetrics, props.GroupMetrics...)
	asg.protectNew = props.NewInstancesProtectedFromScaleIn
	asg.Resource.AddPropertyOverride("MetricsCollection", cdk.LazyAny(asg.renderMetricsCollection))
	asg.Resource.AddPropertyOverride("NewInstancesProtectedFromScaleIn", cdk.LazyAny(func() any {
		if asg.protectNew {
			return true
		}
		return nil
	}))
	asg.applyPolicies(props)
	return asg
}

// checkCapacity records the capacity problems: negative sizes and sizes
// out of order.
func (asg *AutoScalingGroup) checkCapacity() {
	node := asg.Node()
	known := func(v int) bool { return !cdk.IsUnresolved(v) }
	for _, c := range []struct {
		name string
		v    *int
	}{{"MinCapacity", &asg.minCapacity}, {"MaxCapacity", &asg.maxCapacity}, {"DesiredCapacity", asg.desiredCapacity}} {
		if c.v != nil && known(*c.v) && *c.v < 0 {
			node.AddError("%s is %d; capacities must be 0 or more", c.name, *c.v)
		}
	}
	min, max := asg.minCapacity, asg.maxCapacity
	if known(min) && known(max) && min > max {
		node.AddError("MinCapacity (%d) is greater than MaxCapacity (%d); raise MaxCapacity or lower MinCapacity", min, max)
	}
	if d := asg.desiredCapacity; d != nil && known(*d) {
		if known(min) && *d < min {
			node.AddError("DesiredCapacity (%d) is less than MinCapacity (%d); it must be between MinCapacity and MaxCapacity (%d)", *d, min, max)
		}
		if known(max) && *d > max {
			node.AddError("DesiredCapacity (%d) is greater than MaxCapacity (%d); it must be between MinCapacity (%d) and MaxCapacity", *d, max, min)
		}
	}
}

// checkArchitecture records an error when the instance type's CPU
// architecture is not the AMI's, where the AMI's is known: an image with an
// Architecture method, or one read from an SSM parameter whose name says
// its architecture (the EKS-optimized, Bottlerocket and Amazon Linux
// parameters do).
func (asg *AutoScalingGroup) checkArchitecture(it ec2.InstanceType, image ec2.IMachineImage) {
	if cdk.IsUnresolved(it.String()) {
		return
	}
	var arch ec2.InstanceArchitecture
	if a, ok := image.(interface {
		Architecture() ec2.InstanceArchitecture
	}); ok {
		arch = a.Architecture()
	} else {
		arch = architectureOfParameter(ssmParameterOf(asg.LaunchTemplate.Resource.Props.LaunchTemplateData.ImageId))
	}
	if arch != "" && arch != it.Architecture() {
		asg.Node().AddError("InstanceType %s is %s, but the MachineImage is built for %s; choose an instance type or an image of the same architecture", it, it.Architecture(), arch)
	}
}

// ssmParameterOf returns the name of the SSM parameter an image ID is read
// from (a template parameter made by package aws/ssm), or "".
func ssmParameterOf(imageID string) string {
	ref, ok := cdk.ReverseString(imageID).(*cdk.Reference)
	if !ok {
		return ""
	}
	p, ok := ref.Target().(*cdk.CfnParameter)
	if !ok {
		return ""
	}
	sibling := p.Node().Scope().Node().TryFindChild(strings.TrimSuffix(p.Node().ID(), ".Parameter"))
	if n, ok := sibling.(interface{ ParameterName() string }); ok {
		return n.ParameterName()
	}
	return ""
}

var archWords = regexp.MustCompile(`arm64|aarch64|x86_64|amd64`)

// architectureOfParameter reads the architecture from an SSM parameter
// name such as /aws/service/eks/optimized-ami/1.33/amazon-linux-2023/arm64/…
func architectureOfParameter(name string) ec2.InstanceArchitecture {
	found := map[string]bool{}
	for _, w := range archWords.FindAllString(name, -1) {
		found[w] = true
	}
	arm := found["arm64"] || found["aarch64"]
	x86 := found["x86_64"] || found["amd64"]
	switch {
	case arm && !x86:
		return ec2.InstanceArchitectureArm64
	case x86 && !arm:
		return ec2.InstanceArchitectureX86_64
	}
	return ""
}

// seconds converts d to whole seconds, recording an error when it is not a
// whole number of seconds.
func (asg *AutoScalingGroup) seconds(field string, d cdk.Duration) (int, bool) {
	s, err := d.ToSeconds()
	if err != nil {
		asg.Node().AddError("%s: %v", field, err)
		return 0, false
	}
	if d.IsUnresolved() {
		asg.Node().AddError("%s must be known at synthesis; a token duration cannot be written as whole seconds here", field)
		return 0, false
	}
	if s != math.Trunc(s) || s < 0 {
		asg.Node().AddError("%s is %s; it must be a whole, non-negative number of seconds", field, d.ToHumanString())
		return 0, false
	}
	return int(s), true
}

// intString renders an int as a string, also when it is a token.
func intString(v int) string { return strconv.Itoa(v) }

func terminationPolicies(ps []TerminationPolicy) []string {
	if len(ps) == 0 {
		return nil
	}
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = string(p)
	}
	return out
}

func (asg *AutoScalingGroup) renderMetricsCollection() any {
	if len(asg.groupMetrics) == 0 {
		return nil
	}
	out := make([]any, 0, len(asg.groupMetrics))
	for _, g := range asg.groupMetrics {
		m := map[string]any{"Granularity": "1Minute"}
		if len(g) > 0 {
			seen := map[GroupMetric]bool{}
			var names []any
			for _, x := range g {
				if !seen[x] {
					seen[x] = true
					names = append(names, string(x))
				}
			}
			m["Metrics"] = names
		}
		out = append(out, m)
	}
	return out
}

// applyPolicies renders the CreationPolicy and UpdatePolicy attributes.
func (asg *AutoScalingGroup) applyPolicies(props AutoScalingGroupProps) {
	node := asg.Node()
	checkPct := func(field string, p *int) {
		if p != nil && (*p < 0 || *p > 100) {
			node.AddError("%s is %d; it must be a percentage from 0 to 100", field, *p)
		}
	}
	opts := asg.Resource.CfnOptions()
	var creation map[string]any
	if s := props.Signals; s != nil {
		checkPct("Signals MinSuccessPercentage", s.opts.MinSuccessPercentage)
		if s.kind == waitForCount && s.count < 0 {
			node.AddError("SignalsWaitForCount(%d): the count must be 0 or more", s.count)
		}
		creation = s.renderCreationPolicy(asg.desiredCapacity, asg.minCapacity)
		opts.CreationPolicy = creation
	}
	update := map[string]any{}
	if u := props.UpdatePolicy; u != nil {
		if !u.replacing {
			checkPct("UpdatePolicyRollingUpdate MinSuccessPercentage", u.rolling.MinSuccessPercentage)
			if u.rolling.MaxBatchSize < 0 {
				node.AddError("UpdatePolicyRollingUpdate MaxBatchSize is %d; it must be 1 or more", u.rolling.MaxBatchSize)
			}
			if u.rolling.MinInstancesInService < 0 {
				node.AddError("UpdatePolicyRollingUpdate MinInstancesInService is %d; it must be 0 or more", u.rolling.MinInstancesInService)
			}
			if pt := u.rolling.PauseTime; !pt.IsZero() && !pt.IsUnresolved() {
				if s, err := pt.ToSeconds(); err == nil && s > 3600 {
					node.AddError("UpdatePolicyRollingUpdate PauseTime is %s; CloudFormation allows at most one hour", pt.ToHumanString())
				}
			}
		}
		for k, v := range u.render(creation) {
			update[k] = v
		}
	}
	if props.IgnoreUnmodifiedSizeProperties == nil || *props.IgnoreUnmodifiedSizeProperties {
		update["AutoScalingScheduledAction"] = map[string]any{"IgnoreUnmodifiedGroupSizeProperties": true}
	}
	if len(update) > 0 {
		opts.UpdatePolicy = update
	}
	if props.Signals != nil {
		asg.AddToRolePolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{
			Actions:   []string{"cloudformation:SignalResource"},
			Resources: []string{cdk.Aws.StackID},
		}))
	}
}

// AddSecurityGroup adds a security group to the instances.
func (asg *AutoScalingGroup) AddSecurityGroup(sg ec2.ISecurityGroup) {
	if nilref.Report(asg.Node(), "AddSecurityGroup: the security group", "pass a security group that exists", sg) {
		return
	}
	asg.LaunchTemplate.AddSecurityGroup(sg)
}

// AttachSecurityGroup makes the instances members of sg without managing
// its rules through Connections() (see ec2.LaunchTemplate.AttachSecurityGroup).
func (asg *AutoScalingGroup) AttachSecurityGroup(sg ec2.ISecurityGroup) {
	if nilref.Report(asg.Node(), "AttachSecurityGroup: the security group", "pass a security group that exists", sg) {
		return
	}
	asg.LaunchTemplate.AttachSecurityGroup(sg)
}

// Connections manages the instances' security groups, e.g.
// Connections().AllowFrom(peer, ec2.PortTcp(22), "SSH").
func (asg *AutoScalingGroup) Connections() *ec2.Connections {
	return asg.LaunchTemplate.Connections()
}

// UserData is the instances' user data; it can be added to until
// synthesis.
func (asg *AutoScalingGroup) UserData() ec2.UserData { return asg.LaunchTemplate.UserData() }

// AddUserData appends commands to the instances' user data. It panics
// when the user data takes no commands (custom user data, such as
// Bottlerocket's TOML settings).
func (asg *AutoScalingGroup) AddUserData(commands ...string) {
	ud := asg.UserData()
	if ud == nil {
		panic(fmt.Sprintf("autoscaling: AutoScalingGroup %q has no user data to add commands to", asg.Node().Path()))
	}
	defer func() {
		if r := recover(); r != nil {
			panic(fmt.Sprintf("autoscaling: AutoScalingGroup %q: AddUserData: %v", asg.Node().Path(), r))
		}
	}()
	ud.AddCommands(commands...)
}

// Role is the instances' IAM role.
func (asg *AutoScalingGroup) Role() iam.IRole { return asg.role }

// GrantPrincipal is the principal permissions are granted to: the role.
func (asg *AutoScalingGroup) GrantPrincipal() iam.IPrincipal { return asg.role }

// AddToRolePolicy adds a statement to the role's policy.
func (asg *AutoScalingGroup) AddToRolePolicy(statement *iam.PolicyStatement) {
	asg.role.AddToPrincipalPolicy(statement)
}

// AutoScalingGroupName is the group's name ({"Ref": group}).
func (asg *AutoScalingGroup) AutoScalingGroupName() string { return asg.Resource.Ref() }

// AutoScalingGroupArn is the group's ARN, built from its name:
// arn:<partition>:autoscaling:<region>:<account>:autoScalingGroup:*:autoScalingGroupName/<name>.
func (asg *AutoScalingGroup) AutoScalingGroupArn() string {
	return groupArn(asg, asg.AutoScalingGroupName())
}

func groupArn(scope cdk.Construct, name string) string {
	return cdk.StackOf(scope).FormatArn(cdk.ArnComponents{
		Service:      "autoscaling",
		Resource:     "autoScalingGroup:*:autoScalingGroupName",
		ResourceName: name,
	})
}

// OsType is the operating system of the machine image.
func (asg *AutoScalingGroup) OsType() ec2.OperatingSystemType { return asg.LaunchTemplate.OsType() }

// SpotPrice is the maximum Spot price; "" for On-Demand instances.
func (asg *AutoScalingGroup) SpotPrice() string { return asg.spotPrice }

// MinCapacity is the group's minimum size.
func (asg *AutoScalingGroup) MinCapacity() int { return asg.minCapacity }

// MaxCapacity is the group's maximum size.
func (asg *AutoScalingGroup) MaxCapacity() int { return asg.maxCapacity }

// DesiredCapacity is the group's desired size; nil when not set.
func (asg *AutoScalingGroup) DesiredCapacity() *int { return asg.desiredCapacity }

// AddGroupMetrics collects more group metrics.
func (asg *AutoScalingGroup) AddGroupMetrics(metrics ...GroupMetrics) {
	asg.groupMetrics = append(asg.groupMetrics, metrics...)
}

// ProtectNewInstancesFromScaleIn protects new instances from being
// terminated when scaling in.
func (asg *AutoScalingGroup) ProtectNewInstancesFromScaleIn() { asg.protectNew = true }

// AreNewInstancesProtectedFromScaleIn reports whether new instances are
// protected from scale-in.
func (asg *AutoScalingGroup) AreNewInstancesProtectedFromScaleIn() bool { return asg.protectNew }

// importedGroup is an Auto Scaling group defined elsewhere.
type importedGroup struct {
	cdk.Base
	name string
}

// AutoScalingGroupFromAutoScalingGroupName imports the Auto Scaling group
// named name. It has no role: granting to it records a warning and grants
// nothing.
func AutoScalingGroupFromAutoScalingGroupName(scope cdk.Construct, id, name string) IAutoScalingGroup {
	g := &importedGroup{name: name}
	cdk.InitConstruct(g, scope, id)
	if name == "" {
		panic(fmt.Sprintf("autoscaling: %q: AutoScalingGroupFromAutoScalingGroupName needs the group's name", g.Node().Path()))
	}
	return g
}

func (g *importedGroup) AutoScalingGroupName() string    { return g.name }
func (g *importedGroup) AutoScalingGroupArn() string     { return groupArn(g, g.name) }
func (g *importedGroup) OsType() ec2.OperatingSystemType { return ec2.OperatingSystemTypeUnknown }
func (g *importedGroup) AddUserData(...string)           {}
func (g *importedGroup) GrantPrincipal() iam.IPrincipal  { return unknownPrincipal{g} }

// unknownPrincipal stands for the unknown role of an imported group.
type unknownPrincipal struct{ scope cdk.Construct }

func (p unknownPrincipal) GrantPrincipal() iam.IPrincipal { return p }
func (p unknownPrincipal) AssumeRoleAction() string       { return "sts:AssumeRole" }
func (p unknownPrincipal) PrincipalAccount() string       { return "" }
func (p unknownPrincipal) PolicyFragment() *iam.PrincipalPolicyFragment {
	panic(fmt.Sprintf("autoscaling: %q: the role of an imported Auto Scaling group is unknown and cannot be named in a policy", p.scope.Node().Path()))
}
func (p unknownPrincipal) AddToPrincipalPolicy(s *iam.PolicyStatement) iam.AddToPrincipalPolicyResult {
	p.scope.Node().AddWarning("the role of an imported Auto Scaling group is unknown; add the statement to the instances' role yourself")
	return iam.AddToPrincipalPolicyResult{}
}
