package eks_test

import (
	"fmt"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eksforge/eksforge/aws/ec2"
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/aws/kms"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/eks"
)

// badInput is one mistake a user can make: building it must not panic
// (unless panics is set: a documented programming error, whose message
// must still name the path), and synthesis must fail with a problem on
// path whose message holds every fragment (the offending value among
// them).
type badInput struct {
	name   string
	build  func(s *cdk.Stack)
	path   string
	want   []string
	panics bool
}

// vc is a cluster for the table: no default capacity, so each case adds
// only what it tests.
func vc(s *cdk.Stack, props ...eks.ClusterProps) *eks.Cluster {
	p := eks.ClusterProps{}
	if len(props) > 0 {
		p = props[0]
	}
	if p.Version == "" {
		p.Version = eks.V1_34
	}
	if p.DefaultCapacity == nil {
		p.DefaultCapacity = cdk.Ptr(0)
	}
	return eks.NewCluster(s, "C", p)
}

func clusterWith(p eks.ClusterProps) func(s *cdk.Stack) {
	return func(s *cdk.Stack) { vc(s, p) }
}

func nodegroupWith(o eks.NodegroupOptions) func(s *cdk.Stack) {
	return func(s *cdk.Stack) { vc(s).AddNodegroupCapacity("n", o) }
}

func fargateWith(o eks.FargateProfileOptions) func(s *cdk.Stack) {
	return func(s *cdk.Stack) { vc(s).AddFargateProfile("f", o) }
}

func objectsOf(objects ...any) func(s *cdk.Stack) {
	return func(s *cdk.Stack) { vc(s).AddManifest("m", objects...) }
}

func chartWith(o eks.HelmChartOptions) func(s *cdk.Stack) {
	return func(s *cdk.Stack) { vc(s).AddHelmChart("h", o) }
}

func patchWith(p eks.KubernetesPatchProps) func(s *cdk.Stack) {
	return func(s *cdk.Stack) {
		p.Cluster = vc(s)
		if p.ResourceName == "" {
			p.ResourceName = "deployment/web"
		}
		eks.NewKubernetesPatch(s, "P", p)
	}
}

func valueWith(p eks.KubernetesObjectValueProps) func(s *cdk.Stack) {
	return func(s *cdk.Stack) {
		p.Cluster = vc(s)
		if p.ObjectType == "" {
			p.ObjectType = "service"
		}
		if p.ObjectName == "" {
			p.ObjectName = "web"
		}
		if p.JsonPath == "" {
			p.JsonPath = ".status"
		}
		eks.NewKubernetesObjectValue(s, "V", p)
	}
}

func entryWith(p eks.AccessEntryProps) func(s *cdk.Stack) {
	return func(s *cdk.Stack) {
		p.Cluster = vc(s)
		if p.Principal == "" {
			p.Principal = "arn:aws:iam::123456789012:role/dev"
		}
		eks.NewAccessEntry(s, "E", p)
	}
}

func obj(apiVersion, kind, ns, name string) map[string]any {
	md := map[string]any{"name": name}
	if ns != "" {
		md["namespace"] = ns
	}
	return map[string]any{"apiVersion": apiVersion, "kind": kind, "metadata": md}
}

func withMeta(o map[string]any, key string, v any) map[string]any {
	o["metadata"].(map[string]any)[key] = v
	return o
}

func cyclicMap() map[string]any {
	m := obj("v1", "ConfigMap", "", "loop")
	m["data"] = m
	return m
}

func cyclicList() map[string]any {
	l := []any{1}
	l[0] = l
	m := obj("v1", "ConfigMap", "", "loop")
	m["data"] = map[string]any{"l": l}
	return m
}

func manyCidrs(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("10.%d.0.0/16", i)
	}
	return out
}

func manyTags(n int) map[string]string {
	out := map[string]string{}
	for i := 0; i < n; i++ {
		out[fmt.Sprintf("tag%d", i)] = "v"
	}
	return out
}

func manyTaints(n int) []eks.TaintSpec {
	out := make([]eks.TaintSpec, n)
	for i := range out {
		out[i] = eks.TaintSpec{Key: fmt.Sprintf("k%d", i), Effect: eks.TaintEffectNoSchedule}
	}
	return out
}

const (
	pC  = "Stack/C"
	pNG = "Stack/C/Nodegroupn"
	pFP = "Stack/C/fargate-profile-f"
	pM  = "Stack/C/manifest-m"
	pH  = "Stack/C/chart-h"
	pP  = "Stack/P"
	pV  = "Stack/V"
	pE  = "Stack/E"
	pA  = "Stack/C/AwsAuth"
)

