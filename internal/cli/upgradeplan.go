package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	awseks "github.com/aws/aws-sdk-go-v2/service/eks"
	ekstypes "github.com/aws/aws-sdk-go-v2/service/eks/types"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/metadata"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/eksforge/eksforge/eks"
	"github.com/eksforge/eksforge/handlers/kubectl/apply"
	"github.com/eksforge/eksforge/handlers/kubectl/auth"
	"github.com/eksforge/eksforge/internal/assembly"
)

const upgradePlanHelp = `Upgrade-plan checks what upgrading each EKS cluster of the app to
Kubernetes --to involves, the way EKS and users check by hand, and prints
the ordered plan: control plane, then add-ons, then node groups — what
deploy does once the cluster's Version is bumped. EKS upgrades the control
plane one minor version at a time: --to must be the cluster's version + 1.

Checks (each "blocker" must be fixed first, "warning" should be read):

  - EKS upgrade insights for the target version (ListInsights): ERROR is a
    blocker, WARNING a warning;
  - add-ons (ListAddons, DescribeAddon): a version that DescribeAddonVersions
    does not list as compatible with the target must be updated;
  - managed node groups (ListNodegroups, DescribeNodegroup): a node group
    more than 3 minor versions behind the target would be out of the
    supported skew (a blocker); AMI types EKS does not publish for the
    target (AL2 after 1.32) are blockers;
  - self-managed capacity: the EKS-optimized or Bottlerocket AMI parameters
    of the app's template name the nodes' version, held to the same skew;
  - objects in the live cluster that clients write through API versions
    the target no longer serves: each kind is listed through the version
    the cluster prefers, and an object counts when a managedFields entry
    (the API server records the version of each field manager's last
    write) or kubectl's last-applied-configuration annotation names a
    removed version (through --kubeconfig, or an EKS token);
  - the app's manifests: objects on API versions the target no longer
    serves, as synthesis will report once Version is bumped.

The cluster's name is the physical ID of the deployed AWS::EKS::Cluster, or
the Name the template gives it.

Exit status: 0; 1 with --fail when there is a blocker (or on an error);
2 on a usage error.

Examples:

	eksforge upgrade-plan --to 1.34
	eksforge upgrade-plan MyStack --to 1.34 --fail
`

// upgradeCheck is one finding of the plan.
type upgradeCheck struct {
	level string // "blocker", "warning", "ok"
	what  string
}

// upgradePlan is the plan of one cluster.
type upgradePlan struct {
	stack, logicalID, cluster string
	from, to                  string
	checks                    []upgradeCheck
	steps                     []string
}

func (p *upgradePlan) add(level, format string, a ...any) {
	p.checks = append(p.checks, upgradeCheck{level: level, what: fmt.Sprintf(format, a...)})
}

func (p *upgradePlan) blockers() int {
	n := 0
	for _, c := range p.checks {
		if c.level == "blocker" {
			n++
		}
	}
	return n
}

func (r *Runner) upgradePlan(ctx context.Context, args []string) error {
	var o options
	pos, err := o.parse("upgrade-plan", args)
	if err != nil {
		return err
	}
	to := minorOf(o.to)
	if to < 0 {
		return usagef("--to must be a Kubernetes version such as 1.34, not %q", o.to)
	}
	asm, err := r.load(ctx, &o)
	if err != nil {
		return err
	}
	stacks, err := asm.Select(pos, assembly.ExtendNone)
	if err != nil {
		return err
	}
	sess, err := r.connect(ctx, &o)
	if err != nil {
		return err
	}
	blockers, clusters := 0, 0
	for _, s := range stacks {
		env, err := sess.env(s)
		if err != nil {
			return err
		}
		cfg := sess.cfg.Copy()
		cfg.Region = env.Region
		c := sess.in(env.Region)
		physical := map[string]string{}
		if out, err := c.cfn.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: aws.String(s.StackName)}); err == nil {
			for _, res := range out.StackResources {
				physical[aws.ToString(res.LogicalResourceId)] = aws.ToString(res.PhysicalResourceId)
			}
		}
		res, _ := s.Template["Resources"].(map[string]any)
		ids := make([]string, 0, len(res))
		for id := range res {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			rm, _ := res[id].(map[string]any)
			if rm["Type"] != "AWS::EKS::Cluster" {
				continue
			}
			clusters++
			props, _ := rm["Properties"].(map[string]any)
			name := physical[id]
			if name == "" {
				name, _ = props["Name"].(string)
			}
			p := &upgradePlan{stack: s.DisplayName, logicalID: id, cluster: name, to: o.to}
			if name == "" {
				p.add("blocker", "the cluster %s is not deployed and its template gives no literal Name: deploy it first", id)
			} else if err := r.planCluster(ctx, awseks.NewFromConfig(cfg), cfg, &o, s, id, p); err != nil {
				return err
			}
			p.write(r.Stdout)
			blockers += p.blockers()
		}
	}
	if clusters == 0 {
		return fmt.Errorf("the stacks %s have no AWS::EKS::Cluster", strings.Join(asm.Names(), ", "))
	}
	fmt.Fprintf(r.Stdout, "Blockers: %d\n", blockers)
	if o.fail && blockers > 0 {
		return &exitError{1}
	}
	return nil
}

