package eks_test

import (
	"testing"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/aws/kms"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/eks"
)

func partitionArn(suffix string) map[string]any {
	return map[string]any{"Fn::Join": []any{"", []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, suffix}}}
}

func TestClusterDefaults(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34})
	tmpl := assertions.FromStack(t, stack)
	tmpl.ResourceCountIs("AWS::EKS::Cluster", 1)
	tmpl.HasResourceProperties("AWS::EKS::Cluster", map[string]any{
		"Version":                 "1.34",
		"RoleArn":                 map[string]any{"Fn::GetAtt": []any{"ClusterRoleFA261979", "Arn"}},
		"AccessConfig":            map[string]any{"AuthenticationMode": "API_AND_CONFIG_MAP", "BootstrapClusterCreatorAdminPermissions": false},
		"KubernetesNetworkConfig": map[string]any{"IpFamily": "ipv4"},
		"ResourcesVpcConfig": map[string]any{
			"EndpointPrivateAccess": true,
			"EndpointPublicAccess":  true,
			"PublicAccessCidrs":     Match.Absent(),
			"SecurityGroupIds":      []any{map[string]any{"Fn::GetAtt": []any{"ClusterControlPlaneSecurityGroupD274242C", "GroupId"}}},
			"SubnetIds": []any{
				map[string]any{"Ref": "ClusterDefaultVpcPublicSubnet1Subnet3BFE1BDA"},
				map[string]any{"Ref": "ClusterDefaultVpcPublicSubnet2SubnetC4E9A966"},
				map[string]any{"Ref": "ClusterDefaultVpcPrivateSubnet1Subnet03F39409"},
				map[string]any{"Ref": "ClusterDefaultVpcPrivateSubnet2SubnetA526AEA7"},
			},
		},
		"ComputeConfig":    Match.Absent(),
		"EncryptionConfig": Match.Absent(),
		"Name":             Match.Absent(),
	})
	tmpl.HasResourceProperties("AWS::IAM::Role", map[string]any{
		"AssumeRolePolicyDocument": map[string]any{"Statement": []any{map[string]any{"Action": "sts:AssumeRole", "Principal": map[string]any{"Service": "eks.amazonaws.com"}}}},
		"ManagedPolicyArns":        []any{partitionArn(":iam::aws:policy/AmazonEKSClusterPolicy")},
	})
	tmpl.HasResourceProperties("AWS::EC2::SecurityGroup", map[string]any{"GroupDescription": "EKS Control Plane Security Group"})
	// The default capacity: a managed node group of 2 m5.large.
	tmpl.HasResourceProperties("AWS::EKS::Nodegroup", map[string]any{
		"InstanceTypes": []any{"m5.large"},
		"AmiType":       "AL2023_x86_64_STANDARD",
		"ScalingConfig": map[string]any{"DesiredSize": 2, "MinSize": 2, "MaxSize": 2},
	})
	tmpl.ResourceCountIs("AWS::AutoScaling::AutoScalingGroup", 0)
	// No masters role, no outputs.
	tmpl.ResourceCountIs("AWS::EKS::AccessEntry", 0)
	if outs := tmpl.FindOutputs("*", map[string]any{}); len(outs) != 0 {
		t.Errorf("outputs without a masters role: %v", outs)
	}
	// Subnets tagged for load balancers.
	tmpl.HasResourceProperties("AWS::EC2::Subnet", map[string]any{"Tags": Match.ArrayWith([]any{map[string]any{"Key": "kubernetes.io/role/internal-elb", "Value": "1"}})})
	tmpl.HasResourceProperties("AWS::EC2::Subnet", map[string]any{"Tags": Match.ArrayWith([]any{map[string]any{"Key": "kubernetes.io/role/elb", "Value": "1"}})})
	// The cluster waits for the VPC (private endpoint access).
	tmpl.HasResource("AWS::EKS::Cluster", map[string]any{"DependsOn": Match.ArrayWith([]any{"ClusterDefaultVpcPrivateSubnet1DefaultRouteD624C8BD"})})

	if c.DefaultNodegroup() == nil {
		t.Error("DefaultNodegroup() is nil for the default capacity")
	}
	if c.KubernetesVersion() != eks.V1_34 || c.AuthenticationMode() != eks.AuthenticationModeApiAndConfigMap || c.IpFamily() != eks.IpFamilyIpV4 {
		t.Error("accessors do not report the defaults")
	}
	for name, v := range map[string]string{
		"ClusterName": c.ClusterName(), "ClusterArn": c.ClusterArn(), "ClusterEndpoint": c.ClusterEndpoint(),
		"ClusterCertificateAuthorityData": c.ClusterCertificateAuthorityData(), "ClusterSecurityGroupId": c.ClusterSecurityGroupId(),
		"ClusterEncryptionConfigKeyArn": c.ClusterEncryptionConfigKeyArn(), "ClusterOpenIdConnectIssuerUrl": c.ClusterOpenIdConnectIssuerUrl(),
	} {
		if !cdk.IsUnresolved(v) {
			t.Errorf("%s = %q, want a token", name, v)
		}
	}
	if c.Vpc() == nil || c.Role() == nil || c.SecurityGroup() == nil || c.ClusterSecurityGroup() == nil || len(c.Connections().SecurityGroups()) != 2 {
		t.Error("Vpc, Role, SecurityGroup, ClusterSecurityGroup or Connections missing")
	}
}