func badInputs() []badInput {
	sel := func(ns string, labels map[string]string) []eks.Selector {
		return []eks.Selector{{Namespace: ns, Labels: labels}}
	}
	return []badInput{
		// 1. No crash on bad values: typed nils and cycles.
		{"fails with a nil *ec2.Vpc", clusterWith(eks.ClusterProps{Vpc: (*ec2.Vpc)(nil)}), pC, []string{"Vpc is a nil *ec2.Vpc"}, false},
		{"fails with a nil *iam.Role", clusterWith(eks.ClusterProps{Role: (*iam.Role)(nil)}), pC, []string{"Role is a nil *iam.Role"}, false},
		{"fails with a nil security group", clusterWith(eks.ClusterProps{SecurityGroup: (*ec2.SecurityGroup)(nil)}), pC, []string{"SecurityGroup is a nil *ec2.SecurityGroup"}, false},
		{"fails with a nil masters role", clusterWith(eks.ClusterProps{MastersRole: (*iam.Role)(nil)}), pC, []string{"MastersRole is a nil *iam.Role"}, false},
		{"fails with a nil *kms.Key", clusterWith(eks.ClusterProps{SecretsEncryptionKey: (*kms.Key)(nil)}), pC, []string{"SecretsEncryptionKey is a nil *kms.Key"}, false},
		{"fails with a nil auto mode node role", clusterWith(eks.ClusterProps{DefaultCapacityType: eks.DefaultCapacityTypeAutoMode, Compute: &eks.ComputeConfig{NodeRole: (*iam.Role)(nil)}}), pC, []string{"Compute.NodeRole is a nil *iam.Role"}, false},
		{"fails with a nil kubectl role", clusterWith(eks.ClusterProps{Kubectl: eks.KubectlOptions{Role: (*iam.Role)(nil)}}), pC, []string{"Kubectl.Role is a nil *iam.Role"}, false},
		{"fails with a nil kubectl provider", clusterWith(eks.ClusterProps{Kubectl: eks.KubectlOptions{Provider: (*eks.KubectlProvider)(nil)}}), pC, []string{"Kubectl.Provider is a nil *eks.KubectlProvider"}, false},
		{"fails with a nil kubectl security group", clusterWith(eks.ClusterProps{Kubectl: eks.KubectlOptions{SecurityGroups: []ec2.ISecurityGroup{(*ec2.SecurityGroup)(nil)}}}), pC, []string{"Kubectl.SecurityGroups[0] is a nil security group (*ec2.SecurityGroup)"}, false},
		{"fails with a nil subnet in VpcSubnets", clusterWith(eks.ClusterProps{VpcSubnets: []ec2.SubnetSelection{{Subnets: []ec2.ISubnet{nil}}}}), pC, []string{"VpcSubnets[0].Subnets[0] is a nil subnet"}, false},
		{"fails with a nil node role", nodegroupWith(eks.NodegroupOptions{NodeRole: (*iam.Role)(nil)}), pNG, []string{"NodeRole is a nil *iam.Role"}, false},
		{"fails with a nil remote access security group", nodegroupWith(eks.NodegroupOptions{RemoteAccess: &eks.NodegroupRemoteAccess{SshKeyName: "k", SourceSecurityGroups: []ec2.ISecurityGroup{(*ec2.SecurityGroup)(nil)}}}), pNG, []string{"RemoteAccess.SourceSecurityGroups[0] is a nil security group"}, false},
		{"fails with a nil subnet in node group subnets", nodegroupWith(eks.NodegroupOptions{Subnets: ec2.SubnetSelection{Subnets: []ec2.ISubnet{(*ec2.Subnet)(nil)}}}), pNG, []string{"Subnets.Subnets[0] is a nil subnet (*ec2.Subnet)"}, false},
		{"fails with a nil pod execution role", fargateWith(eks.FargateProfileOptions{Selectors: sel("a", nil), PodExecutionRole: (*iam.Role)(nil)}), pFP, []string{"PodExecutionRole is a nil *iam.Role"}, false},
		{"fails with a nil Fargate VPC", fargateWith(eks.FargateProfileOptions{Selectors: sel("a", nil), Vpc: (*ec2.Vpc)(nil)}), pFP, []string{"Vpc is a nil *ec2.Vpc"}, false},
		{"fails with a nil role mapping", func(s *cdk.Stack) { vc(s).AwsAuth().AddRoleMapping(nil, eks.AwsAuthMapping{}) }, pA, []string{"AddRoleMapping: the role is a nil <nil>"}, false},
		{"fails with a typed-nil role mapping", func(s *cdk.Stack) { vc(s).AwsAuth().AddRoleMapping((*iam.Role)(nil), eks.AwsAuthMapping{}) }, pA, []string{"the role is a nil *iam.Role"}, false},
		{"fails with a nil masters role mapping", func(s *cdk.Stack) { vc(s).AwsAuth().AddMastersRole((*iam.Role)(nil)) }, pA, []string{"the role is a nil *iam.Role"}, false},
		{"fails with a nil user mapping", func(s *cdk.Stack) { vc(s).AwsAuth().AddUserMapping((*iam.User)(nil), eks.AwsAuthMapping{}) }, pA, []string{"the user is a nil *iam.User"}, false},
		{"fails with a nil typed object", objectsOf((*corev1.Pod)(nil)), pM, []string{"object 1", "nil *v1.Pod"}, false},
		{"fails with a nil unstructured object", objectsOf((*unstructured.Unstructured)(nil)), pM, []string{"nil *unstructured.Unstructured"}, false},
		{"fails with a nil map object", objectsOf(map[string]any(nil)), pM, []string{"nil map[string]interface {}"}, false},
		{"fails with a nil object", objectsOf(nil), pM, []string{"the object is nil"}, false},
		{"fails with a nil kubectl log key", clusterWith(eks.ClusterProps{Kubectl: eks.KubectlOptions{LogEncryptionKey: (*kms.Key)(nil)}}), pC, []string{"Kubectl.LogEncryptionKey is a nil *kms.Key"}, false},
		{"fails with a nil add-on service account role", func(s *cdk.Stack) {
			vc(s).AddAddon("a", eks.AddonOptions{AddonName: eks.AddonNameVpcCni, ServiceAccountRole: (*iam.Role)(nil)})
		}, pC + "/a", []string{"AddonProps.ServiceAccountRole is a nil *iam.Role"}, false},
		{"fails with a nil add-on Pod Identity role", func(s *cdk.Stack) {
			vc(s).AddAddon("a", eks.AddonOptions{AddonName: eks.AddonNameVpcCni, PodIdentityAssociations: []eks.AddonPodIdentityAssociation{{ServiceAccount: "aws-node", Role: (*iam.Role)(nil)}}})
		}, pC + "/a", []string{"AddonProps.PodIdentityAssociations[0].Role is a nil *iam.Role"}, false},
		{"fails with a nil capability role", func(s *cdk.Stack) {
			vc(s).AddCapability("c", eks.CapabilityOptions{Type: eks.CapabilityTypeAck, Role: (*iam.Role)(nil)})
		}, pC + "/c", []string{"CapabilityProps.Role is a nil *iam.Role"}, false},
		{"fails with a nil Pod Identity role", func(s *cdk.Stack) {
			eks.NewPodIdentityAssociation(s, "P", eks.PodIdentityAssociationProps{Cluster: vc(s), ServiceAccount: "app", Role: (*iam.Role)(nil)})
		}, "Stack/P", []string{"PodIdentityAssociationProps.Role is a nil *iam.Role"}, false},
		{"fails with a nil Pod Identity target role", func(s *cdk.Stack) {
			eks.NewPodIdentityAssociation(s, "P", eks.PodIdentityAssociationProps{Cluster: vc(s), ServiceAccount: "app", TargetRole: (*iam.Role)(nil)})
		}, "Stack/P", []string{"PodIdentityAssociationProps.TargetRole is a nil *iam.Role"}, false},
		{"fails with a nil node role to authorize", func(s *cdk.Stack) { eks.AuthorizeNodeRole(vc(s), "nodes", (*iam.Role)(nil)) }, pC, []string{`AuthorizeNodeRole("nodes"): the role is a nil *iam.Role`}, false},
		{"fails with a nil Auto Scaling group to connect", func(s *cdk.Stack) { vc(s).ConnectAutoScalingGroupCapacity(nil) }, pC, []string{"ConnectAutoScalingGroupCapacity: the Auto Scaling group is a nil *autoscaling.AutoScalingGroup"}, false},
		{"fails with a nil peer allowed to the cluster", func(s *cdk.Stack) { vc(s).Connections().AllowFrom((*ec2.SecurityGroup)(nil), ec2.PortTcp(443), "") }, pC + "/ClusterSecurityGroup", []string{"Connections.AllowFrom: the other side is a nil *ec2.SecurityGroup"}, false},
		{"fails with a nil grantee of the cluster's key", func(s *cdk.Stack) {
			k := kms.NewKey(s, "K", kms.KeyProps{})
			vc(s, eks.ClusterProps{SecretsEncryptionKey: k})
			k.GrantDecrypt((*iam.Role)(nil))
		}, "Stack/K", []string{"granting kms:Decrypt: the grantee is a nil *iam.Role"}, false},
		{"fails with a nil statement for a service account", func(s *cdk.Stack) {
			vc(s).AddServiceAccount("sa").AddToPrincipalPolicy(nil)
		}, pC + "/sa/Role", []string{"Role.AddToPrincipalPolicy: the statement is a nil *iam.PolicyStatement"}, false},
		{"fails with a nil launch template for a spec", func(s *cdk.Stack) { eks.LaunchTemplateSpecOf(nil) }, "eks: LaunchTemplateSpecOf", []string{"the launch template is a nil *ec2.LaunchTemplate"}, true},
		{"fails with a map that contains itself", objectsOf(cyclicMap()), pM, []string{"data refers to itself"}, false},
		{"fails with a list that contains itself", objectsOf(cyclicList()), pM, []string{"data.l[0] refers to itself"}, false},
		{"fails with chart values that contain themselves", chartWith(eks.HelmChartOptions{Chart: "c", Repository: "https://charts.example.com", Values: cyclicMap()}), pH, []string{"Values: data refers to itself"}, false},
		{"fails with a patch that contains itself", patchWith(eks.KubernetesPatchProps{ApplyPatch: cyclicMap()}), pP, []string{"ApplyPatch: data refers to itself"}, false},
		{"fails with a func in a manifest", objectsOf(withMeta(obj("v1", "ConfigMap", "", "f"), "x", func() {})), pM, []string{"metadata.x is a func()"}, false},
		{"fails with a channel in chart values", chartWith(eks.HelmChartOptions{Chart: "c", Repository: "https://charts.example.com", Values: map[string]any{"c": make(chan int)}}), pH, []string{"c is a chan int"}, false},
		{"fails with NaN in a manifest", objectsOf(withMeta(obj("v1", "ConfigMap", "", "f"), "x", nanValue())), pM, []string{"metadata.x is NaN"}, false},
		{"panics with a nil *eks.Cluster for a node group", func(s *cdk.Stack) { eks.NewNodegroup(s, "N", eks.NodegroupProps{Cluster: (*eks.Cluster)(nil)}) }, "Stack/N", []string{"NodegroupProps.Cluster is a nil *eks.Cluster"}, true},
		{"panics with a nil cluster for a manifest", func(s *cdk.Stack) {
			eks.NewKubernetesManifest(s, "M", eks.KubernetesManifestProps{Cluster: (*eks.Cluster)(nil)})
		}, "Stack/M", []string{"KubernetesManifestProps.Cluster is a nil *eks.Cluster"}, true},
		{"panics with a nil cluster for a service account", func(s *cdk.Stack) {
			eks.NewServiceAccount(s, "S", eks.ServiceAccountProps{Cluster: (*eks.Cluster)(nil)})
		}, "Stack/S", []string{"ServiceAccountProps.Cluster is a nil *eks.Cluster"}, true},
		{"panics with a nil cluster for a Fargate profile", func(s *cdk.Stack) {
			eks.NewFargateProfile(s, "F", eks.FargateProfileProps{Cluster: (*eks.FargateCluster)(nil)})
		}, "Stack/F", []string{"FargateProfileProps.Cluster is a nil *eks.FargateCluster"}, true},
		{"fails with a nil VPC in imported attributes", func(s *cdk.Stack) {
			eks.ClusterFromClusterAttributes(s, "I", eks.ClusterAttributes{ClusterName: "x", Vpc: (*ec2.Vpc)(nil)})
		}, "Stack/I", []string{"Vpc is a nil *ec2.Vpc"}, false},
		{"fails with a nil OIDC provider in imported attributes", func(s *cdk.Stack) {
			eks.ClusterFromClusterAttributes(s, "I", eks.ClusterAttributes{ClusterName: "x", OpenIdConnectProvider: (*iam.OpenIDConnectProvider)(nil)})
		}, "Stack/I", []string{"OpenIdConnectProvider is a nil *iam.OpenIDConnectProvider"}, false},

		// 2. Enumerations and ranges.
		{"fails with an unknown log type", clusterWith(eks.ClusterProps{ClusterLogging: []eks.ClusterLoggingType{"API"}}), pC, []string{`ClusterLogging[0] "API" is not a control plane log type`}, false},
		{"fails with a log type twice", clusterWith(eks.ClusterProps{ClusterLogging: []eks.ClusterLoggingType{eks.ClusterLoggingAudit, eks.ClusterLoggingAudit}}), pC, []string{`ClusterLogging lists "audit" twice`}, false},
		{"fails with an unknown authentication mode", clusterWith(eks.ClusterProps{AuthenticationMode: "IAM"}), pC, []string{`AuthenticationMode "IAM"`}, false},
		{"fails with a lower-case authentication mode", clusterWith(eks.ClusterProps{AuthenticationMode: "api"}), pC, []string{`AuthenticationMode "api"`}, false},
		{"fails with an unknown IP family", clusterWith(eks.ClusterProps{IpFamily: "IPv6"}), pC, []string{`IpFamily "IPv6" is not an IP family`}, false},
		{"fails with an unknown capacity type", clusterWith(eks.ClusterProps{DefaultCapacityType: 7}), pC, []string{"DefaultCapacityType 7"}, false},
		{"fails with an unknown CoreDNS compute type", clusterWith(eks.ClusterProps{CoreDnsComputeType: 3}), pC, []string{"CoreDnsComputeType 3"}, false},
		{"fails with an unknown removal policy", clusterWith(eks.ClusterProps{RemovalPolicy: "keep"}), pC, []string{`RemovalPolicy "keep" is not a removal policy`}, false},
		{"fails with an unknown kubectl placement", clusterWith(eks.ClusterProps{Kubectl: eks.KubectlOptions{Placement: 9}}), pC, []string{"Kubectl.Placement 9"}, false},
		{"fails with an invalid kubectl environment name", clusterWith(eks.ClusterProps{Kubectl: eks.KubectlOptions{Environment: map[string]string{"HTTPS PROXY": "x"}}}), pC, []string{`Kubectl.Environment key "HTTPS PROXY"`}, false},
		{"fails with a version EKS never offered", clusterWith(eks.ClusterProps{Version: "1.21"}), pC, []string{`Version "1.21" is older than any version EKS offers`, "eks.V1_30"}, false},
		{"fails with version 1.0", clusterWith(eks.ClusterProps{Version: "1.0"}), pC, []string{`Version "1.0" is older`}, false},
		{"fails with version 1.29", clusterWith(eks.ClusterProps{Version: "1.29"}), pC, []string{`Version "1.29" is older`}, false},
		{"fails with version 2.0", clusterWith(eks.ClusterProps{Version: "2.0"}), pC, []string{`Version "2.0" is not a Kubernetes version`}, false},
		{"fails with a tag key starting with aws:", clusterWith(eks.ClusterProps{Tags: map[string]string{"aws:owner": "me"}}), pC, []string{`Tags key "aws:owner" starts with "aws:"`}, false},
		{"fails with a tag key starting with AWS:", clusterWith(eks.ClusterProps{Tags: map[string]string{"AWS:owner": "me"}}), pC, []string{`Tags key "AWS:owner"`}, false},
		{"fails with an empty tag key", clusterWith(eks.ClusterProps{Tags: map[string]string{"": "me"}}), pC, []string{"Tags has an empty key"}, false},
		{"fails with a long tag key", clusterWith(eks.ClusterProps{Tags: map[string]string{strings.Repeat("k", 129): "v"}}), pC, []string{"is 129 characters long; AWS allows at most 128"}, false},
		{"fails with a long tag value", clusterWith(eks.ClusterProps{Tags: map[string]string{"k": strings.Repeat("v", 257)}}), pC, []string{`Tags value of "k" is 257 characters long`}, false},
		{"fails with 51 tags", clusterWith(eks.ClusterProps{Tags: manyTags(51)}), pC, []string{"Tags has 51 tags; AWS allows at most 50"}, false},
		{"fails with an unknown AMI type", nodegroupWith(eks.NodegroupOptions{AmiType: "UBUNTU"}), pNG, []string{`AmiType "UBUNTU" is not an EKS AMI type`}, false},
		{"fails with AL2 on 1.33", func(s *cdk.Stack) {
			vc(s, eks.ClusterProps{Version: eks.V1_33}).AddNodegroupCapacity("n", eks.NodegroupOptions{AmiType: eks.NodegroupAmiTypeAl2X86_64})
		}, pNG, []string{"AmiType AL2_x86_64", "no Amazon Linux 2 AMIs for Kubernetes 1.33"}, false},
		{"fails with AL2 arm on 1.35", func(s *cdk.Stack) {
			vc(s, eks.ClusterProps{Version: eks.V1_35}).AddNodegroupCapacity("n", eks.NodegroupOptions{AmiType: eks.NodegroupAmiTypeAl2Arm64})
		}, pNG, []string{"AmiType AL2_ARM_64", "Kubernetes 1.35"}, false},
		{"fails with AL2 GPU on 1.34", nodegroupWith(eks.NodegroupOptions{AmiType: eks.NodegroupAmiTypeAl2X86_64Gpu}), pNG, []string{"AmiType AL2_x86_64_GPU"}, false},
		{"fails with an unknown capacity type on a node group", nodegroupWith(eks.NodegroupOptions{CapacityType: "spot"}), pNG, []string{`CapacityType "spot" is not a capacity type`}, false},
		{"fails with a negative min size", nodegroupWith(eks.NodegroupOptions{MinSize: cdk.Ptr(-1), DesiredSize: cdk.Ptr(1)}), pNG, []string{"MinSize is -1"}, false},
		{"fails with a negative desired size", nodegroupWith(eks.NodegroupOptions{DesiredSize: cdk.Ptr(-2), MinSize: cdk.Ptr(0), MaxSize: cdk.Ptr(1)}), pNG, []string{"DesiredSize is -2"}, false},
		{"fails with a zero max size", nodegroupWith(eks.NodegroupOptions{MinSize: cdk.Ptr(0), DesiredSize: cdk.Ptr(0), MaxSize: cdk.Ptr(0)}), pNG, []string{"MaxSize is 0: EKS needs at least 1"}, false},
		{"fails with a zero max size by default", nodegroupWith(eks.NodegroupOptions{MinSize: cdk.Ptr(0), DesiredSize: cdk.Ptr(0)}), pNG, []string{"MaxSize defaults to DesiredSize (0)"}, false},
		{"fails with a negative disk size", nodegroupWith(eks.NodegroupOptions{DiskSize: -20}), pNG, []string{"DiskSize is -20 GiB"}, false},
		{"fails with a disk over EBS's largest volume", nodegroupWith(eks.NodegroupOptions{DiskSize: 16385}), pNG, []string{"DiskSize is 16385 GiB; an EBS root volume is at most 16384 GiB"}, false},
		{"fails with 51 taints", nodegroupWith(eks.NodegroupOptions{Taints: manyTaints(51)}), pNG, []string{"Taints has 51 taints; EKS allows at most 50"}, false},
		{"fails with a duplicate taint", nodegroupWith(eks.NodegroupOptions{Taints: []eks.TaintSpec{{Key: "gpu", Effect: eks.TaintEffectNoSchedule}, {Key: "gpu", Value: "x", Effect: eks.TaintEffectNoSchedule}}}), pNG, []string{`Taints[1] repeats Taints[0] (key "gpu", effect NO_SCHEDULE)`}, false},
		{"fails with a lower-case taint effect", nodegroupWith(eks.NodegroupOptions{Taints: []eks.TaintSpec{{Key: "gpu", Effect: "NoSchedule"}}}), pNG, []string{`effect "NoSchedule" of taint "gpu"`}, false},
		{"fails with an empty instance type", nodegroupWith(eks.NodegroupOptions{InstanceTypes: []ec2.InstanceType{{}}}), pNG, []string{"InstanceTypes[0] is empty"}, false},
		{"fails with remote access without a key", nodegroupWith(eks.NodegroupOptions{RemoteAccess: &eks.NodegroupRemoteAccess{}}), pNG, []string{"RemoteAccess.SshKeyName is required"}, false},
		{"fails with a launch template without an ID", nodegroupWith(eks.NodegroupOptions{LaunchTemplateSpec: &eks.LaunchTemplateSpec{Version: "1"}}), pNG, []string{"LaunchTemplateSpec.ID is required"}, false},
		{"fails with a node group tag starting with aws:", nodegroupWith(eks.NodegroupOptions{Tags: map[string]string{"aws:x": "y"}}), pNG, []string{`Tags key "aws:x"`}, false},
		{"fails with a max unavailable of 101 percent", nodegroupWith(eks.NodegroupOptions{MaxUnavailablePercentage: 101}), pNG, []string{"MaxUnavailablePercentage must be between 1 and 100, got 101"}, false},
		{"fails with six Fargate selector labels", fargateWith(eks.FargateProfileOptions{Selectors: sel("a", map[string]string{"a": "1", "b": "2", "c": "3", "d": "4", "e": "5", "f": "6"})}), pFP, []string{"Selectors[0] has 6 labels; EKS allows at most 5"}, false},
		{"fails with six Fargate selectors", fargateWith(eks.FargateProfileOptions{Selectors: []eks.Selector{{Namespace: "a"}, {Namespace: "b"}, {Namespace: "c"}, {Namespace: "d"}, {Namespace: "e"}, {Namespace: "g"}}}), pFP, []string{"at most 5 selectors, got 6"}, false},
		{"fails with an upper-case Fargate namespace", fargateWith(eks.FargateProfileOptions{Selectors: sel("Prod", nil)}), pFP, []string{`Selectors[0]: namespace "Prod" is not a DNS-1123 label`}, false},
		{"fails with a Fargate namespace with a dot", fargateWith(eks.FargateProfileOptions{Selectors: sel("a.b", nil)}), pFP, []string{`namespace "a.b"`}, false},
		{"fails with a long Fargate namespace", fargateWith(eks.FargateProfileOptions{Selectors: sel(strings.Repeat("n", 64), nil)}), pFP, []string{`namespace "` + strings.Repeat("n", 64) + `"`}, false},
		{"fails with a duplicate Fargate selector", fargateWith(eks.FargateProfileOptions{Selectors: []eks.Selector{{Namespace: "a"}, {Namespace: "a"}}}), pFP, []string{`Selectors[1] repeats Selectors[0] (namespace "a")`}, false},
		{"fails with an invalid Fargate label value", fargateWith(eks.FargateProfileOptions{Selectors: sel("a", map[string]string{"app": "web server"})}), pFP, []string{`value "web server" of "app"`}, false},
		{"fails with a Fargate tag starting with aws:", fargateWith(eks.FargateProfileOptions{Selectors: sel("a", nil), Tags: map[string]string{"aws:x": "y"}}), pFP, []string{`Tags key "aws:x"`}, false},
		{"fails with an unknown access entry type", entryWith(eks.AccessEntryProps{AccessEntryType: "ADMIN"}), pE, []string{`AccessEntryType "ADMIN"`}, false},
		{"fails with an unknown access scope type", entryWith(eks.AccessEntryProps{AccessPolicies: []eks.AccessPolicy{eks.AccessPolicyFromAccessPolicyName("AmazonEKSViewPolicy", eks.AccessScope{Type: "global"})}}), pE, []string{`AccessScope.Type "global"`}, false},
		{"fails with an unknown manifest removal policy", func(s *cdk.Stack) {
			eks.NewKubernetesManifest(s, "M", eks.KubernetesManifestProps{Cluster: vc(s), Manifest: []any{obj("v1", "Namespace", "", "a")}, KubernetesManifestOptions: eks.KubernetesManifestOptions{RemovalPolicy: "orphan"}})
		}, "Stack/M", []string{`RemovalPolicy "orphan"`}, false},
		{"fails with an unknown patch type", patchWith(eks.KubernetesPatchProps{ApplyPatch: map[string]any{"a": 1}, PatchType: "apply"}), pP, []string{`PatchType "apply"`}, false},

		// 3. Names and addresses.
		{"fails with a cluster name with a space", clusterWith(eks.ClusterProps{ClusterName: "my cluster"}), pC, []string{`ClusterName "my cluster" is not a valid EKS name`}, false},
		{"fails with a cluster name starting with a dash", clusterWith(eks.ClusterProps{ClusterName: "-prod"}), pC, []string{`ClusterName "-prod"`}, false},
		{"fails with a cluster name with a dot", clusterWith(eks.ClusterProps{ClusterName: "prod.eu"}), pC, []string{`ClusterName "prod.eu"`}, false},
		{"fails with a 101-character cluster name", clusterWith(eks.ClusterProps{ClusterName: strings.Repeat("c", 101)}), pC, []string{"is 101 characters long; EKS allows at most 100"}, false},
		{"fails with a node group name with a slash", nodegroupWith(eks.NodegroupOptions{NodegroupName: "ng/1"}), pNG, []string{`NodegroupName "ng/1"`}, false},
		{"fails with a 64-character node group name", nodegroupWith(eks.NodegroupOptions{NodegroupName: strings.Repeat("n", 64)}), pNG, []string{"is 64 characters long; EKS allows at most 63"}, false},
		{"fails with a Fargate profile name with a colon", fargateWith(eks.FargateProfileOptions{Selectors: sel("a", nil), FargateProfileName: "p:1"}), pFP, []string{`FargateProfileName "p:1"`}, false},
		{"fails with an invalid OnlyFrom CIDR", clusterWith(eks.ClusterProps{EndpointAccess: eks.EndpointAccessPublicAndPrivate.OnlyFrom("1.2.3.4")}), pC, []string{`OnlyFrom "1.2.3.4" is not a CIDR block`}, false},
		{"fails with an OnlyFrom CIDR with host bits", clusterWith(eks.ClusterProps{EndpointAccess: eks.EndpointAccessPublicAndPrivate.OnlyFrom("10.1.2.3/8")}), pC, []string{`OnlyFrom "10.1.2.3/8" has host bits set: use 10.0.0.0/8`}, false},
		{"fails with an OnlyFrom CIDR of /33", clusterWith(eks.ClusterProps{EndpointAccess: eks.EndpointAccessPublicAndPrivate.OnlyFrom("1.2.3.4/33")}), pC, []string{`OnlyFrom "1.2.3.4/33"`}, false},
		{"fails with an OnlyFrom host name", clusterWith(eks.ClusterProps{EndpointAccess: eks.EndpointAccessPublicAndPrivate.OnlyFrom("office.example.com/32")}), pC, []string{`OnlyFrom "office.example.com/32"`}, false},
		{"fails with an OnlyFrom CIDR twice", clusterWith(eks.ClusterProps{EndpointAccess: eks.EndpointAccessPublicAndPrivate.OnlyFrom("1.2.3.4/32", "1.2.3.4/32")}), pC, []string{`OnlyFrom lists "1.2.3.4/32" twice`}, false},
		{"fails with 41 OnlyFrom CIDRs", clusterWith(eks.ClusterProps{EndpointAccess: eks.EndpointAccessPublicAndPrivate.OnlyFrom(manyCidrs(41)...)}), pC, []string{"OnlyFrom lists 41 CIDR blocks; EKS allows at most 40"}, false},
		{"fails with a public service CIDR", clusterWith(eks.ClusterProps{ServiceIpv4Cidr: "8.8.0.0/16"}), pC, []string{`ServiceIpv4Cidr "8.8.0.0/16" is outside the private ranges`}, false},
		{"fails with a /8 service CIDR", clusterWith(eks.ClusterProps{ServiceIpv4Cidr: "10.0.0.0/8"}), pC, []string{`ServiceIpv4Cidr "10.0.0.0/8" is a /8`}, false},
		{"fails with a /25 service CIDR", clusterWith(eks.ClusterProps{ServiceIpv4Cidr: "10.0.0.0/25"}), pC, []string{`ServiceIpv4Cidr "10.0.0.0/25" is a /25`}, false},
		{"fails with a service CIDR with host bits", clusterWith(eks.ClusterProps{ServiceIpv4Cidr: "172.20.0.1/16"}), pC, []string{`ServiceIpv4Cidr "172.20.0.1/16" has host bits set: use 172.20.0.0/16`}, false},
		{"fails with a service CIDR that is not a CIDR", clusterWith(eks.ClusterProps{ServiceIpv4Cidr: "172.20.0.0"}), pC, []string{`ServiceIpv4Cidr "172.20.0.0" is not an IPv4 CIDR block`}, false},
		{"fails with an IPv6 service CIDR", clusterWith(eks.ClusterProps{ServiceIpv4Cidr: "fd00::/108"}), pC, []string{`ServiceIpv4Cidr "fd00::/108" is not an IPv4 CIDR block`}, false},
		{"fails with a service CIDR across private ranges", clusterWith(eks.ClusterProps{ServiceIpv4Cidr: "172.0.0.0/12"}), pC, []string{`ServiceIpv4Cidr "172.0.0.0/12" is outside the private ranges`}, false},
		{"fails with a principal that is not an ARN", entryWith(eks.AccessEntryProps{Principal: "dev-role"}), pE, []string{`Principal "dev-role" is not an IAM role or user ARN`}, false},
		{"fails with an assumed-role principal", entryWith(eks.AccessEntryProps{Principal: "arn:aws:sts::123456789012:assumed-role/dev/session"}), pE, []string{`Principal "arn:aws:sts::123456789012:assumed-role/dev/session"`, "not the assumed-role session's"}, false},
		{"fails with a principal of a short account", entryWith(eks.AccessEntryProps{Principal: "arn:aws:iam::1234:role/dev"}), pE, []string{`Principal "arn:aws:iam::1234:role/dev"`}, false},
		{"fails with a group principal", entryWith(eks.AccessEntryProps{Principal: "arn:aws:iam::123456789012:group/devs"}), pE, []string{`Principal "arn:aws:iam::123456789012:group/devs"`}, false},
		{"fails with a system: Kubernetes group", entryWith(eks.AccessEntryProps{KubernetesGroups: []string{"system:masters"}}), pE, []string{`KubernetesGroups[0] "system:masters"`}, false},
		{"fails with an empty Kubernetes group", entryWith(eks.AccessEntryProps{KubernetesGroups: []string{""}}), pE, []string{"KubernetesGroups[0] is empty"}, false},
		{"fails with an empty access policy name", entryWith(eks.AccessEntryProps{AccessPolicies: []eks.AccessPolicy{eks.AccessPolicyFromAccessPolicyName("", eks.AccessScope{Type: eks.AccessScopeTypeCluster})}}), pE, []string{`access policy name ""`}, false},
		{"fails with an access policy name with a space", entryWith(eks.AccessEntryProps{AccessPolicies: []eks.AccessPolicy{eks.AccessPolicyFromAccessPolicyName("Amazon EKS View", eks.AccessScope{Type: eks.AccessScopeTypeCluster})}}), pE, []string{`access policy name "Amazon EKS View"`}, false},
		{"fails with an IAM policy ARN as access policy", entryWith(eks.AccessEntryProps{AccessPolicies: []eks.AccessPolicy{eks.AccessPolicyFromAccessPolicyArn("arn:aws:iam::aws:policy/AdministratorAccess", eks.AccessScope{Type: eks.AccessScopeTypeCluster})}}), pE, []string{`access policy "arn:aws:iam::aws:policy/AdministratorAccess" is not an EKS access policy ARN`}, false},
		{"fails with an invalid access scope namespace", entryWith(eks.AccessEntryProps{AccessPolicies: []eks.AccessPolicy{eks.AccessPolicyFromAccessPolicyName("AmazonEKSViewPolicy", eks.AccessScope{Type: eks.AccessScopeTypeNamespace, Namespaces: []string{"Team_A"}})}}), pE, []string{`namespace "Team_A"`}, false},
		{"fails with an aws-auth account that is not 12 digits", func(s *cdk.Stack) { vc(s).AwsAuth().AddAccount("12345") }, pA, []string{`AddAccount: "12345" is not an AWS account ID`}, false},
		{"fails with a kubectl provider ARN that is not a function ARN", func(s *cdk.Stack) {
			eks.KubectlProviderFromArn(s, "K", eks.KubectlProviderAttributes{FunctionArn: "kubectl-handler"})
		}, "Stack/K", []string{`FunctionArn "kubectl-handler" is not a Lambda function ARN`}, false},
		{"fails with a kubectl provider ARN of a role", func(s *cdk.Stack) {
			eks.KubectlProviderFromArn(s, "K", eks.KubectlProviderAttributes{FunctionArn: "arn:aws:iam::123456789012:role/handler"})
		}, "Stack/K", []string{`FunctionArn "arn:aws:iam::123456789012:role/handler"`}, false},
		{"fails with a kubectl provider role that is not a role ARN", func(s *cdk.Stack) {
			eks.KubectlProviderFromArn(s, "K", eks.KubectlProviderAttributes{FunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:kubectl", RoleArn: "arn:aws:iam::123456789012:user/bob"})
		}, "Stack/K", []string{`RoleArn "arn:aws:iam::123456789012:user/bob" is not an IAM role ARN`}, false},
		{"fails with a nil kubectl provider handler role", func(s *cdk.Stack) {
			eks.KubectlProviderFromArn(s, "K", eks.KubectlProviderAttributes{FunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:kubectl", HandlerRole: (*iam.Role)(nil)})
		}, "Stack/K", []string{"HandlerRole is a nil *iam.Role"}, false},
		{"fails with an imported cluster name with a space", func(s *cdk.Stack) {
			eks.ClusterFromClusterAttributes(s, "I", eks.ClusterAttributes{ClusterName: "my cluster"})
		}, "Stack/I", []string{`ClusterName "my cluster"`}, false},
		{"fails with an imported cluster of an unknown mode", func(s *cdk.Stack) {
			eks.ClusterFromClusterAttributes(s, "I", eks.ClusterAttributes{ClusterName: "x", AuthenticationMode: "iam"})
		}, "Stack/I", []string{`AuthenticationMode "iam"`}, false},
		{"fails with an imported cluster of a malformed version", func(s *cdk.Stack) {
			eks.ClusterFromClusterAttributes(s, "I", eks.ClusterAttributes{ClusterName: "x", KubernetesVersion: "v1.30"})
		}, "Stack/I", []string{`KubernetesVersion "v1.30"`}, false},

		// 4. Kubernetes objects.
		{"fails with an upper-case object name", objectsOf(obj("v1", "ConfigMap", "", "MyConfig")), pM, []string{"object 1", `metadata.name "MyConfig" is not a DNS-1123 subdomain`}, false},
		{"fails with an object name with an underscore", objectsOf(obj("apps/v1", "Deployment", "", "my_app")), pM, []string{`metadata.name "my_app"`}, false},
		{"fails with a 254-character object name", objectsOf(obj("v1", "ConfigMap", "", strings.Repeat("a", 254))), pM, []string{"metadata.name", "not a DNS-1123 subdomain"}, false},
		{"fails with a namespace name with a dot", objectsOf(obj("v1", "Namespace", "", "team.a")), pM, []string{`metadata.name "team.a" is not a DNS-1123 label`}, false},
		{"fails with a Service name starting with a digit", objectsOf(obj("v1", "Service", "", "1web")), pM, []string{`metadata.name "1web" of a Service is not a DNS-1035 label`}, false},
		{"fails with a ClusterRole name with a slash", objectsOf(obj("rbac.authorization.k8s.io/v1", "ClusterRole", "", "a/b")), pM, []string{`metadata.name "a/b" of a ClusterRole`}, false},
		{"fails with an upper-case namespace", objectsOf(obj("v1", "ConfigMap", "Prod", "c")), pM, []string{`metadata.namespace "Prod" is not a DNS-1123 label`}, false},
		{"fails with a namespace with an underscore", objectsOf(obj("v1", "ConfigMap", "my_ns", "c")), pM, []string{`metadata.namespace "my_ns"`}, false},
		{"fails with a numeric name", objectsOf(map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": 42}}), pM, []string{"metadata.name is a int (42)"}, false},
		{"fails with a numeric kind", objectsOf(map[string]any{"apiVersion": "v1", "kind": 3, "metadata": map[string]any{"name": "x"}}), pM, []string{"kind is a int (3)"}, false},
		{"fails with metadata as a string", objectsOf(map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": "x"}), pM, []string{"metadata is a string"}, false},
		{"fails with an invalid apiVersion", objectsOf(obj("apps/v1/beta", "Deployment", "", "x")), pM, []string{`apiVersion "apps/v1/beta"`}, false},
		{"fails with an invalid label key", objectsOf(withMeta(obj("v1", "ConfigMap", "", "c"), "labels", map[string]any{"app name": "x"})), pM, []string{`metadata.labels: key "app name"`}, false},
		{"fails with an invalid label value", objectsOf(withMeta(obj("v1", "ConfigMap", "", "c"), "labels", map[string]any{"app": "web/server"})), pM, []string{`value "web/server" of "app"`}, false},
		{"fails with a 64-character label value", objectsOf(withMeta(obj("v1", "ConfigMap", "", "c"), "labels", map[string]any{"app": strings.Repeat("v", 64)})), pM, []string{`of "app" is not a valid Kubernetes label value`}, false},
		{"fails with a numeric label value", objectsOf(withMeta(obj("v1", "ConfigMap", "", "c"), "labels", map[string]any{"tier": 1})), pM, []string{`metadata.labels["tier"] is a int (1)`}, false},
		{"fails with a boolean annotation", objectsOf(withMeta(obj("v1", "ConfigMap", "", "c"), "annotations", map[string]any{"enabled": true})), pM, []string{`metadata.annotations["enabled"] is a bool (true)`}, false},
		{"fails with an invalid annotation key", objectsOf(withMeta(obj("v1", "ConfigMap", "", "c"), "annotations", map[string]any{"Example.com/x": "y"})), pM, []string{`metadata.annotations: key "Example.com/x" has an invalid prefix`}, false},
		{"fails with labels as a list", objectsOf(withMeta(obj("v1", "ConfigMap", "", "c"), "labels", []any{"a"})), pM, []string{"metadata.labels is a []interface {}"}, false},
		{"fails with one object twice in a manifest", objectsOf(obj("v1", "ConfigMap", "", "c"), obj("v1", "ConfigMap", "default", "c")), pM, []string{"objects 1 and 2 are both ConfigMap default/c"}, false},
		{"fails with one object in two manifests", func(s *cdk.Stack) {
			c := vc(s)
			c.AddManifest("a", obj("apps/v1", "Deployment", "web", "api"))
			c.AddManifest("m", obj("apps/v1", "Deployment", "web", "api"))
		}, pM, []string{"object 1 (Deployment.apps web/api) is already declared by Stack/C/manifest-a"}, false},
		{"fails with one namespace in two manifests", func(s *cdk.Stack) {
			c := vc(s)
			c.AddManifest("a", obj("v1", "Namespace", "", "team"))
			c.AddManifest("m", withMeta(obj("v1", "Namespace", "", "team"), "namespace", "other"))
		}, pM, []string{"(Namespace team) is already declared by Stack/C/manifest-a"}, false},
		{"fails with a service account twice", func(s *cdk.Stack) {
			c := vc(s)
			c.AddServiceAccount("one", eks.ServiceAccountOptions{Name: "app", Namespace: "web"})
			c.AddServiceAccount("two", eks.ServiceAccountOptions{Name: "app", Namespace: "web"})
		}, "Stack/C/two/manifest-twoServiceAccountResource", []string{"ServiceAccount web/app) is already declared by Stack/C/one/manifest-oneServiceAccountResource"}, false},
		{"fails with a service account also in a manifest", func(s *cdk.Stack) {
			c := vc(s)
			c.AddServiceAccount("sa", eks.ServiceAccountOptions{Name: "app"})
			c.AddManifest("m", obj("v1", "ServiceAccount", "", "app"))
		}, pM, []string{"ServiceAccount default/app) is already declared by Stack/C/sa/"}, false},
		{"fails with a service account name with upper case", func(s *cdk.Stack) {
			vc(s).AddServiceAccount("sa", eks.ServiceAccountOptions{Name: "App"})
		}, "Stack/C/sa", []string{`service account name "App"`}, false},
		{"fails with two Helm releases of one name", func(s *cdk.Stack) {
			c := vc(s)
			c.AddHelmChart("a", eks.HelmChartOptions{Chart: "nginx", Repository: "https://charts.example.com", Release: "web"})
			c.AddHelmChart("h", eks.HelmChartOptions{Chart: "redis", Repository: "https://charts.example.com", Release: "web"})
		}, pH, []string{`release "web" in namespace "default" is already installed by Stack/C/chart-a`}, false},
		{"fails with a chart without a repository", chartWith(eks.HelmChartOptions{Chart: "nginx"}), pH, []string{`Chart "nginx" has no Repository`}, false},
		{"fails with a repo/chart name and a repository", chartWith(eks.HelmChartOptions{Chart: "bitnami/nginx", Repository: "https://charts.bitnami.com/bitnami"}), pH, []string{`Chart "bitnami/nginx" is not a chart name`}, false},
		{"fails with a full reference and a repository", chartWith(eks.HelmChartOptions{Chart: "oci://registry/x", Repository: "https://charts.example.com"}), pH, []string{`Chart "oci://registry/x" is a full reference and Repository "https://charts.example.com" is set too`}, false},
		{"fails with a chart name with a space", chartWith(eks.HelmChartOptions{Chart: "nginx ingress", Repository: "https://charts.example.com"}), pH, []string{`Chart "nginx ingress" contains white space`}, false},
		{"fails with a chart version that is not a constraint", chartWith(eks.HelmChartOptions{Chart: "nginx", Repository: "https://charts.example.com", Version: "latest"}), pH, []string{`Version "latest" is not a chart version or version constraint`}, false},
		{"fails with a chart version with two operators", chartWith(eks.HelmChartOptions{Chart: "nginx", Repository: "https://charts.example.com", Version: ">>1.0"}), pH, []string{`Version ">>1.0"`}, false},
		{"fails with a chart namespace in upper case", chartWith(eks.HelmChartOptions{Chart: "nginx", Repository: "https://charts.example.com", Namespace: "Ingress"}), pH, []string{`Namespace "Ingress" is not a DNS-1123 label`}, false},
		{"fails with an unknown chart removal policy", chartWith(eks.HelmChartOptions{Chart: "nginx", Repository: "https://charts.example.com", RemovalPolicy: "keep"}), pH, []string{`RemovalPolicy "keep"`}, false},
		{"fails with two access entries for one principal", func(s *cdk.Stack) {
			c := vc(s)
			eks.NewAccessEntry(s, "A", eks.AccessEntryProps{Cluster: c, Principal: "arn:aws:iam::123456789012:role/dev"})
			eks.NewAccessEntry(s, "E", eks.AccessEntryProps{Cluster: c, Principal: "arn:aws:iam::123456789012:role/dev"})
		}, pE, []string{"already has an access entry for arn:aws:iam::123456789012:role/dev (Stack/A)"}, false},
		{"fails with an access entry for the masters role", func(s *cdk.Stack) {
			r := iam.RoleFromRoleArn(s, "R", "arn:aws:iam::123456789012:role/admin")
			c := vc(s, eks.ClusterProps{MastersRole: r})
			eks.NewAccessEntry(s, "E", eks.AccessEntryProps{Cluster: c, Principal: r.RoleArn()})
		}, pE, []string{"already has an access entry for arn:aws:iam::123456789012:role/admin (Stack/C/mastersRoleAccess)"}, false},
		{"fails with conflicting aws-auth role mappings", func(s *cdk.Stack) {
			r := iam.RoleFromRoleArn(s, "R", "arn:aws:iam::123456789012:role/dev")
			a := vc(s).AwsAuth()
			a.AddRoleMapping(r, eks.AwsAuthMapping{Username: "dev", Groups: []string{"viewers"}})
			a.AddRoleMapping(r, eks.AwsAuthMapping{Username: "dev", Groups: []string{"editors"}})
		}, pA, []string{"the role arn:aws:iam::123456789012:role/dev is mapped twice differently (username dev, groups [viewers]; then username dev, groups [editors])"}, false},
		{"fails with a masters role mapped again differently", func(s *cdk.Stack) {
			r := iam.RoleFromRoleArn(s, "R", "arn:aws:iam::123456789012:role/admin")
			a := vc(s).AwsAuth()
			a.AddMastersRole(r)
			a.AddRoleMapping(r, eks.AwsAuthMapping{Username: "admin", Groups: []string{"system:masters"}})
		}, pA, []string{"role arn:aws:iam::123456789012:role/admin is mapped twice differently"}, false},
		{"fails with conflicting aws-auth user mappings", func(s *cdk.Stack) {
			u := iam.NewUser(s, "U", iam.UserProps{})
			a := vc(s).AwsAuth()
			a.AddUserMapping(u, eks.AwsAuthMapping{Groups: []string{"a"}})
			a.AddUserMapping(u, eks.AwsAuthMapping{Groups: []string{"b"}})
		}, pA, []string{"the user Stack/U is mapped twice differently"}, false},
		{"fails with an empty aws-auth group", func(s *cdk.Stack) {
			r := iam.RoleFromRoleArn(s, "R", "arn:aws:iam::123456789012:role/dev")
			vc(s).AwsAuth().AddRoleMapping(r, eks.AwsAuthMapping{Groups: []string{""}})
		}, pA, []string{"the role mapping of Stack/R has an empty group (Groups[0])"}, false},
		{"fails with an unknown JSON-patch op", patchWith(eks.KubernetesPatchProps{PatchType: eks.PatchTypeJSON, ApplyPatch: []eks.JSONPatchOperation{{Op: "set", Path: "/spec/replicas", Value: 2}}}), pP, []string{`ApplyPatch[0] has op "set"`}, false},
		{"fails with a JSON-patch path without a slash", patchWith(eks.KubernetesPatchProps{PatchType: eks.PatchTypeJSON, ApplyPatch: []eks.JSONPatchOperation{{Op: "replace", Path: "spec.replicas", Value: 2}}}), pP, []string{`ApplyPatch[0] (replace) has path "spec.replicas", which is not a JSON pointer`}, false},
		{"fails with a JSON-patch move without from", patchWith(eks.KubernetesPatchProps{PatchType: eks.PatchTypeJSON, ApplyPatch: []eks.JSONPatchOperation{{Op: "move", Path: "/a"}}}), pP, []string{"ApplyPatch[0] (move) has no from"}, false},
		{"fails with a JSON-patch copy from a bad pointer", patchWith(eks.KubernetesPatchProps{PatchType: eks.PatchTypeJSON, ApplyPatch: []eks.JSONPatchOperation{{Op: "copy", Path: "/a", From: "b"}}}), pP, []string{`ApplyPatch[0] (copy) has from "b"`}, false},
		{"fails with a JSON-patch add without a value", patchWith(eks.KubernetesPatchProps{PatchType: eks.PatchTypeJSON, ApplyPatch: []any{map[string]any{"op": "add", "path": "/a"}}}), pP, []string{"ApplyPatch[0] (add /a) has no value"}, false},
		{"fails with a JSON-patch op that is a string", patchWith(eks.KubernetesPatchProps{PatchType: eks.PatchTypeJSON, ApplyPatch: []any{"replace /a 1"}}), pP, []string{"ApplyPatch[0] is a string, not an operation"}, false},
		{"fails with a JSON-patch op without a path", patchWith(eks.KubernetesPatchProps{PatchType: eks.PatchTypeJSON, ApplyPatch: []any{map[string]any{"op": "remove"}}}), pP, []string{"ApplyPatch[0] (remove) has no path"}, false},
		{"fails with a bad restore patch op", patchWith(eks.KubernetesPatchProps{PatchType: eks.PatchTypeJSON, ApplyPatch: []eks.JSONPatchOperation{{Op: "remove", Path: "/a"}}, RestorePatch: []eks.JSONPatchOperation{{Op: "undo", Path: "/a"}}}), pP, []string{`RestorePatch[0] has op "undo"`}, false},
		{"fails with an empty strategic patch", patchWith(eks.KubernetesPatchProps{ApplyPatch: map[string]any{}}), pP, []string{"ApplyPatch is empty"}, false},
		{"fails with an empty JSON patch", patchWith(eks.KubernetesPatchProps{PatchType: eks.PatchTypeJSON, ApplyPatch: []eks.JSONPatchOperation{}}), pP, []string{"ApplyPatch is empty"}, false},
		{"fails with a nil map patch", patchWith(eks.KubernetesPatchProps{ApplyPatch: map[string]any(nil)}), pP, []string{"ApplyPatch is required"}, false},
		{"fails with a patch resource name without a type", patchWith(eks.KubernetesPatchProps{ResourceName: "/coredns", ApplyPatch: map[string]any{"a": 1}}), pP, []string{`ResourceName "/coredns" must be "<type>/<name>" with both parts`}, false},
		{"fails with a patch resource name with a space", patchWith(eks.KubernetesPatchProps{ResourceName: "deployment/core dns", ApplyPatch: map[string]any{"a": 1}}), pP, []string{`ResourceName "deployment/core dns" has an invalid object name "core dns"`}, false},
		{"fails with a patch namespace in upper case", patchWith(eks.KubernetesPatchProps{ResourceNamespace: "Kube-System", ApplyPatch: map[string]any{"a": 1}}), pP, []string{`ResourceNamespace "Kube-System"`}, false},
		{"fails with an unclosed JSONPath bracket", valueWith(eks.KubernetesObjectValueProps{JsonPath: ".status.loadBalancer.ingress[0.hostname"}), pV, []string{`JsonPath ".status.loadBalancer.ingress[0.hostname" is not a valid JSONPath`}, false},
		{"fails with an unclosed JSONPath brace", valueWith(eks.KubernetesObjectValueProps{JsonPath: "{.status"}), pV, []string{`JsonPath "{.status"`}, false},
		{"fails with a JSONPath filter without a closing paren", valueWith(eks.KubernetesObjectValueProps{JsonPath: ".items[?(@.name=='x']"}), pV, []string{`JsonPath ".items[?(@.name=='x']"`}, false},
		{"fails with a JSONPath of an unterminated quote", valueWith(eks.KubernetesObjectValueProps{JsonPath: ".metadata.labels['app"}), pV, []string{`JsonPath ".metadata.labels['app"`}, false},
		{"fails with an object value namespace in upper case", valueWith(eks.KubernetesObjectValueProps{ObjectNamespace: "Web"}), pV, []string{`ObjectNamespace "Web"`}, false},
		{"fails with an object value name with a slash", valueWith(eks.KubernetesObjectValueProps{ObjectName: "a/b"}), pV, []string{`ObjectName "a/b"`}, false},
		{"fails with an object value type with a space", valueWith(eks.KubernetesObjectValueProps{ObjectType: "load balancer"}), pV, []string{`ObjectType "load balancer"`}, false},
	}
}

func nanValue() any {
	zero := 0.0
	return zero / zero
}

// TestBadInputsAreSynthesisErrors builds every bad input of the table: none
// may panic (except documented programming errors, whose panic must name
// the path), and each must fail synthesis with a problem on its construct
// path naming the offending value.
func TestBadInputsAreSynthesisErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range badInputs() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app, stack := newStack()
			panicked := func() (msg string) {
				defer func() {
					if r := recover(); r != nil {
						msg = fmt.Sprint(r)
					}
				}()
				tc.build(stack)
				return ""
			}()
			if tc.panics {
				if panicked == "" {
					t.Fatal("no panic, want one")
				}
				for _, f := range append([]string{tc.path}, tc.want...) {
					if !strings.Contains(panicked, f) {
						t.Errorf("panic lacks %q: %s", f, panicked)
					}
				}
				return
			}
			if panicked != "" {
				t.Fatalf("building panicked: %s", panicked)
			}
			wantProblem(t, app, tc.path, tc.want...)
		})
	}
}

// wantProblem fails unless synthesis reports a problem on path whose
// message holds every fragment.
func wantProblem(t *testing.T, app *cdk.App, path string, fragments ...string) {
	t.Helper()
	_, err := app.Synth(cdk.InMemory())
	if err == nil {
		t.Fatalf("synthesis succeeded, want a problem on %s with %q", path, fragments)
	}
	se, ok := err.(*cdk.SynthError)
	if !ok {
		t.Fatalf("synthesis failed with %T, want *cdk.SynthError: %v", err, err)
	}
	for _, p := range se.Problems {
		if p.Path != path {
			continue
		}
		all := true
		for _, f := range fragments {
			if !strings.Contains(p.Message, f) {
				all = false
			}
		}
		if all {
			return
		}
	}
	t.Errorf("no problem on %s with %q in:\n%v", path, fragments, err)
}

// TestValidEdgeCasesSynthesize are inputs at the edge of the rules that
// AWS, EKS, Kubernetes and Helm accept: each must synthesize.
func TestValidEdgeCasesSynthesize(t *testing.T) {
	t.Parallel()
	type port struct {
		Name          string `json:"name"`
		ContainerPort int32  `json:"containerPort"`
		Internal      string `json:"-"`
	}
	for _, tc := range []struct {
		name  string
		build func(s *cdk.Stack)
	}{
		{"a 100-character cluster name", clusterWith(eks.ClusterProps{ClusterName: strings.Repeat("c", 100)})},
		{"a cluster name with '_' and '-'", clusterWith(eks.ClusterProps{ClusterName: "0prod_eu-1"})},
		{"the oldest offered version", clusterWith(eks.ClusterProps{Version: eks.OldestKubernetesVersion})},
		{"a version newer than the constants", clusterWith(eks.ClusterProps{Version: eks.KubernetesVersionOf("1.40")})},
		{"50 tags with 128-character keys and 256-character values", clusterWith(eks.ClusterProps{Tags: func() map[string]string {
			m := manyTags(49)
			m[strings.Repeat("k", 128)] = strings.Repeat("v", 256)
			return m
		}()})},
		{"40 OnlyFrom CIDRs", clusterWith(eks.ClusterProps{EndpointAccess: eks.EndpointAccessPublicAndPrivate.OnlyFrom(manyCidrs(40)...)})},
		{"service CIDRs of /12 and /24", func(s *cdk.Stack) {
			vc(s, eks.ClusterProps{ServiceIpv4Cidr: "172.16.0.0/12"})
			eks.NewCluster(s, "C2", eks.ClusterProps{Version: eks.V1_34, DefaultCapacity: cdk.Ptr(0), ServiceIpv4Cidr: "192.168.7.0/24"})
		}},
		{"every log type and the literal authentication mode", clusterWith(eks.ClusterProps{AuthenticationMode: "API_AND_CONFIG_MAP", ClusterLogging: []eks.ClusterLoggingType{eks.ClusterLoggingApi, eks.ClusterLoggingAudit, eks.ClusterLoggingAuthenticator, eks.ClusterLoggingControllerManager, eks.ClusterLoggingScheduler}})},
		{"a node group of 0 to 1 nodes, 63-character name, 50 taints, AL2 on 1.32", func(s *cdk.Stack) {
			vc(s, eks.ClusterProps{Version: eks.V1_32}).AddNodegroupCapacity("n", eks.NodegroupOptions{NodegroupName: strings.Repeat("n", 63), MinSize: cdk.Ptr(0), DesiredSize: cdk.Ptr(0), MaxSize: cdk.Ptr(1), Taints: manyTaints(50), AmiType: eks.NodegroupAmiTypeAl2X86_64})
		}},
		{"a root volume of EBS's largest size", nodegroupWith(eks.NodegroupOptions{DiskSize: eks.MaxDiskSize})},
		{"one taint key with two effects", nodegroupWith(eks.NodegroupOptions{Taints: []eks.TaintSpec{{Key: "gpu", Effect: eks.TaintEffectNoSchedule}, {Key: "gpu", Effect: eks.TaintEffectNoExecute}}})},
		{"a Fargate selector with 5 labels, a 63-character namespace and the same namespace with other labels", fargateWith(eks.FargateProfileOptions{Selectors: []eks.Selector{
			{Namespace: strings.Repeat("n", 63), Labels: map[string]string{"a": "1", "b": "2", "c": "3", "d": "4", "e": "5"}},
			{Namespace: "web"}, {Namespace: "web", Labels: map[string]string{"tier": "front"}},
		}})},
		{"access entries for a role, a user, a role with a path and a wildcard namespace", func(s *cdk.Stack) {
			c := vc(s)
			c.GrantAccess("a", "arn:aws:iam::123456789012:role/dev", eks.AccessPolicyFromAccessPolicyName("AmazonEKSViewPolicy", eks.AccessScope{Type: eks.AccessScopeTypeNamespace, Namespaces: []string{"team-*"}}))
			c.GrantAccess("b", "arn:aws:iam::123456789012:user/alice", eks.AccessPolicyFromAccessPolicyName("AmazonEKSEditPolicy", eks.AccessScope{Type: eks.AccessScopeTypeCluster}))
			c.GrantAccess("c", "arn:aws-cn:iam::123456789012:role/teams/ops", eks.AccessPolicyFromAccessPolicyName("AmazonEKSAdminPolicy", eks.AccessScope{Type: eks.AccessScopeTypeCluster}))
			c.GrantAccess("d", "arn:aws:iam::123456789012:role/dev", eks.AccessPolicyFromAccessPolicyName("AmazonEKSEditPolicy", eks.AccessScope{Type: eks.AccessScopeTypeCluster}))
		}},
		{"the same aws-auth mapping twice, groups in another order", func(s *cdk.Stack) {
			r := iam.RoleFromRoleArn(s, "R", "arn:aws:iam::123456789012:role/dev")
			a := vc(s).AwsAuth()
			a.AddRoleMapping(r, eks.AwsAuthMapping{Username: "dev", Groups: []string{"a", "b"}})
			a.AddRoleMapping(r, eks.AwsAuthMapping{Username: "dev", Groups: []string{"b", "a"}})
			a.AddAccount("123456789012")
			a.AddAccount("123456789012")
		}},
		{"a typed container nested in a map, a struct with JSON tags and map[string]string values", objectsOf(map[string]any{
			"apiVersion": "v1", "kind": "Pod", "metadata": map[string]any{"name": "p", "labels": map[string]string{"app": "web"}},
			"spec": map[string]any{"containers": []any{corev1.Container{Name: "web", Image: "nginx", Ports: []corev1.ContainerPort{{ContainerPort: 80}}}}},
		}, map[string]any{
			"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "ports"},
			"data": map[string]any{"list": []string{"a"}}, "ports": []port{{Name: "http", ContainerPort: 8080, Internal: "x"}},
		})},
		{"typed objects by value and by pointer, unstructured and YAML", objectsOf(
			appsv1.Deployment{ObjectMeta: metaName("web")},
			&corev1.Namespace{ObjectMeta: metaName("team")},
			&unstructured.Unstructured{Object: obj("v1", "ConfigMap", "team", "u")},
			eks.YAML("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: team\n"),
		)},
		{"RBAC names with colons, upper-case and a 253-character ConfigMap name", objectsOf(
			obj("rbac.authorization.k8s.io/v1", "ClusterRole", "", "system:Aggregate-To-Edit"),
			obj("v1", "ConfigMap", "", strings.Repeat("a", 253)),
		)},
		{"one name in two namespaces, and two kinds of one name", func(s *cdk.Stack) {
			c := vc(s)
			c.AddManifest("a", obj("v1", "ConfigMap", "a", "cfg"), obj("v1", "Secret", "a", "cfg"))
			c.AddManifest("b", obj("v1", "ConfigMap", "b", "cfg"), obj("example.com/v1", "ConfigMap", "a", "cfg"))
		}},
		{"an object in two clusters", func(s *cdk.Stack) {
			c1 := vc(s)
			c2 := eks.NewCluster(s, "C2", eks.ClusterProps{Version: eks.V1_34, DefaultCapacity: cdk.Ptr(0)})
			c1.AddManifest("a", obj("v1", "Namespace", "", "team"))
			c2.AddManifest("a", obj("v1", "Namespace", "", "team"))
		}},
		{"one release name in two namespaces, OCI charts and constraints", func(s *cdk.Stack) {
			c := vc(s)
			c.AddHelmChart("a", eks.HelmChartOptions{Chart: "nginx", Repository: "https://charts.example.com", Release: "web", Version: "~1.2"})
			c.AddHelmChart("b", eks.HelmChartOptions{Chart: "nginx", Repository: "https://charts.example.com", Release: "web", Namespace: "other", Version: ">=1.0.0 <2.0.0"})
			c.AddHelmChart("c", eks.HelmChartOptions{Chart: "oci://public.ecr.aws/karpenter/karpenter", Version: "1.6.0"})
			c.AddHelmChart("d", eks.HelmChartOptions{Chart: "karpenter/karpenter", Repository: "oci://public.ecr.aws"})
		}},
		{"chart values with typed Kubernetes values and structs", chartWith(eks.HelmChartOptions{Chart: "nginx", Repository: "https://charts.example.com", Values: map[string]any{
			"resources": corev1.ResourceRequirements{}, "tolerations": []corev1.Toleration{{Key: "gpu", Operator: corev1.TolerationOpExists}},
		}})},
		{"JSON patches of every operation, and a JSONPath with a filter", func(s *cdk.Stack) {
			c := vc(s)
			eks.NewKubernetesPatch(s, "P", eks.KubernetesPatchProps{Cluster: c, ResourceName: "deployment/coredns", ResourceNamespace: "kube-system", PatchType: eks.PatchTypeJSON, ApplyPatch: []eks.JSONPatchOperation{
				{Op: "add", Path: "/metadata/labels/x", Value: "y"}, {Op: "replace", Path: "/spec/replicas", Value: 0}, {Op: "test", Path: "/spec/paused", Value: false},
				{Op: "remove", Path: "/metadata/annotations/a"}, {Op: "move", From: "/a", Path: "/b"}, {Op: "copy", From: "/b", Path: "/c"},
			}})
			eks.NewKubernetesObjectValue(s, "V", eks.KubernetesObjectValueProps{Cluster: c, ObjectType: "service", ObjectName: "web", JsonPath: `{.status.conditions[?(@.type=="Ready")].status}`})
		}},
		{"a kubectl provider imported by ARN with an alias and a role", func(s *cdk.Stack) {
			p := eks.KubectlProviderFromArn(s, "K", eks.KubectlProviderAttributes{FunctionArn: "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:kubectl-handler:live", RoleArn: "arn:aws:iam::123456789012:role/path/kubectl"})
			vc(s, eks.ClusterProps{Kubectl: eks.KubectlOptions{Provider: p}}).AddManifest("m", obj("v1", "Namespace", "", "a"))
		}},
		{"a service account in a namespace the same manifest set creates", func(s *cdk.Stack) {
			c := vc(s)
			c.AddManifest("ns", obj("v1", "Namespace", "", "team"))
			c.AddServiceAccount("sa", eks.ServiceAccountOptions{Name: "app", Namespace: "team"})
			c.AddServiceAccount("sa2", eks.ServiceAccountOptions{Name: "app"})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app, stack := newStack()
			tc.build(stack)
			if err := synthError(t, app); err != "" {
				t.Fatal(err)
			}
		})
	}
}

func metaName(n string) metav1.ObjectMeta { return metav1.ObjectMeta{Name: n} }
