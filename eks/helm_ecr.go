package eks

import (
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
)

// ecrRegistryHost matches private ECR registries, as the Helm handler does
// (handlers/kubectl/helm): account.dkr.ecr[-fips].region.amazonaws.com[.cn].
var ecrRegistryHost = regexp.MustCompile(`^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$`)

// EcrPullActions are the actions the kubectl handler's role is granted on
// each private ECR repository a chart is pulled from (besides
// ecr:GetAuthorizationToken, which has no resource).
var EcrPullActions = []string{"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}

// ociChartRefs returns the OCI references the Helm handler may pull a chart
// from, as handlers/kubectl/helm's chartReferences tries them; nil when the
// chart is not in an OCI registry.
func ociChartRefs(repository, chart string) []string {
	chart = strings.Trim(chart, "/")
	switch {
	case strings.HasPrefix(chart, "oci://"):
		return []string{chart}
	case !strings.HasPrefix(repository, "oci://"):
		return nil
	}
	repo := strings.TrimSuffix(repository, "/")
	switch {
	case chart == "":
		return []string{repo}
	case path.Base(strings.TrimPrefix(repo, "oci://")) == chart:
		return []string{repo + "/" + chart, repo}
	default:
		return []string{repo + "/" + chart}
	}
}

// ecrRepositoryArn returns the ARN of the private ECR repository an OCI
// reference names ("oci://<account>.dkr.ecr.<region>.amazonaws.com/<repo>"),
// and false for any other registry (public.ecr.aws and others are pulled
// anonymously, with no AWS permission).
func ecrRepositoryArn(ref string) (string, bool) {
	rest := strings.TrimPrefix(ref, "oci://")
	host, repo, _ := strings.Cut(rest, "/")
	m := ecrRegistryHost.FindStringSubmatch(host)
	if m == nil || repo == "" {
		return "", false
	}
	if i := strings.IndexAny(repo, ":@"); i >= 0 { // a tag or digest
		repo = repo[:i]
	}
	partition := "aws"
	switch {
	case m[3] != "" || strings.HasPrefix(m[2], "cn-"):
		partition = "aws-cn"
	case strings.HasPrefix(m[2], "us-gov-"):
		partition = "aws-us-gov"
	}
	return "arn:" + partition + ":ecr:" + m[2] + ":" + m[1] + ":repository/" + repo, true
}

// grantEcrPull lets the kubectl handler pull a chart from the private ECR
// repositories it names, and from nothing else: ecr:GetAuthorizationToken
// (which takes no resource) once, and [EcrPullActions] on each repository's
// ARN. Charts in other OCI registries need no AWS permission. A reference
// with a token in it ("oci://" + a parameter) cannot be read at synthesis:
// the handler then gets AmazonEC2ContainerRegistryReadOnly, with a warning.
func grantEcrPull(scope cdk.Construct, p IKubectlProvider, repository, chart string) {
	refs := ociChartRefs(repository, chart)
	if len(refs) == 0 {
		return
	}
	kp, ok := p.(*KubectlProvider)
	if !ok {
		for _, ref := range refs {
			if _, private := ecrRepositoryArn(ref); private {
				scope.Node().AddWarning("the chart %s is in a private ECR registry and the kubectl handler is imported: grant its role ecr:GetAuthorizationToken and %s on the repository yourself", ref, strings.Join(EcrPullActions, ", "))
				return
			}
		}
		return
	}
	role := kp.Handler.Role()
	if slices.ContainsFunc(refs, func(r string) bool { return cdk.IsUnresolved(r) }) {
		scope.Node().AddWarning("the chart's oci:// reference holds a token, so the private ECR repositories it may name are unknown at synthesis: the kubectl handler gets AmazonEC2ContainerRegistryReadOnly (read access to every repository of the account); give a literal oci:// reference to grant only its repository")
		if !kp.ecrReadOnly {
			kp.ecrReadOnly = true
			role.AddManagedPolicy(iam.ManagedPolicyFromAwsManagedPolicyName("AmazonEC2ContainerRegistryReadOnly"))
		}
		return
	}
	var arns []string
	for _, ref := range refs {
		arn, private := ecrRepositoryArn(ref)
		if !private || kp.ecrRepos[arn] {
			continue
		}
		if kp.ecrRepos == nil {
			kp.ecrRepos = map[string]bool{}
		}
		kp.ecrRepos[arn] = true
		arns = append(arns, arn)
	}
	if len(arns) == 0 {
		return
	}
	if !kp.ecrLogin {
		kp.ecrLogin = true
		role.AddToPrincipalPolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{
			Actions:   []string{"ecr:GetAuthorizationToken"},
			Resources: []string{"*"},
		}))
	}
	role.AddToPrincipalPolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{
		Actions:   EcrPullActions,
		Resources: arns,
	}))
}