func TestClusterAttributesResolve(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34, DefaultCapacity: cdk.Ptr(0)})
	for id, v := range map[string]string{
		"Name": c.ClusterName(), "Arn": c.ClusterArn(), "Endpoint": c.ClusterEndpoint(), "Ca": c.ClusterCertificateAuthorityData(),
		"Sg": c.ClusterSecurityGroupId(), "Key": c.ClusterEncryptionConfigKeyArn(), "Oidc": c.ClusterOpenIdConnectIssuerUrl(),
	} {
		cdk.NewCfnOutput(stack, id, cdk.CfnOutputProps{Value: v})
	}
	tmpl := assertions.FromStack(t, stack)
	for id, want := range map[string]any{
		"Name":     map[string]any{"Ref": "ClusterEB0386A7"},
		"Arn":      map[string]any{"Fn::GetAtt": []any{"ClusterEB0386A7", "Arn"}},
		"Endpoint": map[string]any{"Fn::GetAtt": []any{"ClusterEB0386A7", "Endpoint"}},
		"Ca":       map[string]any{"Fn::GetAtt": []any{"ClusterEB0386A7", "CertificateAuthorityData"}},
		"Sg":       map[string]any{"Fn::GetAtt": []any{"ClusterEB0386A7", "ClusterSecurityGroupId"}},
		"Key":      map[string]any{"Fn::GetAtt": []any{"ClusterEB0386A7", "EncryptionConfigKeyArn"}},
		"Oidc":     map[string]any{"Fn::GetAtt": []any{"ClusterEB0386A7", "OpenIdConnectIssuerUrl"}},
	} {
		tmpl.HasOutput(id, map[string]any{"Value": want})
	}
}

