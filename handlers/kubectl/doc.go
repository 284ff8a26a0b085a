// Package kubectl is eksforge's kubectl handler: the deploy-time Lambda
// function that applies the Kubernetes side of an eksforge app to an EKS
// cluster. It implements the custom resources of docs/custom-resources.md —
// manifests (Custom::AWSCDK-EKS-KubernetesResource), Helm releases
// (Custom::AWSCDK-EKS-HelmChart), patches (Custom::AWSCDK-EKS-KubernetesPatch),
// values read back from objects (Custom::AWSCDK-EKS-KubernetesObjectValue)
// and owned aws-auth entries (Custom::EksForge-AwsAuth) — with client-go,
// the Helm v4 SDK and aws-sdk-go-v2, in one static binary: no kubectl,
// helm or aws CLI, no Python, no layers.
//
// [Handler] is a [provider.Handler]: handlers/kubectl/cmd/kubectl runs it
// with provider.Serve, the in-process mode that always answers
// CloudFormation (panics, deadline guard, 4 KB responses).
//
// # Packages
//
//   - [github.com/eksforge/eksforge/handlers/kubectl/auth]: EKS bearer
//     tokens and the rest.Config.
//   - [github.com/eksforge/eksforge/handlers/kubectl/apply]: server-side
//     apply, prune and delete through a cached RESTMapper.
//   - [github.com/eksforge/eksforge/handlers/kubectl/helm]: Helm releases.
//   - [github.com/eksforge/eksforge/handlers/kubectl/awsauth]: the aws-auth
//     merge.
//
// # Physical IDs and retries
//
// Every resource's physical ID is derived from the event
// ([PhysicalID]), so the same request delivered twice converges on the same
// resource, and an update is in place unless a property that names the
// target (the cluster, a release, a patched object) changed. Every
// operation is idempotent: applies are server-side applies, deletes treat
// 404 as done, Helm runs upgrade --install.
//
// # Failures
//
// A failure reason names the object and the API error, e.g.
// "unable to apply apps/v1 Deployment default/hello: ...". A manifest
// Create that fails deletes what it had applied before answering FAILED.
package kubectl
