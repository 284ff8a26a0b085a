package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/eksforge/eksforge/handlers/kubectl/auth"
	"github.com/eksforge/eksforge/handlers/kubectl/ownermark"
	"github.com/eksforge/eksforge/internal/assembly"
	"github.com/eksforge/eksforge/internal/deploy"
)

const driftHelp = `Drift compares each deployed stack of the app with what is live, and
prints what differs:

  - Kubernetes objects of the stack's manifests: each object is applied
    again as a server-side apply dry run with the field manager and owner
    mark the kubectl handler applied it with (eksforge-<hash of the
    resource's owner mark>, annotation eksforge.io/owner; eksforge for
    objects applied before each resource had its own), without force, so
    only fields the stack applied count:
    a field another manager took over (kubectl edit, a controller) is a
    conflict; a field changed back and forth shows as a YAML diff
    (- live, + as deployed); an object deleted by hand is missing;
  - Helm releases: the latest revision must be deployed, with the values
    (and the pinned chart version) the stack gave;
  - AWS resources: CloudFormation drift detection (DetectStackDrift).

Manifests are read from the deployed template (GetTemplate) and from their
S3 asset; late-bound values are resolved from the stack's resources
(DescribeStackResources) and pseudo parameters; an object holding an
attribute (Fn::GetAtt) is reported as not compared.

The cluster is reached with the caller's AWS credentials (an EKS token and
eks:DescribeCluster), or with --kubeconfig (its current context) for every
cluster. --template FILE reads the stack's template from a file instead of
CloudFormation (one stack; no CloudFormation drift detection).

Exit status: 0, also when there is drift; 1 with --fail when there is
drift (or on an error); 2 on a usage error.

Examples:

	eksforge drift
	eksforge drift MyStack --fail
	eksforge drift MyStack --kubeconfig ~/.kube/config
`

// driftStack is what drift knows of one stack.
type driftStack struct {
	s        *assembly.Stack
	tmpl     map[string]any
	refs     map[string]string // Ref values: physical IDs and pseudo parameters
	stackID  string            // the deployed stack's ID ("" with --template)
	clients  *clients
	notes    []string
	findings []driftFinding
}

func (r *Runner) drift(ctx context.Context, args []string) error {
	var o options
	pos, err := o.parse("drift", args)
	if err != nil {
		return err
	}
	asm, err := r.load(ctx, &o)
	if err != nil {
		return err
	}
	stacks, err := asm.Select(pos, assembly.ExtendNone)
	if err != nil {
		return err
	}
	if o.template != "" && len(stacks) != 1 {
		return usagef("--template reads one stack; name it (the app has %s)", strings.Join(asm.Names(), ", "))
	}
	var sess *session
	if o.template == "" || o.kubeconfig == "" {
		if sess, err = r.connect(ctx, &o); err != nil {
			return err
		}
	}
	drifted := 0
	for _, s := range stacks {
		ds := &driftStack{s: s, refs: map[string]string{}}
		if err := r.loadDriftStack(ctx, sess, &o, ds); err != nil {
			return err
		}
		if ds.tmpl != nil {
			if err := r.driftKubernetes(ctx, sess, &o, ds); err != nil {
				return err
			}
			if o.template == "" {
				r.driftCloudFormation(ctx, ds)
			}
		}
		if ds.write(r.Stdout) {
			drifted++
		}
	}
	fmt.Fprintf(r.Stdout, "Number of stacks with drift: %d\n", drifted)
	if o.fail && drifted > 0 {
		return &exitError{1}
	}
	return nil
}

// loadDriftStack reads the stack's deployed template and its resources'
// physical IDs.
func (r *Runner) loadDriftStack(ctx context.Context, sess *session, o *options, ds *driftStack) error {
	if sess != nil {
		env, err := sess.env(ds.s)
		if err != nil {
			return err
		}
		ds.clients = sess.in(env.Region)
		ds.refs = pseudoRefs(env, ds.s.StackName)
	}
	if o.template != "" {
		body, err := os.ReadFile(r.abs(o.template))
		if err != nil {
			return fmt.Errorf("unable to read --template: %w", err)
		}
		if ds.tmpl, err = deploy.ParseTemplate(body); err != nil {
			return fmt.Errorf("unable to read --template %s: %w", o.template, err)
		}
		return nil
	}
	dep := &deploy.Deployer{CFN: ds.clients.cfn, Out: r.Stderr}
	tmpl, err := dep.DeployedTemplate(ctx, ds.s.StackName)
	if err != nil {
		return err
	}
	if tmpl == nil {
		ds.notes = append(ds.notes, "not deployed")
		return nil
	}
	ds.tmpl = tmpl
	out, err := ds.clients.cfn.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: aws.String(ds.s.StackName)})
	if err != nil {
		return fmt.Errorf("unable to list the resources of stack %s: %w", ds.s.StackName, err)
	}
	for _, res := range out.StackResources {
		if ds.stackID == "" {
			ds.stackID = aws.ToString(res.StackId)
		}
		if id := aws.ToString(res.PhysicalResourceId); id != "" {
			ds.refs[aws.ToString(res.LogicalResourceId)] = id
		}
	}
	return nil
}