func TestClusterProps(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		props func(stack *cdk.Stack) eks.ClusterProps
		want  map[string]any
	}{
		{"cluster name", func(*cdk.Stack) eks.ClusterProps { return eks.ClusterProps{ClusterName: "prod"} }, map[string]any{"Name": "prod"}},
		{"version of", func(*cdk.Stack) eks.ClusterProps { return eks.ClusterProps{Version: eks.KubernetesVersionOf("1.38")} }, map[string]any{"Version": "1.38"}},
		{"endpoint public", func(*cdk.Stack) eks.ClusterProps { return eks.ClusterProps{EndpointAccess: eks.EndpointAccessPublic} },
			map[string]any{"ResourcesVpcConfig": map[string]any{"EndpointPublicAccess": true, "EndpointPrivateAccess": false}}},
		{"endpoint private", func(*cdk.Stack) eks.ClusterProps { return eks.ClusterProps{EndpointAccess: eks.EndpointAccessPrivate} },
			map[string]any{"ResourcesVpcConfig": map[string]any{"EndpointPublicAccess": false, "EndpointPrivateAccess": true}}},
		{"endpoint only from", func(*cdk.Stack) eks.ClusterProps {
			return eks.ClusterProps{EndpointAccess: eks.EndpointAccessPublicAndPrivate.OnlyFrom("1.2.3.4/32", "5.6.7.0/24")}
		}, map[string]any{"ResourcesVpcConfig": map[string]any{"EndpointPublicAccess": true, "EndpointPrivateAccess": true, "PublicAccessCidrs": []any{"1.2.3.4/32", "5.6.7.0/24"}}}},
		{"logging", func(*cdk.Stack) eks.ClusterProps {
			return eks.ClusterProps{ClusterLogging: []eks.ClusterLoggingType{eks.ClusterLoggingApi, eks.ClusterLoggingAudit}}
		}, map[string]any{"Logging": map[string]any{"ClusterLogging": map[string]any{"EnabledTypes": []any{map[string]any{"Type": "api"}, map[string]any{"Type": "audit"}}}}}},
		{"ipv6", func(*cdk.Stack) eks.ClusterProps { return eks.ClusterProps{IpFamily: eks.IpFamilyIpV6} },
			map[string]any{"KubernetesNetworkConfig": map[string]any{"IpFamily": "ipv6"}}},
		{"service cidr", func(*cdk.Stack) eks.ClusterProps { return eks.ClusterProps{ServiceIpv4Cidr: "172.16.0.0/12"} },
			map[string]any{"KubernetesNetworkConfig": map[string]any{"IpFamily": "ipv4", "ServiceIpv4Cidr": "172.16.0.0/12"}}},
		{"tags", func(*cdk.Stack) eks.ClusterProps {
			return eks.ClusterProps{Tags: map[string]string{"b": "2", "a": "1"}}
		},
			map[string]any{"Tags": []any{map[string]any{"Key": "a", "Value": "1"}, map[string]any{"Key": "b", "Value": "2"}}}},
		{"api mode", func(*cdk.Stack) eks.ClusterProps {
			return eks.ClusterProps{AuthenticationMode: eks.AuthenticationModeApi}
		},
			map[string]any{"AccessConfig": map[string]any{"AuthenticationMode": "API"}}},
		{"config map mode", func(*cdk.Stack) eks.ClusterProps {
			return eks.ClusterProps{AuthenticationMode: eks.AuthenticationModeConfigMap, BootstrapClusterCreatorAdminPermissions: cdk.Ptr(false)}
		}, map[string]any{"AccessConfig": map[string]any{"AuthenticationMode": "CONFIG_MAP", "BootstrapClusterCreatorAdminPermissions": false}}},
		{"bootstrap addons and deletion protection", func(*cdk.Stack) eks.ClusterProps {
			return eks.ClusterProps{BootstrapSelfManagedAddons: cdk.Ptr(false), DeletionProtection: true}
		}, map[string]any{"BootstrapSelfManagedAddons": false, "DeletionProtection": true}},
		{"secrets key", func(s *cdk.Stack) eks.ClusterProps {
			return eks.ClusterProps{SecretsEncryptionKey: kms.NewKey(s, "Key", kms.KeyProps{})}
		}, map[string]any{"EncryptionConfig": []any{map[string]any{"Provider": map[string]any{"KeyArn": map[string]any{"Fn::GetAtt": []any{"Key961B73FD", "Arn"}}}, "Resources": []any{"secrets"}}}}},
		{"own role and security group", func(s *cdk.Stack) eks.ClusterProps {
			return eks.ClusterProps{
				Role:          iam.RoleFromRoleArn(s, "R", "arn:aws:iam::123456789012:role/eks"),
				SecurityGroup: ec2.SecurityGroupFromSecurityGroupId(s, "SG", "sg-12345"),
			}
		}, map[string]any{"RoleArn": "arn:aws:iam::123456789012:role/eks", "ResourcesVpcConfig": map[string]any{"SecurityGroupIds": []any{"sg-12345"}}}},
		{"own vpc and subnets", func(s *cdk.Stack) eks.ClusterProps {
			vpc := ec2.NewVpc(s, "MyVpc", ec2.VpcProps{MaxAzs: 2})
			return eks.ClusterProps{Vpc: vpc, VpcSubnets: []ec2.SubnetSelection{{SubnetType: ec2.SubnetTypePrivateWithEgress}}}
		}, map[string]any{"ResourcesVpcConfig": map[string]any{"SubnetIds": []any{
			map[string]any{"Ref": "MyVpcPrivateSubnet1Subnet5057CF7E"}, map[string]any{"Ref": "MyVpcPrivateSubnet2Subnet0040C983"}}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stack := newStack()
			props := tc.props(stack)
			if props.Version == "" {
				props.Version = eks.V1_34
			}
			props.DefaultCapacity = cdk.Ptr(0)
			eks.NewCluster(stack, "Cluster", props)
			assertions.FromStack(t, stack).HasResourceProperties("AWS::EKS::Cluster", tc.want)
		})
	}
}

