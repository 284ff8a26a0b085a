package eks

import (
	"encoding/json"
	"sort"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	cfneks "github.com/eksforge/eksforge/cfn/eks"
)

// Selector selects the pods that run on Fargate: those in Namespace with
// all of Labels.
type Selector struct {
	// Namespace of the pods. Required.
	Namespace string
	// Labels the pods must have.
	// Default: none (every pod of the namespace).
	Labels map[string]string
}

// FargateProfileOptions configure a Fargate profile.
type FargateProfileOptions struct {
	// Selectors choose the pods (1 to 5). Required.
	Selectors []Selector
	// FargateProfileName is the profile's name. Changing it replaces the
	// profile.
	// Default: a name CloudFormation generates.
	FargateProfileName string
	// PodExecutionRole is the role pods' Fargate infrastructure uses (to
	// pull images, write logs).
	// Default: a role with AmazonEKSFargatePodExecutionRolePolicy.
	PodExecutionRole iam.IRole
	// Vpc whose subnets the pods run in.
	// Default: the cluster's VPC.
	Vpc ec2.IVpc
	// SubnetSelection chooses the subnets; Fargate takes private subnets
	// only.
	// Default: the private subnets.
	SubnetSelection ec2.SubnetSelection
	// Tags of the profile.
	// Default: none.
	Tags map[string]string
}

// FargateProfileProps define a FargateProfile.
type FargateProfileProps struct {
	// Cluster the profile belongs to. Required.
	Cluster ICluster
	FargateProfileOptions
}

// FargateProfile runs the pods it selects on AWS Fargate
// (AWS::EKS::FargateProfile). EKS creates and deletes one profile of a
// cluster at a time, so each profile depends on the cluster's previous one.
type FargateProfile struct {
	cdk.Base

	// Resource is the AWS::EKS::FargateProfile resource.
	Resource *cfneks.CfnFargateProfile
	role     iam.IRole
}

// NewFargateProfile adds a Fargate profile to scope.
func NewFargateProfile(scope cdk.Construct, id string, props FargateProfileProps) *FargateProfile {
	p := &FargateProfile{}
	cdk.InitConstruct(p, scope, id)
	requiredCluster(p.Node().Path(), "FargateProfileProps.Cluster", props.Cluster)
	o := p.checkFargateProfileOptions(props.FargateProfileOptions)
	checkNotOnOutpost(p.Node(), props.Cluster, "Fargate profiles")
	if o.PodExecutionRole != nil {
		p.role = o.PodExecutionRole
	} else {
		p.role = iam.NewRole(p, "PodExecutionRole", iam.RoleProps{
			AssumedBy:       iam.NewServicePrincipal("eks-fargate-pods.amazonaws.com"),
			ManagedPolicies: []iam.IManagedPolicy{iam.ManagedPolicyFromAwsManagedPolicyName("AmazonEKSFargatePodExecutionRolePolicy")},
		})
	}
	if len(o.Selectors) == 0 {
		p.Node().AddError("a Fargate profile needs at least one selector: set FargateProfileOptions.Selectors")
	}
	if len(o.Selectors) > 5 {
		p.Node().AddError("a Fargate profile has at most 5 selectors, got %d: split them over several profiles", len(o.Selectors))
	}
	var selectors []cfneks.CfnFargateProfileSelector
	for i, s := range o.Selectors {
		if s.Namespace == "" {
			p.Node().AddError("Selectors[%d] has no Namespace", i)
		}
		for _, e := range validateLabels(s.Labels) {
			p.Node().AddError("Selectors[%d].Labels: %s", i, e)
		}
		keys := make([]string, 0, len(s.Labels))
		for k := range s.Labels {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		labels := []cfneks.CfnFargateProfileLabel{}
		for _, k := range keys {
			labels = append(labels, cfneks.CfnFargateProfileLabel{Key: k, Value: s.Labels[k]})
		}
		selectors = append(selectors, cfneks.CfnFargateProfileSelector{Namespace: s.Namespace, Labels: labels})
	}
	vpc := o.Vpc
	if vpc == nil {
		vpc = props.Cluster.Vpc()
	}
	var subnets []string
	if vpc != nil {
		sel := ec2.SubnetSelection{SubnetType: ec2.SubnetTypePrivateWithEgress}
		if !o.SubnetSelection.IsZero() {
			sel = o.SubnetSelection
		}
		res, err := ec2.TrySelectSubnets(vpc, sel)
		if err != nil {
			p.Node().AddError("SubnetSelection: %v", err)
		} else if res.HasPublic {
			p.Node().AddError("Fargate runs pods in private subnets only, but SubnetSelection selects public subnets: select private subnets")
		}
		subnets = res.SubnetIds
	}
	var tags []cdk.CfnTag
	keys := make([]string, 0, len(o.Tags))
	for k := range o.Tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		tags = append(tags, cdk.CfnTag{Key: k, Value: o.Tags[k]})
	}
	p.Resource = cfneks.NewCfnFargateProfile(p, "Resource", cfneks.CfnFargateProfileProps{
		ClusterName:         props.Cluster.ClusterName(),
		FargateProfileName:  o.FargateProfileName,
		PodExecutionRoleArn: p.role.RoleArn(),
		Selectors:           selectors,
		Subnets:             subnets,
		Tags:                tags,
	})
	p.Node().SetDefaultChild(p.Resource)
	if c, ok := props.Cluster.(*Cluster); ok {
		c.applyRemovalPolicy(&p.Resource.CfnResource)
	}
	in := props.Cluster.internals()
	if n := len(in.fargateProfiles); n > 0 {
		p.Node().AddDependency(in.fargateProfiles[n-1])
	}
	in.fargateProfiles = append(in.fargateProfiles, p)
	registerCompute(props.Cluster, p.Resource)
	AllowPodTrafficWithClusterSecurityGroup(props.Cluster)
	if in.coreDns != nil {
		// CoreDNS moves to Fargate once the profiles exist, also those
		// added after the cluster.
		in.coreDns.Node().AddDependency(p)
	}
	return p
}