// pseudoRefs are the values of the pseudo parameters a stack is deployed
// with.
func pseudoRefs(env deploy.Env, stackName string) map[string]string {
	refs := map[string]string{"AWS::Partition": env.Partition, "AWS::Region": env.Region, "AWS::AccountId": env.Account,
		"AWS::URLSuffix": "amazonaws.com", "AWS::StackName": stackName}
	if strings.HasPrefix(env.Region, "cn-") {
		refs["AWS::URLSuffix"] = "amazonaws.com.cn"
	}
	return refs
}

// kubeResource is one Kubernetes custom resource of the template.
type kubeResource struct {
	logicalID, typ, source string
	props                  map[string]any
}

func (ds *driftStack) kubeResources() map[string][]kubeResource {
	byCluster := map[string][]kubeResource{}
	res, _ := ds.tmpl["Resources"].(map[string]any)
	ids := make([]string, 0, len(res))
	for id := range res {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	paths := pathsOf(ds.s)
	for _, id := range ids {
		r, _ := res[id].(map[string]any)
		typ, _ := r["Type"].(string)
		if typ != manifestType && typ != helmType {
			continue
		}
		props, _ := r["Properties"].(map[string]any)
		cluster, ok := ds.resolve(props["ClusterName"])
		if !ok {
			ds.notes = append(ds.notes, fmt.Sprintf("%s: the cluster name is not known (%v), not compared", id, props["ClusterName"]))
			continue
		}
		source := paths[id]
		if source == "" {
			source = id
		}
		source = strings.TrimSuffix(source, "/Resource")
		byCluster[cluster] = append(byCluster[cluster], kubeResource{logicalID: id, typ: typ, source: source, props: props})
	}
	return byCluster
}

func (r *Runner) driftKubernetes(ctx context.Context, sess *session, o *options, ds *driftStack) error {
	byCluster := ds.kubeResources()
	names := make([]string, 0, len(byCluster))
	for n := range byCluster {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, cluster := range names {
		var rc *rest.Config
		var err error
		if o.kubeconfig != "" {
			rc, err = clientcmd.BuildConfigFromFlags("", r.abs(o.kubeconfig))
			if err != nil {
				return fmt.Errorf("unable to read --kubeconfig: %w", err)
			}
			auth.Tune(rc)
		} else {
			cfg := sess.cfg.Copy()
			cfg.Region = ds.refs["AWS::Region"]
			rc, err = auth.RestConfig(ctx, cfg, auth.Cluster{Name: cluster})
			if err != nil {
				ds.notes = append(ds.notes, fmt.Sprintf("cluster %s: not compared: %v", cluster, err))
				continue
			}
		}
		k, err := newKubeChecker(rc)
		if err != nil {
			return err
		}
		for _, kr := range byCluster[cluster] {
			switch kr.typ {
			case manifestType:
				ds.driftManifest(ctx, k, kr)
			case helmType:
				ds.driftRelease(ctx, k, kr)
			}
		}
	}
	return nil
}

func (ds *driftStack) driftManifest(ctx context.Context, k *kubeChecker, kr kubeResource) {
	notCompared := func(why string) {
		ds.findings = append(ds.findings, driftFinding{marker: "[?]", subject: "manifest", source: kr.source, summary: "not compared: " + why})
	}
	var text string
	switch {
	case kr.props["Manifest"] != nil:
		s, ok := ds.resolve(kr.props["Manifest"])
		if !ok {
			// Compare the objects that hold no attribute.
			s, ok = ds.resolvePartly(kr.props["Manifest"])
			if !ok {
				notCompared("the manifest holds values CloudFormation computes")
				return
			}
		}
		text = s
	case kr.props["ManifestAsset"] != nil:
		body, err := ds.readAsset(ctx, kr.props["ManifestAsset"])
		if err != nil {
			notCompared(err.Error())
			return
		}
		text = body
	default:
		return
	}
	var objects []map[string]any
	if err := json.Unmarshal([]byte(text), &objects); err != nil {
		notCompared(fmt.Sprintf("the manifest is not a JSON list of objects: %v", err))
		return
	}
	prune, _ := kr.props["PruneLabel"].(string)
	own := ds.ownerOf(kr)
	for _, obj := range objects {
		if hasPlaceholder(obj) {
			ds.findings = append(ds.findings, driftFinding{marker: "[?]", subject: objectTitle(obj), source: kr.source, summary: "not compared: it holds a value CloudFormation computes (Fn::GetAtt)"})
			continue
		}
		if f := k.checkObject(ctx, obj, prune, own, kr.source); f != nil {
			ds.findings = append(ds.findings, *f)
		}
	}
}

func (ds *driftStack) driftRelease(ctx context.Context, k *kubeChecker, kr kubeResource) {
	release, _ := ds.resolve(kr.props["Release"])
	ns, _ := ds.resolve(kr.props["Namespace"])
	if ns == "" {
		ns = "default"
	}
	version, _ := ds.resolve(kr.props["Version"])
	var values map[string]any
	if v := kr.props["Values"]; v != nil {
		s, ok := ds.resolve(v)
		if !ok {
			ds.findings = append(ds.findings, driftFinding{marker: "[?]", subject: "Helm release " + ns + "/" + release, source: kr.source, summary: "not compared: its values hold a value CloudFormation computes"})
			return
		}
		if err := json.Unmarshal([]byte(s), &values); err != nil {
			ds.findings = append(ds.findings, driftFinding{marker: "[?]", subject: "Helm release " + ns + "/" + release, source: kr.source, summary: "not compared: Values is not a JSON object"})
			return
		}
	}
	if f := k.checkRelease(ctx, release, ns, version, values, kr.source); f != nil {
		ds.findings = append(ds.findings, *f)
	}
}

// ownerOf is the owner of the objects kr applies, as the kubectl handler
// names it: the resource's Owner property (its construct address), else
// its logical ID, in the deployed stack (mark is "" when the stack ID is
// not known: with --template).
func (ds *driftStack) ownerOf(kr kubeResource) objectOwner {
	name, _ := ds.resolve(kr.props["Owner"])
	if name == "" {
		name = kr.logicalID
	}
	o := objectOwner{name: name}
	if ds.stackID != "" {
		o.mark = ownermark.Mark(ds.stackID, name)
	}
	return o
}

// readAsset reads a manifest's S3 asset ({"Bucket": ..., "Key": ...}).
func (ds *driftStack) readAsset(ctx context.Context, v any) (string, error) {
	m, _ := v.(map[string]any)
	bucket, ok1 := ds.resolve(m["Bucket"])
	key, ok2 := ds.resolve(m["Key"])
	if !ok1 || !ok2 || ds.clients == nil {
		return "", fmt.Errorf("the manifest's S3 asset cannot be located without the deployed stack")
	}
	out, err := ds.clients.s3.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: &key})
	if err != nil {
		return "", fmt.Errorf("unable to read the manifest asset s3://%s/%s: %w", bucket, key, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	return string(b), err
}

// subRefPattern matches the ${Name} of an Fn::Sub string.
var subRefPattern = regexp.MustCompile(`\$\{[A-Za-z0-9:]+\}`)

// placeholder marks an attribute resolvePartly could not know.
const placeholder = "\x00eksforge-unresolved\x00"

// resolve turns a template value into the string it is at deploy time:
// strings, Ref (physical IDs, pseudo parameters), Fn::Join and Fn::Sub of
// those. It fails on anything else (Fn::GetAtt).
func (ds *driftStack) resolve(v any) (string, bool) {
	s, ok := ds.resolveWith(v, false)
	return s, ok
}

// resolvePartly is resolve with Fn::GetAtt written as a placeholder.
func (ds *driftStack) resolvePartly(v any) (string, bool) {
	return ds.resolveWith(v, true)
}

func (ds *driftStack) resolveWith(v any, partly bool) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", true
	case string:
		return x, true
	case bool, float64:
		return fmt.Sprint(x), true
	case map[string]any:
		if len(x) != 1 {
			return "", false
		}
		if ref, ok := x["Ref"].(string); ok {
			val, ok := ds.refs[ref]
			return val, ok
		}
		if _, ok := x["Fn::GetAtt"]; ok && partly {
			return placeholder, true
		}
		if j, ok := x["Fn::Join"].([]any); ok && len(j) == 2 {
			sep, _ := j[0].(string)
			parts, _ := j[1].([]any)
			out := make([]string, len(parts))
			for i, p := range parts {
				s, ok := ds.resolveWith(p, partly)
				if !ok {
					return "", false
				}
				out[i] = s
			}
			return strings.Join(out, sep), true
		}
		if sub, ok := x["Fn::Sub"].(string); ok {
			missing := false
			out := subRefPattern.ReplaceAllStringFunc(sub, func(m string) string {
				name := m[2 : len(m)-1]
				if val, ok := ds.refs[name]; ok {
					return val
				}
				missing = true
				return m
			})
			return out, !missing
		}
	}
	return "", false
}