func TestClusterRemovalPolicyAppliesToEKSResources(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34, RemovalPolicy: cdk.RemovalPolicyRetain})
	c.AddFargateProfile("p", eks.FargateProfileOptions{Selectors: []eks.Selector{{Namespace: "default"}}})
	c.GrantAccess("a", "arn:aws:iam::123456789012:role/x", eks.AccessPolicyFromAccessPolicyName("AmazonEKSViewPolicy", eks.AccessScope{Type: eks.AccessScopeTypeCluster}))
	tmpl := assertions.FromStack(t, stack)
	for _, typ := range []string{"AWS::EKS::Cluster", "AWS::EKS::Nodegroup", "AWS::EKS::FargateProfile", "AWS::EKS::AccessEntry"} {
		tmpl.HasResource(typ, map[string]any{"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"})
	}
}

func TestMastersRole(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	masters := iam.NewRole(stack, "Masters", iam.RoleProps{AssumedBy: iam.NewAccountRootPrincipal()})
	c := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34, MastersRole: masters, DefaultCapacity: cdk.Ptr(0), OutputClusterName: true, OutputMastersRoleArn: true})
	tmpl := assertions.FromStack(t, stack)
	tmpl.HasResourceProperties("AWS::EKS::AccessEntry", map[string]any{
		"ClusterName":  map[string]any{"Ref": "ClusterEB0386A7"},
		"PrincipalArn": map[string]any{"Fn::GetAtt": []any{"MastersEA6F689C", "Arn"}},
		"AccessPolicies": []any{map[string]any{
			"AccessScope": map[string]any{"Type": "cluster"},
			"PolicyArn":   partitionArn(":eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"),
		}},
	})
	cmd := func(prefix string) map[string]any {
		return map[string]any{"Value": map[string]any{"Fn::Join": []any{"", []any{
			prefix, map[string]any{"Ref": "ClusterEB0386A7"}, " --region ", map[string]any{"Ref": "AWS::Region"},
			" --role-arn ", map[string]any{"Fn::GetAtt": []any{"MastersEA6F689C", "Arn"}},
		}}}}
	}
	tmpl.HasOutput("ClusterConfigCommand43AAE40F", cmd("aws eks update-kubeconfig --name "))
	tmpl.HasOutput("ClusterGetTokenCommand06AE992E", cmd("aws eks get-token --cluster-name "))
	tmpl.HasOutput("ClusterClusterNameEB26049E", map[string]any{"Value": map[string]any{"Ref": "ClusterEB0386A7"}})
	tmpl.HasOutput("ClusterMastersRoleArnB15964B1", map[string]any{"Value": map[string]any{"Fn::GetAtt": []any{"MastersEA6F689C", "Arn"}}})
	// Only the given role: no role anyone in the account may assume.
	tmpl.ResourceCountIs("AWS::IAM::Role", 2)
	if got := eks.AwsAuthRoleMappings(c); len(got) != 0 {
		t.Errorf("masters role recorded as a role mapping: %v", got)
	}

	_, stack2 := newStack(cdk.Environment{Account: "123456789012", Region: "eu-west-1"})
	eks.NewCluster(stack2, "Cluster", eks.ClusterProps{Version: eks.V1_34, MastersRole: iam.RoleFromRoleArn(stack2, "M", "arn:aws:iam::123456789012:role/admin"), DefaultCapacity: cdk.Ptr(0), DisableOutputConfigCommand: true})
	if outs := assertions.FromStack(t, stack2).FindOutputs("*", map[string]any{}); len(outs) != 0 {
		t.Errorf("DisableOutputConfigCommand still outputs %v", outs)
	}
}