// FargateProfileName is the profile's name.
func (p *FargateProfile) FargateProfileName() string {
	if p.Resource.Props.FargateProfileName != "" {
		return p.Resource.Props.FargateProfileName
	}
	return p.Resource.Ref()
}

// FargateProfileArn is the profile's ARN.
func (p *FargateProfile) FargateProfileArn() string { return p.Resource.AttrArn() }

// PodExecutionRole is the profile's pod execution role.
func (p *FargateProfile) PodExecutionRole() iam.IRole { return p.role }

// AddFargateProfile adds a Fargate profile to the cluster, with id
// "fargate-profile-<id>" as the AWS CDK names it.
func (c *Cluster) AddFargateProfile(id string, opts FargateProfileOptions) *FargateProfile {
	return NewFargateProfile(c, "fargate-profile-"+id, FargateProfileProps{Cluster: c, FargateProfileOptions: opts})
}

// FargateClusterProps define a FargateCluster: the cluster's props, and the
// default profile.
type FargateClusterProps struct {
	ClusterProps
	// DefaultProfile replaces the default Fargate profile.
	// Default: a profile named "default" selecting the default and
	// kube-system namespaces.
	DefaultProfile *FargateProfileOptions
}

// FargateCluster is a cluster whose pods all run on Fargate: no EC2
// capacity, a default profile for the kube-system and default namespaces,
// and CoreDNS on Fargate.
type FargateCluster struct {
	*Cluster
	defaultProfile *FargateProfile
}

// NewFargateCluster adds a Fargate-only cluster to scope. DefaultCapacity
// is forced to 0 and CoreDnsComputeType to Fargate.
func NewFargateCluster(scope cdk.Construct, id string, props FargateClusterProps) *FargateCluster {
	cp := props.ClusterProps
	cp.DefaultCapacity = cdk.Ptr(0)
	cp.DefaultCapacityInstance = ec2.InstanceType{}
	cp.DefaultCapacityType = DefaultCapacityTypeNodegroup
	cp.CoreDnsComputeType = CoreDnsComputeTypeFargate
	// The default profile must exist before the CoreDNS add-on moves its
	// pods to Fargate; NewCluster defines the add-on, so the profile is
	// made first through the registry hook below.
	fc := &FargateCluster{}
	fc.Cluster = newClusterWith(scope, id, cp, func(c *Cluster) {
		name := "default"
		opts := FargateProfileOptions{Selectors: []Selector{{Namespace: "default"}, {Namespace: "kube-system"}}}
		if props.DefaultProfile != nil {
			opts = *props.DefaultProfile
			name = opts.FargateProfileName
			if name == "" {
				name = "custom"
			}
		}
		fc.defaultProfile = c.AddFargateProfile(name, opts)
	})
	if props.ClusterProps.DefaultCapacity != nil && *props.ClusterProps.DefaultCapacity != 0 || !props.ClusterProps.DefaultCapacityInstance.IsZero() || props.ClusterProps.DefaultCapacityType != DefaultCapacityTypeNodegroup {
		fc.Node().AddError("a FargateCluster has no EC2 or Auto Mode capacity: remove DefaultCapacity, DefaultCapacityInstance and DefaultCapacityType")
	}
	return fc
}

// DefaultProfile is the cluster's default Fargate profile.
func (fc *FargateCluster) DefaultProfile() *FargateProfile { return fc.defaultProfile }

// defineCoreDnsOnFargate runs CoreDNS on Fargate with the coredns add-on's
// computeType setting (AWS::EKS::Addon), after every Fargate profile
// defined so far (the one selecting kube-system among them).
func (c *Cluster) defineCoreDnsOnFargate() {
	if c.in.coreDns != nil {
		return
	}
	cfg, _ := json.Marshal(map[string]any{"computeType": "Fargate"})
	addon := cfneks.NewCfnAddon(c, "CoreDnsAddon", cfneks.CfnAddonProps{
		AddonName:           "coredns",
		ClusterName:         c.ClusterName(),
		ConfigurationValues: string(cfg),
		ResolveConflicts:    "OVERWRITE",
	})
	c.applyRemovalPolicy(&addon.CfnResource)
	for _, p := range c.in.fargateProfiles {
		addon.Node().AddDependency(p)
	}
	c.in.coreDns = addon
}
