package eks_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/aws/autoscaling"
	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/cdk/assertions"
	"github.com/eksforge/eksforge/eks"
)

// userDataOf returns the launch template's user data with tokens shown as
// their JSON, for substring checks.
func userDataOf(t *testing.T, tmpl map[string]any, prefix string) string {
	t.Helper()
	for id, r := range resourcesOfType(tmpl, "AWS::EC2::LaunchTemplate") {
		if !strings.HasPrefix(id, prefix) {
			continue
		}
		ud := r["Properties"].(map[string]any)["LaunchTemplateData"].(map[string]any)["UserData"]
		b64, _ := ud.(map[string]any)["Fn::Base64"]
		switch v := b64.(type) {
		case string:
			return v
		case map[string]any:
			var sb strings.Builder
			for _, p := range v["Fn::Join"].([]any)[1].([]any) {
				if s, ok := p.(string); ok {
					sb.WriteString(s)
				} else {
					b, _ := json.Marshal(p)
					sb.Write(b)
				}
			}
			return sb.String()
		}
	}
	t.Fatalf("no launch template %s*", prefix)
	return ""
}

func asgOptions(it string, opts ...func(*eks.AutoScalingGroupCapacityOptions)) eks.AutoScalingGroupCapacityOptions {
	o := eks.AutoScalingGroupCapacityOptions{AutoScalingGroupProps: autoscaling.AutoScalingGroupProps{InstanceType: ec2.InstanceTypeOf(it)}}
	for _, f := range opts {
		f(&o)
	}
	return o
}

func TestDefaultCapacityEC2(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34, DefaultCapacityType: eks.DefaultCapacityTypeEC2, DefaultCapacity: cdk.Ptr(3)})
	if c.DefaultCapacity() == nil || c.DefaultNodegroup() != nil {
		t.Fatal("DefaultCapacity() nil or DefaultNodegroup() set with EC2 capacity")
	}
	tmpl := assertions.FromStack(t, stack)
	tmpl.ResourceCountIs("AWS::EKS::Nodegroup", 0)
	tmpl.HasResourceProperties("AWS::AutoScaling::AutoScalingGroup", map[string]any{
		"MinSize": "3",
		"Tags":    Match.ArrayWith([]any{map[string]any{"Key": map[string]any{"Fn::Join": []any{"", []any{"kubernetes.io/cluster/", map[string]any{"Ref": "ClusterEB0386A7"}}}}, "Value": "owned", "PropagateAtLaunch": true}}),
	})
	tmpl.HasResourceProperties("AWS::EC2::LaunchTemplate", map[string]any{"LaunchTemplateData": map[string]any{"InstanceType": "m5.large"}})
	tmpl.HasParameter("SsmParameterValueawsserviceeksoptimizedami134amazonlinux2023x8664standardrecommendedimageidC96584B6F00A464EAD1953AFF4B05118Parameter",
		map[string]any{"Default": "/aws/service/eks/optimized-ami/1.34/amazon-linux-2023/x86_64/standard/recommended/image_id"})
	// Worker policies on the instance role.
	tmpl.HasResourceProperties("AWS::IAM::Role", map[string]any{
		"AssumeRolePolicyDocument": map[string]any{"Statement": []any{map[string]any{"Principal": map[string]any{"Service": "ec2.amazonaws.com"}}}},
		"ManagedPolicyArns": []any{
			partitionArn(":iam::aws:policy/AmazonEKSWorkerNodePolicy"),
			partitionArn(":iam::aws:policy/AmazonEKS_CNI_Policy"),
			partitionArn(":iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"),
		},
	})
	// The node role gets an EC2_LINUX access entry and an aws-auth mapping.
	tmpl.HasResourceProperties("AWS::EKS::AccessEntry", map[string]any{
		"Type":         "EC2_LINUX",
		"PrincipalArn": map[string]any{"Fn::GetAtt": []any{"ClusterDefaultCapacityInstanceRole3E209969", "Arn"}},
	})
	maps := eks.AwsAuthRoleMappings(c)
	if len(maps) != 1 || maps[0].Username != "system:node:{{EC2PrivateDNSName}}" || strings.Join(maps[0].Groups, ",") != "system:bootstrappers,system:nodes" {
		t.Errorf("aws-auth mappings: %+v", maps)
	}
	tmpl.HasOutput("ClusterDefaultCapacityInstanceRoleARN7DADF219", map[string]any{"Value": map[string]any{"Fn::GetAtt": []any{"ClusterDefaultCapacityInstanceRole3E209969", "Arn"}}})
}