func TestEndpointAccessValues(t *testing.T) {
	t.Parallel()
	cases := []struct {
		ea              eks.EndpointAccess
		public, private bool
		str             string
	}{
		{eks.EndpointAccess{}, true, true, "PUBLIC_AND_PRIVATE"},
		{eks.EndpointAccessPublic, true, false, "PUBLIC"},
		{eks.EndpointAccessPrivate, false, true, "PRIVATE"},
		{eks.EndpointAccessPublic.OnlyFrom("1.1.1.1/32"), true, false, "PUBLIC.onlyFrom(1.1.1.1/32)"},
	}
	for _, tc := range cases {
		if tc.ea.PublicAccess() != tc.public || tc.ea.PrivateAccess() != tc.private || tc.ea.String() != tc.str {
			t.Errorf("%v: public %v private %v, want %v %v %q", tc.ea, tc.ea.PublicAccess(), tc.ea.PrivateAccess(), tc.public, tc.private, tc.str)
		}
	}
}

func TestKubernetesVersionOf(t *testing.T) {
	t.Parallel()
	if eks.KubernetesVersionOf("1.40").String() != "1.40" {
		t.Error("KubernetesVersionOf(1.40)")
	}
	for _, bad := range []string{"", "1", "v1.30", "2.0", "1.x", "1.030"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("KubernetesVersionOf(%q) did not panic", bad)
				}
			}()
			eks.KubernetesVersionOf(bad)
		}()
	}
}

func TestAutoMode(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34, DefaultCapacityType: eks.DefaultCapacityTypeAutoMode})
	tmpl := assertions.FromStack(t, stack)
	tmpl.HasResourceProperties("AWS::EKS::Cluster", map[string]any{
		"ComputeConfig": map[string]any{
			"Enabled":     true,
			"NodePools":   []any{"system", "general-purpose"},
			"NodeRoleArn": map[string]any{"Fn::GetAtt": []any{"ClusterClusternodePoolRole69276141", "Arn"}},
		},
		"KubernetesNetworkConfig": map[string]any{"ElasticLoadBalancing": map[string]any{"Enabled": true}},
		"StorageConfig":           map[string]any{"BlockStorage": map[string]any{"Enabled": true}},
	})
	tmpl.ResourceCountIs("AWS::EKS::Nodegroup", 0)
	tmpl.HasResourceProperties("AWS::IAM::Role", map[string]any{
		"AssumeRolePolicyDocument": map[string]any{"Statement": []any{
			map[string]any{"Action": []any{"sts:AssumeRole", "sts:TagSession"}, "Principal": map[string]any{"Service": "eks.amazonaws.com"}},
		}},
		"ManagedPolicyArns": Match.ArrayWith([]any{partitionArn(":iam::aws:policy/AmazonEKSComputePolicy"), partitionArn(":iam::aws:policy/AmazonEKSNetworkingPolicy")}),
	})
	tmpl.HasResourceProperties("AWS::IAM::Role", map[string]any{
		"ManagedPolicyArns": []any{partitionArn(":iam::aws:policy/AmazonEKSWorkerNodePolicy"), partitionArn(":iam::aws:policy/AmazonEC2ContainerRegistryReadOnly")},
	})
	if c.AutoModeNodeRole() == nil || c.DefaultNodegroup() != nil {
		t.Error("auto mode: node role missing or a default node group made")
	}

	_, stack2 := newStack()
	role := iam.RoleFromRoleArn(stack2, "NR", "arn:aws:iam::123456789012:role/nodes")
	eks.NewCluster(stack2, "Cluster", eks.ClusterProps{Version: eks.V1_34, DefaultCapacityType: eks.DefaultCapacityTypeAutoMode,
		Compute: &eks.ComputeConfig{NodePools: []eks.AutoModeNodePool{eks.AutoModeNodePoolGeneralPurpose}, NodeRole: role}})
	assertions.FromStack(t, stack2).HasResourceProperties("AWS::EKS::Cluster", map[string]any{
		"ComputeConfig": map[string]any{"Enabled": true, "NodePools": []any{"general-purpose"}, "NodeRoleArn": "arn:aws:iam::123456789012:role/nodes"},
	})
}

