// Command addons synthesizes a cluster with EKS managed add-ons: the VPC CNI
// created before the nodes, with its IAM role through EKS Pod Identity;
// CoreDNS configured with typed values, created after the nodes; the EBS
// CSI driver with a Pod Identity role; kube-proxy pinned to a version and
// kept on the cluster when removed from the app; and a Pod Identity
// association for an application's service account. The Pod Identity
// Agent add-on is installed once for all of them.
//
//	go run ./examples/addons
//
// The cloud assembly goes to $CDK_OUTDIR, or cdk.out.
package main

import (
	"fmt"
	"os"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/aws/s3"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/eks"
)

func main() {
	app := cdk.NewApp(cdk.AppProps{})
	build(app)
	asm, err := app.Synth()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, s := range asm.Stacks {
		fmt.Printf("%s: %s/%s\n", s.StackName, asm.Directory, s.TemplateFile)
	}
}

// build adds the example's stack to app.
func build(app *cdk.App) {
	stack := cdk.NewStack(app, "Addons", cdk.StackProps{})
	cluster := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34})

	// The nodes need the CNI to become ready: create it first, with its
	// permissions through Pod Identity rather than the node role.
	cluster.AddAddon("VpcCni", eks.AddonOptions{
		AddonName:     eks.AddonNameVpcCni,
		BeforeCompute: true,
		PodIdentityAssociations: []eks.AddonPodIdentityAssociation{{
			ServiceAccount:  "aws-node",
			ManagedPolicies: []iam.IManagedPolicy{iam.ManagedPolicyFromAwsManagedPolicyName("AmazonEKS_CNI_Policy")},
		}},
		ConfigurationValues: map[string]any{"env": map[string]any{"ENABLE_PREFIX_DELEGATION": "true"}},
	})

	// CoreDNS needs nodes to run on: by default add-ons come after them.
	cluster.AddAddon("CoreDns", eks.AddonOptions{
		AddonName:           eks.AddonNameCoreDns,
		ResolveConflicts:    eks.ResolveConflictsOverwrite,
		ConfigurationValues: map[string]any{"replicaCount": 3, "autoScaling": map[string]any{"enabled": true, "minReplicas": 3, "maxReplicas": 10}},
	})

	cluster.AddAddon("KubeProxy", eks.AddonOptions{
		AddonName:        eks.AddonNameKubeProxy,
		AddonVersion:     "v1.34.0-eksbuild.2",
		BeforeCompute:    true,
		PreserveOnDelete: true,
	})

	cluster.AddAddon("EbsCsiDriver", eks.AddonOptions{
		AddonName: eks.AddonNameEbsCsiDriver,
		PodIdentityAssociations: []eks.AddonPodIdentityAssociation{{
			ServiceAccount:  "ebs-csi-controller-sa",
			ManagedPolicies: []iam.IManagedPolicy{iam.ManagedPolicyFromAwsManagedPolicyName("service-role/AmazonEBSCSIDriverPolicy")},
		}},
	})

	// An application's service account (created by its Helm chart, say)
	// gets a role through Pod Identity; grants go to the role.
	reports := cluster.AddPodIdentityAssociation("Reports", eks.PodIdentityAssociationProps{
		ServiceAccount: "reports",
		Namespace:      "analytics",
	})
	bucket := s3.NewBucket(stack, "Bucket", s3.BucketProps{})
	bucket.GrantRead(reports)
}
