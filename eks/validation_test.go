package eks_test

import (
	"testing"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/aws/kms"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/eks"
)

func TestClusterValidation(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		env   cdk.Environment
		props func(*cdk.Stack) eks.ClusterProps
		want  []string
	}{
		{"fails without a version", cdk.Environment{}, func(*cdk.Stack) eks.ClusterProps { return eks.ClusterProps{} },
			[]string{"Stack/Cluster", "Version is required: set ClusterProps.Version, e.g. eks.V1_34"}},
		{"fails with a malformed version", cdk.Environment{}, func(*cdk.Stack) eks.ClusterProps { return eks.ClusterProps{Version: "v1.30"} },
			[]string{`Version "v1.30" is not a Kubernetes version`}},
		{"fails with OnlyFrom on a private endpoint", cdk.Environment{}, func(*cdk.Stack) eks.ClusterProps {
			return eks.ClusterProps{Version: eks.V1_34, EndpointAccess: eks.EndpointAccessPrivate.OnlyFrom("1.2.3.4/32")}
		}, []string{"Stack/Cluster", "OnlyFrom restricts public access, but eks.EndpointAccessPrivate has none"}},
		{"fails with a private endpoint and no private subnets", cdk.Environment{}, func(s *cdk.Stack) eks.ClusterProps {
			vpc := ec2.NewVpc(s, "Vpc", ec2.VpcProps{SubnetConfiguration: []ec2.SubnetConfiguration{{Name: "pub", SubnetType: ec2.SubnetTypePublic}}})
			return eks.ClusterProps{Version: eks.V1_34, Vpc: vpc, EndpointAccess: eks.EndpointAccessPrivate}
		}, []string{"EndpointAccess PRIVATE needs private subnets"}},
		{"fails with a restricted endpoint and no private subnets", cdk.Environment{}, func(s *cdk.Stack) eks.ClusterProps {
			vpc := ec2.NewVpc(s, "Vpc", ec2.VpcProps{SubnetConfiguration: []ec2.SubnetConfiguration{{Name: "pub", SubnetType: ec2.SubnetTypePublic}}})
			return eks.ClusterProps{Version: eks.V1_34, Vpc: vpc, EndpointAccess: eks.EndpointAccessPublicAndPrivate.OnlyFrom("1.2.3.4/32"), DefaultCapacity: cdk.Ptr(0)}
		}, []string{"restricted with OnlyFrom needs private subnets"}},
		{"fails with a key in another region", cdk.Environment{Account: "123456789012", Region: "us-east-1"}, func(s *cdk.Stack) eks.ClusterProps {
			return eks.ClusterProps{Version: eks.V1_34, SecretsEncryptionKey: kms.KeyFromKeyArn(s, "Key", "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")}
		}, []string{"SecretsEncryptionKey arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab is in region eu-west-1, but the cluster is in us-east-1"}},
		{"fails with a negative default capacity", cdk.Environment{}, func(*cdk.Stack) eks.ClusterProps {
			return eks.ClusterProps{Version: eks.V1_34, DefaultCapacity: cdk.Ptr(-1)}
		}, []string{"DefaultCapacity is -1"}},
		{"fails with compute without auto mode", cdk.Environment{}, func(*cdk.Stack) eks.ClusterProps {
			return eks.ClusterProps{Version: eks.V1_34, Compute: &eks.ComputeConfig{}}
		}, []string{"Compute is only for EKS Auto Mode"}},
		{"fails with default capacity in auto mode", cdk.Environment{}, func(*cdk.Stack) eks.ClusterProps {
			return eks.ClusterProps{Version: eks.V1_34, DefaultCapacityType: eks.DefaultCapacityTypeAutoMode, DefaultCapacity: cdk.Ptr(2)}
		}, []string{"DefaultCapacity and DefaultCapacityInstance cannot be set with EKS Auto Mode"}},
		{"fails with an unknown node pool", cdk.Environment{}, func(*cdk.Stack) eks.ClusterProps {
			return eks.ClusterProps{Version: eks.V1_34, DefaultCapacityType: eks.DefaultCapacityTypeAutoMode, Compute: &eks.ComputeConfig{NodePools: []eks.AutoModeNodePool{"gpu"}}}
		}, []string{`Compute.NodePools: "gpu" is not a built-in node pool`}},
		{"fails with self-managed addons in auto mode", cdk.Environment{}, func(*cdk.Stack) eks.ClusterProps {
			return eks.ClusterProps{Version: eks.V1_34, DefaultCapacityType: eks.DefaultCapacityTypeAutoMode, BootstrapSelfManagedAddons: cdk.Ptr(true)}
		}, []string{"BootstrapSelfManagedAddons cannot be true with EKS Auto Mode"}},
		{"fails with a service CIDR and IPv6", cdk.Environment{}, func(*cdk.Stack) eks.ClusterProps {
			return eks.ClusterProps{Version: eks.V1_34, IpFamily: eks.IpFamilyIpV6, ServiceIpv4Cidr: "10.0.0.0/16"}
		}, []string{"ServiceIpv4Cidr cannot be set with IpFamily IPv6"}},
		{"fails with a masters role output and no masters role", cdk.Environment{}, func(*cdk.Stack) eks.ClusterProps {
			return eks.ClusterProps{Version: eks.V1_34, OutputMastersRoleArn: true}
		}, []string{"OutputMastersRoleArn needs a MastersRole"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app, stack := newStack(tc.env)
			eks.NewCluster(stack, "Cluster", tc.props(stack))
			wantError(t, app, tc.want...)
		})
	}
}

func TestKeyInTheStackRegionIsAccepted(t *testing.T) {
	t.Parallel()
	app, stack := newStack(cdk.Environment{Account: "123456789012", Region: "us-east-1"})
	eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34, SecretsEncryptionKey: kms.KeyFromKeyArn(stack, "Key", "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")})
	if err := synthError(t, app); err != "" {
		t.Fatal(err)
	}
}

func TestSeveralProblemsAreReportedTogether(t *testing.T) {
	t.Parallel()
	app, stack := newStack()
	c := eks.NewCluster(stack, "Cluster", eks.ClusterProps{DefaultCapacity: cdk.Ptr(0)})
	c.AddNodegroupCapacity("ng", eks.NodegroupOptions{DesiredSize: cdk.Ptr(9), MaxSize: cdk.Ptr(3)})
	c.AddFargateProfile("p", eks.FargateProfileOptions{})
	wantError(t, app, "Version is required", "desired size 9 is greater than max size 3", "at least one selector")
}