func TestSecurityGroupRulesBetweenNodesAndControlPlane(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack)
	c.AddAutoScalingGroupCapacity("Nodes", asgOptions("t3.large"))
	tmpl := assertions.FromStack(t, stack)
	nodes := map[string]any{"Fn::GetAtt": []any{"ClusterNodesInstanceSecurityGroup899246BD", "GroupId"}}
	controlPlane := map[string]any{"Fn::GetAtt": []any{"ClusterControlPlaneSecurityGroupD274242C", "GroupId"}}
	// Nodes talk to each other on every port.
	tmpl.HasResourceProperties("AWS::EC2::SecurityGroupIngress", map[string]any{"GroupId": nodes, "SourceSecurityGroupId": nodes, "IpProtocol": "-1"})
	// The control plane reaches the kubelets and the nodes' 443.
	tmpl.HasResourceProperties("AWS::EC2::SecurityGroupIngress", map[string]any{"GroupId": nodes, "SourceSecurityGroupId": controlPlane, "FromPort": 443, "ToPort": 443})
	tmpl.HasResourceProperties("AWS::EC2::SecurityGroupIngress", map[string]any{"GroupId": nodes, "SourceSecurityGroupId": controlPlane, "FromPort": 1025, "ToPort": 65535})
	// Nodes reach the API server.
	tmpl.HasResourceProperties("AWS::EC2::SecurityGroupIngress", map[string]any{"GroupId": controlPlane, "SourceSecurityGroupId": nodes, "FromPort": 443, "ToPort": 443})
	// The instances are members of their own group only (node_traffic_test.go).
	tmpl.HasResourceProperties("AWS::EC2::LaunchTemplate", map[string]any{"LaunchTemplateData": map[string]any{"SecurityGroupIds": Match.ArrayEquals([]any{nodes})}})
}

func TestAmazonLinux2023Bootstrap(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack)
	c.AddAutoScalingGroupCapacity("Nodes", asgOptions("m6g.large", func(o *eks.AutoScalingGroupCapacityOptions) {
		o.BootstrapOptions = eks.BootstrapOptions{KubeletExtraArgs: "--node-labels foo=bar,goo=far --v=2", DisableMaxPods: true, DnsClusterIp: "10.100.0.10"}
	}))
	tmpl := templateOf(t, stack)
	ud := userDataOf(t, tmpl, "ClusterNodes")
	for _, want := range []string{
		"Content-Type: multipart/mixed",
		"Content-Type: application/node.eks.aws",
		"apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n  cluster:\n    name: \"{\"Ref\":\"ClusterEB0386A7\"}\"",
		"apiServerEndpoint: \"{\"Fn::GetAtt\":[\"ClusterEB0386A7\",\"Endpoint\"]}\"",
		"certificateAuthority: \"{\"Fn::GetAtt\":[\"ClusterEB0386A7\",\"CertificateAuthorityData\"]}\"",
		"cidr: \"172.20.0.0/16\"",
		"    config:\n      maxPods: 110\n      clusterDNS:\n      - \"10.100.0.10\"",
		"    flags:\n    - \"--node-labels=lifecycle=OnDemand\"\n    - \"--node-labels=foo=bar,goo=far\"\n    - \"--v=2\"",
	} {
		if !strings.Contains(ud, want) {
			t.Errorf("user data lacks %q:\n%s", want, ud)
		}
	}
	// The arm64 AMI for the cluster's version.
	assertions.FromJSON(t, tmpl).HasParameter("SsmParameterValueawsserviceeksoptimizedami134amazonlinux2023arm64standardrecommendedimageidC96584B6F00A464EAD1953AFF4B05118Parameter", map[string]any{})
}