func hasPlaceholder(v any) bool {
	b, _ := json.Marshal(v)
	return strings.Contains(string(b), `\u0000eksforge-unresolved\u0000`)
}

func objectTitle(obj map[string]any) string {
	av, _ := obj["apiVersion"].(string)
	kind, _ := obj["kind"].(string)
	md, _ := obj["metadata"].(map[string]any)
	name, _ := md["name"].(string)
	if ns, _ := md["namespace"].(string); ns != "" {
		name = ns + "/" + name
	}
	return strings.TrimSpace(av + " " + kind + " " + name)
}

// driftCloudFormation runs CloudFormation drift detection on the stack.
func (r *Runner) driftCloudFormation(ctx context.Context, ds *driftStack) {
	cfn := ds.clients.cfn
	start, err := cfn.DetectStackDrift(ctx, &cloudformation.DetectStackDriftInput{StackName: aws.String(ds.s.StackName)})
	if err != nil {
		ds.notes = append(ds.notes, "CloudFormation drift detection is not available: "+shortAPIError(err))
		return
	}
	for {
		st, err := cfn.DescribeStackDriftDetectionStatus(ctx, &cloudformation.DescribeStackDriftDetectionStatusInput{StackDriftDetectionId: start.StackDriftDetectionId})
		if err != nil {
			ds.notes = append(ds.notes, "CloudFormation drift detection failed: "+shortAPIError(err))
			return
		}
		if st.DetectionStatus != cfntypes.StackDriftDetectionStatusDetectionInProgress {
			if st.DetectionStatus == cfntypes.StackDriftDetectionStatusDetectionFailed {
				ds.notes = append(ds.notes, "CloudFormation drift detection did not check every resource: "+aws.ToString(st.DetectionStatusReason))
			}
			break
		}
		select {
		case <-ctx.Done():
			ds.notes = append(ds.notes, "CloudFormation drift detection interrupted")
			return
		case <-time.After(r.pollInterval()):
		}
	}
	paths := pathsOf(ds.s)
	in := &cloudformation.DescribeStackResourceDriftsInput{StackName: aws.String(ds.s.StackName),
		StackResourceDriftStatusFilters: []cfntypes.StackResourceDriftStatus{cfntypes.StackResourceDriftStatusModified, cfntypes.StackResourceDriftStatusDeleted}}
	for p := cloudformation.NewDescribeStackResourceDriftsPaginator(cfn, in); p.HasMorePages(); {
		page, err := p.NextPage(ctx)
		if err != nil {
			ds.notes = append(ds.notes, "unable to read CloudFormation drift: "+shortAPIError(err))
			return
		}
		for _, d := range page.StackResourceDrifts {
			id := aws.ToString(d.LogicalResourceId)
			source := strings.TrimSuffix(paths[id], "/Resource")
			if source == "" {
				source = id
			}
			f := driftFinding{marker: "[~]", subject: aws.ToString(d.ResourceType) + " " + id, source: source}
			if d.StackResourceDriftStatus == cfntypes.StackResourceDriftStatusDeleted {
				f.marker, f.summary = "[-]", "deleted outside CloudFormation"
			} else {
				f.summary = "modified outside CloudFormation"
				for _, pd := range d.PropertyDifferences {
					f.detail = append(f.detail, fmt.Sprintf("%s %s: %s -> %s", strings.ToLower(string(pd.DifferenceType)), aws.ToString(pd.PropertyPath), aws.ToString(pd.ExpectedValue), aws.ToString(pd.ActualValue)))
				}
			}
			ds.findings = append(ds.findings, f)
		}
	}
}

func shortAPIError(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode() + ": " + ae.ErrorMessage()
	}
	return err.Error()
}

func (r *Runner) pollInterval() time.Duration {
	if r.PollInterval > 0 {
		return r.PollInterval
	}
	return deploy.DefaultPollInterval
}

// write prints the stack's drift and says whether there is any.
func (ds *driftStack) write(w io.Writer) bool {
	fmt.Fprintf(w, "Stack %s\n", ds.s.DisplayName)
	sortFindings(ds.findings)
	drifted := false
	for _, f := range ds.findings {
		drifted = drifted || f.drifted()
		fmt.Fprintf(w, "  %s %s (%s): %s\n", f.marker, f.subject, f.source, f.summary)
		for _, l := range f.detail {
			fmt.Fprintf(w, "        %s\n", l)
		}
	}
	for _, n := range ds.notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
	if !drifted {
		fmt.Fprintln(w, "  No drift")
	}
	fmt.Fprintln(w)
	return drifted
}
