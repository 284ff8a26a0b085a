// Package ec2 holds the Amazon EC2 constructs the EKS library stands on:
// a [Vpc] with the AWS CDK's defaults, subnets and subnet selection,
// security groups with [Connections], peers ([IPeer]) and ports ([Port]), instance types,
// machine images (the EKS-optimized and Bottlerocket AMIs), user data and
// launch templates. It builds on the generated L1 resources of cfn/ec2
// (package cfnec2), and writes what the AWS CDK's aws-ec2 module writes: the
// same resources, logical IDs, CIDR blocks, tags and rule names, checked by a
// test that synthesizes the same apps with aws-cdk-lib.
//
// It is not a complete port of aws-ec2: there are no instances, NAT
// instances, VPC endpoints, flow logs, VPN, network ACLs, IPAM or IPv6 VPCs,
// and no lookups of existing resources at synthesis.
//
// # VPC
//
// NewVpc with zero VpcProps makes the AWS CDK's default VPC: 10.0.0.0/16,
// one public and one private (SubnetTypePrivateWithEgress) subnet per
// Availability Zone, an internet gateway, and a NAT gateway with an Elastic
// IP in each public subnet:
//
//	vpc := ec2.NewVpc(stack, "Vpc", ec2.VpcProps{})
//	private := vpc.SelectSubnets(ec2.SubnetSelection{SubnetType: ec2.SubnetTypePrivateWithEgress})
//
// Subnet blocks are split as the AWS CDK splits them: groups with a CidrMask
// get their blocks first, in order; the rest of the VPC block is divided
// evenly among the other subnets (2 zones × 2 groups give /18s, 3 zones ×
// 2 groups /19s), each block aligned to its size.
//
// # Availability Zones
//
//   - In an environment-agnostic stack (account or region unknown) the VPC
//     uses 2 zones, {"Fn::Select": [i, {"Fn::GetAZs": ""}]}, as the AWS CDK
//     does. Asking for more with MaxAzs is an error (the AWS CDK silently
//     uses 2): set the stack's Env, or list AvailabilityZones.
//   - In a stack with a known account and region, the zones come from the
//     context key "availability-zones:account=<account>:region=<region>"
//     (what `cdk synth` stores in cdk.context.json) when it is set. Otherwise
//     the VPC uses up to 3 zones through Fn::Select of Fn::GetAZs. The AWS
//     CDK would instead ask its CLI to look the zones up, and synthesize
//     placeholder names ("dummy1a") until it has; eksforge does no lookups
//     at synthesis, and Fn::GetAZs resolves to the real zones at deploy time.
//     A region with fewer than 3 zones available to the account needs MaxAzs
//     or AvailabilityZones.
//   - AvailabilityZones lists the zones explicitly.
//
// # Security groups
//
// Rules with address peers ([PeerIpv4], [PeerAnyIpv6], [PeerSecurityGroupId])
// are written inside the AWS::EC2::SecurityGroup; rules whose peer is a
// security group or a prefix list become separate
// AWS::EC2::SecurityGroupIngress/Egress resources named as the AWS CDK names
// them ("<Group>from<OtherGroupUniqueId>:<port>"). [Connections] adds both
// sides of a rule: AllowFrom on A adds ingress to A and egress to the peer's
// groups (when they do not allow all outbound traffic).
//
// # Machine images and launch templates
//
// [EksOptimizedAmi] and [BottlerocketImage] read the latest AMI IDs from
// their public SSM parameters at deploy time (template parameters of type
// AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>, see package
// aws/ssm). [NewLaunchTemplate] makes an AWS::EC2::LaunchTemplate with an
// instance profile for its role, Fn::Base64 user data, and the construct's
// tags on the template, its instances and volumes.
//
// # Errors
//
// Mistakes in props (a malformed CIDR, subnets that do not fit the VPC, a
// port range that starts after it ends, a malformed instance type) panic at
// construction with the construct path and the fix, as the AWS CDK throws.
// Problems that only show in context (MaxAzs in an environment-agnostic
// stack) are recorded on the construct and returned by app.Synth().
package ec2