func TestServiceCidrInNodeConfig(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		props eks.ClusterProps
		vpc   string
		want  string
	}{
		{"set on the cluster", eks.ClusterProps{ServiceIpv4Cidr: "192.168.0.0/16"}, "", `cidr: "192.168.0.0/16"`},
		{"10/8 VPC", eks.ClusterProps{}, "10.1.0.0/16", `cidr: "172.20.0.0/16"`},
		{"other VPC", eks.ClusterProps{}, "192.168.0.0/16", `cidr: "10.100.0.0/16"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stack := newStack()
			p := tc.props
			if tc.vpc != "" {
				p.Vpc = ec2.NewVpc(stack, "Vpc", ec2.VpcProps{Cidr: tc.vpc})
			}
			c := clusterWithoutCapacity(stack, p)
			c.AddAutoScalingGroupCapacity("Nodes", asgOptions("t3.large"))
			if ud := userDataOf(t, templateOf(t, stack), "ClusterNodes"); !strings.Contains(ud, tc.want) {
				t.Errorf("user data lacks %s:\n%s", tc.want, ud)
			}
		})
	}
}

func TestGpuAndNeuronAmis(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack)
	c.AddAutoScalingGroupCapacity("Gpu", asgOptions("g5.xlarge"))
	c.AddAutoScalingGroupCapacity("Neuron", asgOptions("inf2.xlarge"))
	tmpl := assertions.FromStack(t, stack)
	tmpl.HasParameter("*", map[string]any{"Default": "/aws/service/eks/optimized-ami/1.34/amazon-linux-2023/x86_64/nvidia/recommended/image_id"})
	tmpl.HasParameter("*", map[string]any{"Default": "/aws/service/eks/optimized-ami/1.34/amazon-linux-2023/x86_64/neuron/recommended/image_id"})
}

func TestSpotCapacity(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack)
	c.AddAutoScalingGroupCapacity("Spot1", asgOptions("t3.large", func(o *eks.AutoScalingGroupCapacityOptions) { o.SpotPrice = "0.1" }))
	c.AddAutoScalingGroupCapacity("Spot2", asgOptions("t3.large", func(o *eks.AutoScalingGroupCapacityOptions) { o.SpotPrice = "0.2" }))
	tmpl := templateOf(t, stack)
	ud := userDataOf(t, tmpl, "ClusterSpot1")
	for _, want := range []string{`"--node-labels=lifecycle=Ec2Spot"`, `"--register-with-taints=spotInstance=true:PreferNoSchedule"`} {
		if !strings.Contains(ud, want) {
			t.Errorf("spot user data lacks %s:\n%s", want, ud)
		}
	}
	assertions.FromJSON(t, tmpl).HasResourceProperties("AWS::EC2::LaunchTemplate", map[string]any{"LaunchTemplateData": map[string]any{
		"InstanceMarketOptions": map[string]any{"MarketType": "spot", "SpotOptions": map[string]any{"MaxPrice": "0.1"}}}})
	// Part 2 installs the chart: one HelmChart per cluster.
	assertions.FromJSON(t, tmpl).ResourcePropertiesCountIs("Custom::AWSCDK-EKS-HelmChart", map[string]any{
		"Chart": "aws-node-termination-handler", "Namespace": "kube-system", "Version": "0.27.0",
		"Repository": "oci://public.ecr.aws/aws-ec2/helm/aws-node-termination-handler",
		"Values":     `{"nodeSelector":{"lifecycle":"Ec2Spot"}}`,
	}, 1)

	_, stack2 := newStack()
	c2 := clusterWithoutCapacity(stack2)
	c2.AddAutoScalingGroupCapacity("Spot", asgOptions("t3.large", func(o *eks.AutoScalingGroupCapacityOptions) {
		o.SpotPrice = "0.1"
		o.DisableSpotInterruptHandler = true
	}))
	assertions.FromStack(t, stack2).ResourceCountIs(eks.HelmChartResourceType, 0)
}

func TestBottlerocketCapacity(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack)
	c.AddAutoScalingGroupCapacity("Br", asgOptions("t3.small", func(o *eks.AutoScalingGroupCapacityOptions) {
		o.MachineImageType = eks.MachineImageTypeBottlerocket
		o.SpotPrice = "0.05"
	}))
	tmpl := templateOf(t, stack)
	ud := userDataOf(t, tmpl, "ClusterBr")
	for _, want := range []string{"[settings.kubernetes]\napi-server=", "cluster-name=\"{\"Ref\":\"ClusterEB0386A7\"}\"", `"lifecycle" = "Ec2Spot"`, "[settings.kubernetes.node-taints]"} {
		if !strings.Contains(ud, want) {
			t.Errorf("Bottlerocket user data lacks %q:\n%s", want, ud)
		}
	}
	assertions.FromJSON(t, tmpl).HasParameter("*", map[string]any{"Default": "/aws/service/bottlerocket/aws-k8s-1.34/x86_64/latest/image_id"})
}

func TestBootstrapDisabled(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack)
	ud := ec2.UserDataForLinux()
	ud.AddCommands("echo custom")
	c.AddAutoScalingGroupCapacity("Custom", asgOptions("t3.large", func(o *eks.AutoScalingGroupCapacityOptions) {
		o.UserData = ud
		o.DisableBootstrap = true
	}))
	got := userDataOf(t, templateOf(t, stack), "ClusterCustom")
	if strings.Contains(got, "NodeConfig") || !strings.Contains(got, "echo custom") {
		t.Errorf("user data with bootstrap disabled:\n%s", got)
	}
}

func TestConnectAutoScalingGroupCapacity(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack, eks.ClusterProps{AuthenticationMode: eks.AuthenticationModeApi})
	// A shell user data: the NodeConfig is written to a file and nodeadm run.
	asg := autoscaling.NewAutoScalingGroup(stack, "Asg", autoscaling.AutoScalingGroupProps{
		Vpc: c.Vpc(), InstanceType: ec2.InstanceTypeOf("t3.large"), MachineImage: ec2.EksOptimizedAmi("1.34", ec2.NodeTypeStandard),
	})
	c.ConnectAutoScalingGroupCapacity(asg)
	tmpl := templateOf(t, stack)
	ud := userDataOf(t, tmpl, "Asg")
	for _, want := range []string{"cat > /etc/eks/eksforge-nodeconfig.yaml <<'EKSFORGE_NODECONFIG'", "kind: NodeConfig", "/usr/bin/nodeadm init --config-source file:///etc/eks/eksforge-nodeconfig.yaml"} {
		if !strings.Contains(ud, want) {
			t.Errorf("user data lacks %q:\n%s", want, ud)
		}
	}
	assertions.FromJSON(t, tmpl).HasResourceProperties("AWS::EKS::AccessEntry", map[string]any{"Type": "EC2_LINUX"})
	if m := eks.AwsAuthRoleMappings(c); len(m) != 0 {
		t.Errorf("API mode recorded aws-auth mappings: %v", m)
	}

	_, stack2 := newStack()
	// CONFIG_MAP mode ignores access entries, so the kubectl handler that
	// writes aws-auth must come with a role mapped there.
	provider := eks.KubectlProviderFromArn(stack2, "Kubectl", eks.KubectlProviderAttributes{
		FunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:kubectl", RoleArn: "arn:aws:iam::123456789012:role/kubectl"})
	c2 := clusterWithoutCapacity(stack2, eks.ClusterProps{AuthenticationMode: eks.AuthenticationModeConfigMap, Kubectl: eks.KubectlOptions{Provider: provider}})
	c2.AddAutoScalingGroupCapacity("Nodes", asgOptions("t3.large"))
	assertions.FromStack(t, stack2).ResourceCountIs("AWS::EKS::AccessEntry", 0)
	if m := eks.AwsAuthRoleMappings(c2); len(m) != 1 {
		t.Errorf("CONFIG_MAP mode: mappings %v", m)
	}

	_, stack3 := newStack()
	c3 := clusterWithoutCapacity(stack3)
	c3.AddAutoScalingGroupCapacity("Nodes", asgOptions("t3.large", func(o *eks.AutoScalingGroupCapacityOptions) { o.DisableMapRole = true }))
	assertions.FromStack(t, stack3).ResourceCountIs("AWS::EKS::AccessEntry", 0)
	if m := eks.AwsAuthRoleMappings(c3); len(m) != 0 {
		t.Errorf("DisableMapRole: mappings %v", m)
	}
}

func TestSshAccess(t *testing.T) {
	t.Parallel()
	_, stack := newStack()
	c := clusterWithoutCapacity(stack)
	asg := c.AddAutoScalingGroupCapacity("Nodes", asgOptions("t3.medium", func(o *eks.AutoScalingGroupCapacityOptions) { o.KeyName = "my-key" }))
	asg.Connections().AllowFrom(ec2.PeerIpv4("203.0.113.0/24"), ec2.PortTcp(22), "SSH")
	tmpl := assertions.FromStack(t, stack)
	tmpl.HasResourceProperties("AWS::EC2::LaunchTemplate", map[string]any{"LaunchTemplateData": map[string]any{"KeyName": "my-key"}})
	tmpl.HasResourceProperties("AWS::EC2::SecurityGroup", map[string]any{"SecurityGroupIngress": Match.ArrayWith([]any{
		map[string]any{"CidrIp": "203.0.113.0/24", "FromPort": 22, "ToPort": 22, "IpProtocol": "tcp", "Description": "SSH"}})})
}

func TestImportedClusterSelfManagedCapacity(t *testing.T) {
	t.Parallel()
	app, stack := newStack()
	vpc := ec2.VpcFromVpcAttributes(stack, "Vpc", ec2.VpcAttributes{VpcId: "vpc-1", AvailabilityZones: []string{"a"}, PrivateSubnetIds: []string{"subnet-1"}})
	c := eks.ClusterFromClusterAttributes(stack, "C", eks.ClusterAttributes{
		ClusterName: "prod", Vpc: vpc, ClusterEndpoint: "https://example.eks.amazonaws.com", ClusterCertificateAuthorityData: "Q0E=",
		ClusterSecurityGroupId: "sg-1", KubernetesVersion: eks.V1_33,
	})
	asg := autoscaling.NewAutoScalingGroup(stack, "Asg", autoscaling.AutoScalingGroupProps{
		Vpc: vpc, InstanceType: ec2.InstanceTypeOf("t3.large"), MachineImage: ec2.EksOptimizedAmi("1.33", ec2.NodeTypeStandard), UserData: ec2.NewMultipartUserData(),
	})
	eks.ConnectAutoScalingGroupCapacityTo(c, asg)
	if err := synthError(t, app); err != "" {
		t.Fatal(err)
	}
	ud := userDataOf(t, templateOf(t, stack), "Asg")
	if !strings.Contains(ud, `name: "prod"`) || !strings.Contains(ud, `apiServerEndpoint: "https://example.eks.amazonaws.com"`) {
		t.Errorf("user data:\n%s", ud)
	}
}

func TestSelfManagedValidation(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		opts eks.AutoScalingGroupCapacityOptions
		want string
	}{
		{"fails with bootstrap options on Bottlerocket", asgOptions("t3.small", func(o *eks.AutoScalingGroupCapacityOptions) {
			o.MachineImageType = eks.MachineImageTypeBottlerocket
			o.BootstrapOptions = eks.BootstrapOptions{KubeletExtraArgs: "--v=2"}
		}), "BootstrapOptions are not supported on Bottlerocket"},
		{"fails with bootstrap options and bootstrap disabled", asgOptions("t3.small", func(o *eks.AutoScalingGroupCapacityOptions) {
			o.DisableBootstrap = true
			o.BootstrapOptions = eks.BootstrapOptions{KubeletExtraArgs: "--v=2"}
		}), "BootstrapOptions cannot be set with DisableBootstrap"},
		{"fails with awsApiRetryAttempts", asgOptions("t3.small", func(o *eks.AutoScalingGroupCapacityOptions) {
			o.BootstrapOptions = eks.BootstrapOptions{AwsApiRetryAttempts: 5}
		}), "BootstrapOptions.AwsApiRetryAttempts has no equivalent in nodeadm"},
		{"fails with dockerConfigJson", asgOptions("t3.small", func(o *eks.AutoScalingGroupCapacityOptions) {
			o.BootstrapOptions = eks.BootstrapOptions{DockerConfigJson: "{}"}
		}), "BootstrapOptions.DockerConfigJson has no equivalent on Amazon Linux 2023"},
		{"fails with enableDockerBridge", asgOptions("t3.small", func(o *eks.AutoScalingGroupCapacityOptions) {
			o.BootstrapOptions = eks.BootstrapOptions{EnableDockerBridge: true}
		}), "BootstrapOptions.EnableDockerBridge has no equivalent"},
		{"fails with additionalArgs", asgOptions("t3.small", func(o *eks.AutoScalingGroupCapacityOptions) {
			o.BootstrapOptions = eks.BootstrapOptions{AdditionalArgs: "--foo"}
		}), "BootstrapOptions.AdditionalArgs were bootstrap.sh arguments"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app, stack := newStack()
			c := clusterWithoutCapacity(stack)
			c.AddAutoScalingGroupCapacity("Nodes", tc.opts)
			wantError(t, app, "Stack/Cluster/Nodes", tc.want)
		})
	}
}