func TestSeveralClustersInOneStack(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	vpc := ec2.NewVpc(stack, "Vpc", ec2.VpcProps{})
	for _, id := range []string{"A", "B", "C"} {
		c := eks.NewCluster(stack, id, eks.ClusterProps{Version: eks.V1_33, Vpc: vpc, MastersRole: iam.RoleFromRoleArn(stack, id+"Masters", "arn:aws:iam::123456789012:role/"+id)})
		c.AddFargateProfile("p", eks.FargateProfileOptions{Selectors: []eks.Selector{{Namespace: "default"}}})
	}
	tmpl := assertions.FromStack(t, stack)
	tmpl.ResourceCountIs("AWS::EKS::Cluster", 3)
	tmpl.ResourceCountIs("AWS::EKS::Nodegroup", 3)
	tmpl.ResourceCountIs("AWS::EKS::FargateProfile", 3)
	tmpl.ResourceCountIs("AWS::EKS::AccessEntry", 3)
	tmpl.ResourceCountIs("AWS::EC2::VPC", 1)
}

func TestImportedCluster(t *testing.T) {
	t.Parallel()
	_, stack := newStack(cdk.Environment{Account: "123456789012", Region: "us-east-1"})
	vpc := ec2.VpcFromVpcAttributes(stack, "Vpc", ec2.VpcAttributes{VpcId: "vpc-1", AvailabilityZones: []string{"us-east-1a"}, PrivateSubnetIds: []string{"subnet-1"}})
	c := eks.ClusterFromClusterAttributes(stack, "Imported", eks.ClusterAttributes{
		ClusterName: "prod", Vpc: vpc, ClusterSecurityGroupId: "sg-1", KubernetesVersion: eks.V1_33,
	})
	if c.ClusterName() != "prod" || c.ClusterArn() != "arn:aws:eks:us-east-1:123456789012:cluster/prod" || c.ClusterSecurityGroupId() != "sg-1" {
		t.Errorf("imported attributes: %s %s %s", c.ClusterName(), c.ClusterArn(), c.ClusterSecurityGroupId())
	}
	ng := eks.NewNodegroup(stack, "Ng", eks.NodegroupProps{Cluster: c})
	eks.NewFargateProfile(stack, "Fp", eks.FargateProfileProps{Cluster: c, FargateProfileOptions: eks.FargateProfileOptions{Selectors: []eks.Selector{{Namespace: "a"}}}})
	eks.NewAccessEntry(stack, "Ae", eks.AccessEntryProps{Cluster: c, Principal: "arn:aws:iam::123456789012:role/x"})
	tmpl := assertions.FromStack(t, stack)
	tmpl.HasResourceProperties("AWS::EKS::Nodegroup", map[string]any{"ClusterName": "prod", "Subnets": []any{"subnet-1"}})
	tmpl.HasResourceProperties("AWS::EKS::FargateProfile", map[string]any{"ClusterName": "prod", "Subnets": []any{"subnet-1"}})
	tmpl.HasResourceProperties("AWS::EKS::AccessEntry", map[string]any{"ClusterName": "prod"})
	if ng.Cluster() != c {
		t.Error("Nodegroup.Cluster")
	}
	defer func() {
		if r := recover(); r == nil {
			t.Error("reading a missing attribute did not panic")
		}
	}()
	_ = c.ClusterEndpoint()
}

// The cluster role may use the secrets key as EKS documents (encrypt,
// decrypt, list grants, describe), and the policy exists before the cluster.
func TestSecretsEncryptionKeyGrantsTheClusterRole(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	key := kms.NewKey(stack, "Key", kms.KeyProps{})
	eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34, SecretsEncryptionKey: key, DefaultCapacity: cdk.Ptr(0)})
	tp := assertions.FromStack(t, stack)
	keyArn := map[string]any{"Fn::GetAtt": []any{"Key961B73FD", "Arn"}}
	tp.HasResourceProperties("AWS::IAM::Policy", map[string]any{
		"PolicyDocument": map[string]any{"Statement": assertions.Match.ArrayWith([]any{map[string]any{
			"Action":   []any{"kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:ListGrants"},
			"Effect":   "Allow",
			"Resource": keyArn,
		}})},
		"Roles": []any{map[string]any{"Ref": assertions.Match.StringLikeRegexp("^ClusterRole")}},
	})
	tp.HasResource("AWS::EKS::Cluster", map[string]any{
		"DependsOn": assertions.Match.ArrayWith([]any{assertions.Match.StringLikeRegexp("^ClusterRoleDefaultPolicy")}),
	})
}