// minorOf returns the minor of "1.<minor>", or -1.
func minorOf(v string) int {
	rest, ok := strings.CutPrefix(v, "1.")
	if !ok {
		return -1
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

func (r *Runner) planCluster(ctx context.Context, api *awseks.Client, cfg aws.Config, o *options, s *assembly.Stack, logicalID string, p *upgradePlan) error {
	out, err := api.DescribeCluster(ctx, &awseks.DescribeClusterInput{Name: aws.String(p.cluster)})
	if err != nil {
		return fmt.Errorf("unable to describe EKS cluster %s: %w", p.cluster, err)
	}
	p.from = aws.ToString(out.Cluster.Version)
	from, to := minorOf(p.from), minorOf(p.to)
	switch {
	case from < 0:
		return fmt.Errorf("EKS cluster %s has version %q", p.cluster, p.from)
	case to <= from:
		p.add("ok", "the control plane is already at %s", p.from)
		return nil
	case to > from+1:
		p.add("blocker", "EKS upgrades the control plane one minor version at a time: plan 1.%d first (--to 1.%d), deploy it, then plan the next", from+1, from+1)
		return nil
	}
	p.steps = append(p.steps, fmt.Sprintf("control plane %s -> %s: set the cluster's Version to eks.V1_%d and deploy (UpdateClusterVersion)", p.from, p.to, to))

	if err := planInsights(ctx, api, p); err != nil {
		return err
	}
	if err := planAddons(ctx, api, p); err != nil {
		return err
	}
	if err := planNodegroups(ctx, api, p, from, to); err != nil {
		return err
	}
	planSelfManaged(s, p, to)
	r.planLiveObjects(ctx, cfg, o, p)
	planAppManifests(s, p)
	return nil
}

func planInsights(ctx context.Context, api *awseks.Client, p *upgradePlan) error {
	in := &awseks.ListInsightsInput{ClusterName: aws.String(p.cluster), Filter: &ekstypes.InsightsFilter{
		Categories: []ekstypes.Category{ekstypes.CategoryUpgradeReadiness}, KubernetesVersions: []string{p.to}}}
	for pager := awseks.NewListInsightsPaginator(api, in); pager.HasMorePages(); {
		page, err := pager.NextPage(ctx)
		if err != nil {
			p.add("warning", "upgrade insights could not be read: %s", shortAPIError(err))
			return nil
		}
		for _, ins := range page.Insights {
			status, reason := "UNKNOWN", ""
			if ins.InsightStatus != nil {
				status, reason = string(ins.InsightStatus.Status), aws.ToString(ins.InsightStatus.Reason)
			}
			level := "ok"
			switch ins.InsightStatus.Status {
			case ekstypes.InsightStatusValueError:
				level = "blocker"
			case ekstypes.InsightStatusValueWarning, ekstypes.InsightStatusValueUnknown:
				level = "warning"
			}
			msg := fmt.Sprintf("upgrade insight %q: %s", aws.ToString(ins.Name), status)
			if reason != "" {
				msg += ": " + reason
			}
			p.add(level, "%s", msg)
		}
	}
	return nil
}

func planAddons(ctx context.Context, api *awseks.Client, p *upgradePlan) error {
	var names []string
	for pager := awseks.NewListAddonsPaginator(api, &awseks.ListAddonsInput{ClusterName: aws.String(p.cluster)}); pager.HasMorePages(); {
		page, err := pager.NextPage(ctx)
		if err != nil {
			p.add("warning", "add-ons could not be listed: %s", shortAPIError(err))
			return nil
		}
		names = append(names, page.Addons...)
	}
	sort.Strings(names)
	for _, name := range names {
		d, err := api.DescribeAddon(ctx, &awseks.DescribeAddonInput{ClusterName: aws.String(p.cluster), AddonName: aws.String(name)})
		if err != nil {
			return fmt.Errorf("unable to describe add-on %s of cluster %s: %w", name, p.cluster, err)
		}
		cur := aws.ToString(d.Addon.AddonVersion)
		vs, err := api.DescribeAddonVersions(ctx, &awseks.DescribeAddonVersionsInput{AddonName: aws.String(name), KubernetesVersion: aws.String(p.to)})
		if err != nil {
			return fmt.Errorf("unable to read the versions of add-on %s: %w", name, err)
		}
		compatible, def := false, ""
		for _, a := range vs.Addons {
			for _, v := range a.AddonVersions {
				for _, c := range v.Compatibilities {
					if aws.ToString(c.ClusterVersion) != p.to {
						continue
					}
					if aws.ToString(v.AddonVersion) == cur {
						compatible = true
					}
					if c.DefaultVersion {
						def = aws.ToString(v.AddonVersion)
					}
				}
			}
		}
		switch {
		case compatible:
			p.add("ok", "add-on %s %s is compatible with %s", name, cur, p.to)
		case def != "":
			p.add("warning", "add-on %s %s is not compatible with %s", name, cur, p.to)
			p.steps = append(p.steps, fmt.Sprintf("add-on %s %s -> %s (the default for %s): set its Version and deploy (UpdateAddon)", name, cur, def, p.to))
		default:
			p.add("blocker", "add-on %s has no version for Kubernetes %s", name, p.to)
		}
	}
	return nil
}

// maxNodeSkew is how many minor versions nodes may lag the control plane
// (Kubernetes' version skew policy since 1.28).
const maxNodeSkew = 3

func planNodegroups(ctx context.Context, api *awseks.Client, p *upgradePlan, from, to int) error {
	var names []string
	for pager := awseks.NewListNodegroupsPaginator(api, &awseks.ListNodegroupsInput{ClusterName: aws.String(p.cluster)}); pager.HasMorePages(); {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("unable to list the node groups of %s: %w", p.cluster, err)
		}
		names = append(names, page.Nodegroups...)
	}
	sort.Strings(names)
	for _, name := range names {
		d, err := api.DescribeNodegroup(ctx, &awseks.DescribeNodegroupInput{ClusterName: aws.String(p.cluster), NodegroupName: aws.String(name)})
		if err != nil {
			return fmt.Errorf("unable to describe node group %s: %w", name, err)
		}
		ng := d.Nodegroup
		v := aws.ToString(ng.Version)
		if v == "" {
			v = p.from
		}
		nv := minorOf(v)
		if nv >= 0 && to-nv > maxNodeSkew {
			p.add("blocker", "node group %s is at %s: after the upgrade it would be %d minor versions behind %s (at most %d are supported): upgrade it to 1.%d first", name, v, to-nv, p.to, maxNodeSkew, from)
		}
		ami := string(ng.AmiType)
		if strings.HasPrefix(ami, "AL2_") && to >= 33 {
			p.add("blocker", "node group %s uses AMI type %s, which EKS does not publish for Kubernetes 1.33 and later: move it to AL2023_x86_64_STANDARD (or AL2023_ARM_64_STANDARD, BOTTLEROCKET_*)", name, ami)
		}
		if ng.LaunchTemplate != nil && ng.ReleaseVersion == nil {
			p.add("warning", "node group %s uses a custom AMI from its launch template: pick an AMI for %s yourself", name, p.to)
		}
		p.steps = append(p.steps, fmt.Sprintf("node group %s %s -> %s: deploy with the new Version (UpdateNodegroupVersion, a rolling replacement of its nodes)", name, v, p.to))
	}
	return nil
}

// eksAMIParameter matches the SSM parameters of EKS-optimized and
// Bottlerocket AMIs, which name the Kubernetes version of the nodes.
var eksAMIParameter = regexp.MustCompile(`^/aws/service/(?:eks/optimized-ami/|bottlerocket/aws-k8s-)(1\.[0-9]+)[/-]`)

// planSelfManaged checks the app's self-managed capacity: the AMI
// parameters of its template name the nodes' Kubernetes version.
func planSelfManaged(s *assembly.Stack, p *upgradePlan, to int) {
	params, _ := s.Template["Parameters"].(map[string]any)
	names := make([]string, 0, len(params))
	for n := range params {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		pm, _ := params[n].(map[string]any)
		def, _ := pm["Default"].(string)
		m := eksAMIParameter.FindStringSubmatch(def)
		if m == nil {
			continue
		}
		v := minorOf(m[1])
		if to-v > maxNodeSkew {
			p.add("blocker", "self-managed capacity on %s (parameter %s) runs Kubernetes %s: after the upgrade it would be %d minor versions behind 1.%d (at most %d are supported): move it to a newer AMI first", def, n, m[1], to-v, to, maxNodeSkew)
		}
		p.steps = append(p.steps, fmt.Sprintf("self-managed capacity (parameter %s) %s -> 1.%d: its AMI parameter follows the cluster's Version at synthesis; the Auto Scaling group replaces its instances as its update policy says", n, m[1], to))
	}
}

// lastAppliedAnnotation is where kubectl apply (client side) keeps the
// object as last applied, apiVersion included.
const lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

// planLiveObjects finds the objects of the live cluster that clients still
// write through API versions the target no longer serves. Listing a kind
// through its old version would show every object of the kind (the API
// server converts them all), so each kind is listed through the version the
// cluster prefers and an object counts when its record says who wrote it
// through a removed version: a managedFields entry with that apiVersion
// (the API server records the version of each manager's last write), or
// kubectl's last-applied-configuration annotation with it.
func (r *Runner) planLiveObjects(ctx context.Context, cfg aws.Config, o *options, p *upgradePlan) {
	var rc *rest.Config
	var err error
	if o.kubeconfig != "" {
		rc, err = clientcmd.BuildConfigFromFlags("", r.abs(o.kubeconfig))
	} else {
		rc, err = auth.RestConfig(ctx, cfg, auth.Cluster{Name: p.cluster})
	}
	if err != nil {
		p.add("warning", "the live objects were not checked for removed APIs: %v", err)
		return
	}
	auth.Tune(rc)
	checkLiveObjects(ctx, rc, eks.RemovedAPIs(), p)
}

// checkLiveObjects is planLiveObjects with the table of removed APIs.
func checkLiveObjects(ctx context.Context, rc *rest.Config, table []eks.RemovedAPI, p *upgradePlan) {
	client, err := apply.New(rc)
	if err != nil {
		p.add("warning", "the live objects were not checked for removed APIs: %v", err)
		return
	}
	md, err := metadata.NewForConfig(rc)
	if err != nil {
		p.add("warning", "the live objects were not checked for removed APIs: %v", err)
		return
	}
	from := eks.KubernetesVersionOf(p.from)
	target := eks.KubernetesVersionOf(p.to)
	// The removed versions of each kind the upgrade removes.
	kinds := map[schema.GroupKind][]eks.RemovedAPI{}
	var order []schema.GroupKind
	for _, api := range table {
		if !api.RemovedIn(target) || api.RemovedIn(from) {
			continue
		}
		gv, err := schema.ParseGroupVersion(api.APIVersion)
		if err != nil {
			continue
		}
		gk := schema.GroupKind{Group: gv.Group, Kind: api.Kind}
		if kinds[gk] == nil {
			order = append(order, gk)
		}
		kinds[gk] = append(kinds[gk], api)
	}
	checkedKinds, checkedObjects := 0, 0
	for _, gk := range order {
		m, err := client.Mapper.RESTMapping(gk)
		if err != nil {
			if !meta.IsNoMatchError(err) {
				p.add("warning", "live %s objects were not checked: %v", gk.Kind, err)
			}
			continue // the cluster does not serve the kind
		}
		checkedKinds++
		opts := metav1.ListOptions{Limit: 500}
		for {
			list, err := md.Resource(m.Resource).List(ctx, opts)
			if err != nil {
				p.add("warning", "live %s objects were not checked: %v", gk.Kind, err)
				break
			}
			for i := range list.Items {
				checkedObjects++
				it := &list.Items[i]
				for _, api := range kinds[gk] {
					if writers := writersThrough(it, api.APIVersion); len(writers) > 0 {
						name := it.Name
						if it.Namespace != "" {
							name = it.Namespace + "/" + name
						}
						p.add("blocker", "live %s %s is written through %s by %s: %s is removed in %s: %s",
							gk.Kind, name, api.APIVersion, strings.Join(writers, ", "), api.APIVersion, api.Removed, api.Instead())
					}
				}
			}
			if list.Continue == "" {
				break
			}
			opts.Continue = list.Continue
		}
	}
	p.add("ok", "live objects checked for the API versions %s removes (%d objects of %d kinds served now)", p.to, checkedObjects, checkedKinds)
}

// writersThrough names who last wrote o through apiVersion: field managers
// (from managedFields) and kubectl apply (its last-applied annotation).
func writersThrough(o *metav1.PartialObjectMetadata, apiVersion string) []string {
	var out []string
	for _, e := range o.ManagedFields {
		if e.APIVersion != apiVersion {
			continue
		}
		w := fmt.Sprintf("field manager %q (%s", e.Manager, e.Operation)
		if e.Time != nil {
			w += ", " + e.Time.UTC().Format("2006-01-02")
		}
		out = append(out, w+")")
	}
	if la := o.Annotations[lastAppliedAnnotation]; la != "" {
		var applied struct {
			APIVersion string `json:"apiVersion"`
		}
		if json.Unmarshal([]byte(la), &applied) == nil && applied.APIVersion == apiVersion {
			out = append(out, "kubectl apply (its "+lastAppliedAnnotation+" annotation)")
		}
	}
	return out
}

// planAppManifests runs synthesis's removed-API check on the app's
// manifests at the target version.
func planAppManifests(s *assembly.Stack, p *upgradePlan) {
	target := eks.KubernetesVersionOf(p.to)
	res, _ := s.Template["Resources"].(map[string]any)
	paths := pathsOf(s)
	ids := make([]string, 0, len(res))
	for id := range res {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	found := 0
	for _, id := range ids {
		rm, _ := res[id].(map[string]any)
		if rm["Type"] != manifestType {
			continue
		}
		props, _ := rm["Properties"].(map[string]any)
		ds := &driftStack{refs: map[string]string{}}
		text, ok := ds.resolvePartly(props["Manifest"])
		if !ok {
			continue
		}
		var objects []map[string]any
		if json.Unmarshal([]byte(text), &objects) != nil {
			continue
		}
		where := strings.TrimSuffix(paths[id], "/Resource")
		if where == "" {
			where = id
		}
		for _, obj := range objects {
			av, _ := obj["apiVersion"].(string)
			kind, _ := obj["kind"].(string)
			api, ok := eks.LookupRemovedAPI(av, kind)
			if !ok {
				continue
			}
			if msg, removed := api.Problem(objectTitle(obj)+" in "+where, target); removed {
				p.add("blocker", "app: %s", msg)
				found++
			} else if msg != "" {
				p.add("warning", "app: %s", msg)
			}
		}
	}
	if found == 0 {
		p.add("ok", "the app's manifests use no API version %s removes", p.to)
	}
}

func (p *upgradePlan) write(w io.Writer) {
	from := p.from
	if from == "" {
		from = "?"
	}
	fmt.Fprintf(w, "Cluster %s (%s in stack %s): %s -> %s\n", p.cluster, p.logicalID, p.stack, from, p.to)
	fmt.Fprintln(w, "Checks")
	for _, c := range p.checks {
		fmt.Fprintf(w, "  %-8s %s\n", c.level, c.what)
	}
	if len(p.steps) > 0 {
		fmt.Fprintln(w, "Plan")
		for i, s := range p.steps {
			fmt.Fprintf(w, "  %d. %s\n", i+1, s)
		}
	}
	fmt.Fprintln(w)
}
