// Package auth gives the kubectl handler access to an EKS cluster from
// inside Lambda: a bearer token made in-process the way `aws eks get-token`
// and aws-iam-authenticator make it (an STS GetCallerIdentity request,
// presigned with the header x-k8s-aws-id naming the cluster, encoded as
// "k8s-aws-v1." + base64url), optionally after assuming a role; the
// cluster's endpoint and CA from the resource properties or from
// eks:DescribeCluster; and a client-go rest.Config that refreshes the token
// before it expires and honours HTTPS_PROXY/NO_PROXY from the environment.
//
// It is not a kubeconfig loader: nothing is read from disk, and no aws CLI
// or exec credential plugin runs.
package auth
