// # Kubernetes resources
//
// The Kubernetes side is applied at deploy time by one Go Lambda function
// per cluster, the kubectl handler ([KubectlProviderOf]), made when the
// cluster gets its first Kubernetes resource. It reaches the cluster with
// cluster-admin through an access entry, runs outside the VPC unless the
// endpoint is private only ([KubectlOptions], [ClusterProps].Kubectl), and
// can be shared between stacks or given to an imported cluster
// ([KubectlProviderFromArn]). Its custom resources, their properties and
// what the handler does with them are the contract in
// docs/custom-resources.md.
//
//   - [Cluster.AddManifest] and [NewKubernetesManifest] apply objects, in
//     order, as one resource: typed k8s.io/api objects, map[string]any,
//     unstructured objects or [YAML] ([ManifestsFromYAML] reads any
//     io.Reader). Objects removed from a manifest are pruned; a manifest
//     that creates a Namespace, CRD or ServiceAccount is applied before the
//     manifests and charts of the cluster that use it; manifests over
//     [ManifestAssetThreshold] travel as S3 assets.
//   - [NewKubernetesPatch] patches existing objects (strategic merge, merge,
//     or JSON patch operations) and restores them on delete.
//   - [NewKubernetesObjectValue] and [Cluster.GetServiceLoadBalancerAddress]
//     read a value of an object at deploy time, as a token.
//   - [Cluster.AddHelmChart] and [NewHelmChart] install Helm releases from
//     repositories, OCI registries or local chart directories; spot capacity
//     installs the AWS Node Termination Handler this way.
//   - [Cluster.AwsAuth] merges IAM role, user and account mappings into the
//     aws-auth ConfigMap, keeping entries it does not own; node roles and
//     the masters role are mapped automatically.
//   - [Cluster.AddServiceAccount] makes a service account whose pods assume
//     an IAM role, through the cluster's IAM OIDC provider
//     ([Cluster.OpenIdConnectProvider]) or EKS Pod Identity; it is a grant
//     principal.
//
// Every invalid input (an object without apiVersion, a chart without
// chart, a Helm timeout longer than the handler lives, a token in a map
// key, aws-auth in API mode, ...) is a synthesis error naming the
// construct's path.
package eks
