package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/eksforge/eksforge/internal/assembly"
	"github.com/eksforge/eksforge/internal/cfndiff"
	"github.com/eksforge/eksforge/internal/deploy"
)

func (r *Runner) diff(ctx context.Context, args []string) error {
	var o options
	pos, err := o.parse("diff", args)
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
	var old map[string]any
	var sess *session
	if o.template != "" {
		if len(stacks) != 1 {
			return usagef("--template compares one stack; name it (the app has %s)", strings.Join(asm.Names(), ", "))
		}
		body, err := os.ReadFile(r.abs(o.template))
		if err != nil {
			return fmt.Errorf("unable to read --template: %w", err)
		}
		if old, err = deploy.ParseTemplate(body); err != nil {
			return fmt.Errorf("unable to read --template %s: %w", o.template, err)
		}
	} else if sess, err = r.connect(ctx, &o); err != nil {
		return err
	}
	differ := 0
	for _, s := range stacks {
		note := ""
		var env deploy.Env
		if sess != nil {
			if env, err = sess.env(s); err != nil {
				return err
			}
			dep := &deploy.Deployer{CFN: sess.in(env.Region).cfn, Out: r.Stderr}
			if old, err = dep.DeployedTemplate(ctx, s.StackName); err != nil {
				return err
			}
			if old == nil {
				note = " (not deployed)"
			}
		}
		d := cfndiff.CompareWith(old, s.Template, cfndiff.Options{
			OldAsset: r.deployedAssetReader(ctx, &o, &sess, s, env),
			NewAsset: assemblyAssetReader(s),
		})
		fmt.Fprintf(r.Stdout, "Stack %s%s\n", s.DisplayName, note)
		if err := d.Write(r.Stdout); err != nil {
			return err
		}
		fmt.Fprintln(r.Stdout)
		if !d.IsEmpty() {
			differ++
		}
	}
	fmt.Fprintf(r.Stdout, "Number of stacks with differences: %d\n", differ)
	if o.fail && differ > 0 {
		return &exitError{1}
	}
	return nil
}

// selectForChange picks the stacks of deploy or destroy: the stacks named
// (all with --all or when the app has one), extended with their upstream
// or downstream dependencies unless --exclusively.
func selectForChange(asm *assembly.Assembly, o *options, pos []string, verb string, extend assembly.Extend) ([]*assembly.Stack, error) {
	if o.all && len(pos) > 0 {
		return nil, usagef("pass stack names or --all, not both")
	}
	if len(pos) == 0 && !o.all && len(asm.Stacks) > 1 {
		return nil, usagef("the app has %d stacks (%s): name the stacks to %s (wildcards work) or pass --all", len(asm.Stacks), strings.Join(asm.Names(), ", "), verb)
	}
	if o.exclusively {
		extend = assembly.ExtendNone
	}
	return asm.Select(pos, extend)
}

func (r *Runner) deployer(c *clients) *deploy.Deployer {
	return &deploy.Deployer{CFN: c.cfn, Out: r.Stderr, Live: r.Interactive, PollInterval: r.PollInterval}
}

func (r *Runner) deploy(ctx context.Context, args []string) error {
	var o options
	pos, err := o.parse("deploy", args)
	if err != nil {
		return err
	}
	asm, err := r.load(ctx, &o)
	if err != nil {
		return err
	}
	stacks, err := selectForChange(asm, &o, pos, "deploy", assembly.ExtendUpstream)
	if err != nil {
		return err
	}
	params, err := parseParameters(o.parameters, asm)
	if err != nil {
		return err
	}
	sess, err := r.connect(ctx, &o)
	if err != nil {
		return err
	}
	outputs := map[string]map[string]string{}
	for _, s := range stacks {
		st, err := r.deployStack(ctx, sess, &o, s, params)
		if st != nil {
			outputs[s.DisplayName] = map[string]string{}
			for _, out := range st.Outputs {
				outputs[s.DisplayName][aws.ToString(out.OutputKey)] = aws.ToString(out.OutputValue)
			}
		}
		if err != nil {
			// The outputs of the stacks deployed so far are still written.
			if werr := r.writeOutputs(o.outputsFile, outputs); werr != nil {
				fmt.Fprintln(r.Stderr, werr)
			}
			return err
		}
	}
	return r.writeOutputs(o.outputsFile, outputs)
}

// writeOutputs writes {"Stack": {"Key": "Value"}} to file, unless file
// is "".
func (r *Runner) writeOutputs(file string, outputs map[string]map[string]string) error {
	if file == "" {
		return nil
	}
	body, err := json.MarshalIndent(outputs, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(r.abs(file), append(body, '\n'), 0o644); err != nil {
		return fmt.Errorf("unable to write --outputs-file: %w", err)
	}
	return nil
}

// stackParams are --parameters values: per stack display name ("" for
// every stack), then key.
type stackParams map[string]map[string]string

func parseParameters(flags []string, asm *assembly.Assembly) (stackParams, error) {
	out := stackParams{}
	for _, f := range flags {
		kv, val, ok := strings.Cut(f, "=")
		if !ok {
			return nil, usagef("--parameters %q: want KEY=VALUE or STACK:KEY=VALUE", f)
		}
		stack, key, scoped := strings.Cut(kv, ":")
		if !scoped {
			stack, key = "", kv
		} else if _, err := asm.Select([]string{stack}, assembly.ExtendNone); err != nil {
			return nil, fmt.Errorf("--parameters %q: %w", f, err)
		}
		if !scoped && !anyStackHas(asm, key) {
			return nil, fmt.Errorf("--parameters %q: no stack of the app has a parameter %q", f, key)
		}
		if out[stack] == nil {
			out[stack] = map[string]string{}
		}
		out[stack][key] = val
	}
	return out, nil
}

func anyStackHas(asm *assembly.Assembly, key string) bool {
	for _, s := range asm.Stacks {
		if tparams, _ := s.Template["Parameters"].(map[string]any); tparams[key] != nil {
			return true
		}
	}
	return false
}

// forStack returns the parameters to pass to stack s: the values given,
// and UsePreviousValue for parameters without a default that the deployed
// stack has.
func (p stackParams) forStack(s *assembly.Stack, deployed *types.Stack) ([]types.Parameter, map[string]string, error) {
	tparams, _ := s.Template["Parameters"].(map[string]any)
	given := map[string]string{}
	for k, v := range p[""] {
		if _, ok := tparams[k]; ok {
			given[k] = v
		}
	}
	for scope, kv := range p {
		if scope == "" || !(scope == s.DisplayName || scope == s.ID || scope == s.StackName) {
			continue
		}
		for k, v := range kv {
			if _, ok := tparams[k]; !ok {
				return nil, nil, fmt.Errorf("stack %s has no parameter %q (its parameters: %s)", s.DisplayName, k, strings.Join(sortedNames(tparams), ", "))
			}
			given[k] = v
		}
	}
	had := map[string]bool{}
	if deployed != nil {
		for _, dp := range deployed.Parameters {
			had[aws.ToString(dp.ParameterKey)] = true
		}
	}
	var out []types.Parameter
	for _, k := range sortedNames(tparams) {
		if v, ok := given[k]; ok {
			out = append(out, types.Parameter{ParameterKey: aws.String(k), ParameterValue: aws.String(v)})
			continue
		}
		def := tparams[k].(map[string]any)["Default"]
		if def == nil && had[k] {
			out = append(out, types.Parameter{ParameterKey: aws.String(k), UsePreviousValue: aws.Bool(true)})
		}
	}
	return out, given, nil
}

func sortedNames(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// maxTemplateBody is CloudFormation's limit on TemplateBody; larger
// templates are passed by their S3 URL.
const maxTemplateBody = 51200

// deployStack deploys one stack and returns it as deployed (nil when
// nothing was deployed).
func (r *Runner) deployStack(ctx context.Context, sess *session, o *options, s *assembly.Stack, params stackParams) (*types.Stack, error) {
	start := time.Now()
	env, err := sess.env(s)
	if err != nil {
		return nil, err
	}
	c := sess.in(env.Region)
	fmt.Fprintf(r.Stderr, "%s: deploying to %s\n", s.DisplayName, env)

	dep := r.deployer(c)
	cur, err := dep.Current(ctx, s.StackName)
	if err != nil {
		return nil, err
	}
	plist, given, err := params.forStack(s, cur)
	if err != nil {
		return nil, err
	}
	if name := deploy.BootstrapParameter(s.Template); name != "" {
		if v, ok := given["BootstrapVersion"]; ok {
			name = v // the value of an SSM parameter type is the parameter's name
		}
		if _, err := deploy.CheckBootstrap(ctx, c.ssm, env, name, s.RequiresBootstrapVersion); err != nil {
			return nil, err
		}
	}

	pub, err := deploy.PublishAssets(ctx, c.s3, env, s.Assets, r.Dir, r.Stderr)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(r.Stderr, "%s: assets: %d uploaded, %d already published\n", s.DisplayName, len(pub.Uploaded), len(pub.Skipped))

	var old map[string]any
	if cur != nil && cur.StackStatus != types.StackStatusReviewInProgress && cur.StackStatus != types.StackStatusRollbackComplete {
		if old, err = dep.DeployedTemplate(ctx, s.StackName); err != nil {
			return nil, err
		}
	}
	d := cfndiff.Compare(old, s.Template)
	if old != nil && d.IsEmpty() && !o.force && sameParameters(cur, plist) && sameTags(cur, s.Tags) && !strings.HasSuffix(string(cur.StackStatus), "_FAILED") {
		fmt.Fprintf(r.Stderr, "%s: no changes\n", s.DisplayName)
		if err := dep.SetTerminationProtection(ctx, cur, s.TerminationProtection); err != nil {
			return nil, err
		}
		r.printOutputs(s, cur)
		return cur, nil
	}
	fmt.Fprintf(r.Stdout, "Stack %s\n", s.DisplayName)
	if err := d.Write(r.Stdout); err != nil {
		return nil, err
	}

	in := deploy.ChangeSetInput{StackName: s.StackName, Parameters: plist, Tags: s.Tags}
	if len(s.TemplateBody) <= maxTemplateBody || s.TemplateAssetURL == "" {
		in.TemplateBody = string(s.TemplateBody)
	} else {
		in.TemplateURL = templateURL(env, env.Substitute(s.TemplateAssetURL))
	}
	cs, err := dep.CreateChangeSet(ctx, in)
	if err != nil {
		return nil, err
	}
	if cs.Empty {
		fmt.Fprintf(r.Stderr, "%s: no changes\n", s.DisplayName)
		cur, err := dep.Current(ctx, s.StackName)
		if err != nil || cur == nil {
			return nil, err
		}
		if err := dep.SetTerminationProtection(ctx, cur, s.TerminationProtection); err != nil {
			return nil, err
		}
		r.printOutputs(s, cur)
		return cur, nil
	}
	fmt.Fprintf(r.Stdout, "Change set %s (%s), %d change(s):\n", deploy.ChangeSetName, cs.Type, len(cs.Changes))
	for _, ch := range cs.Changes {
		rc := ch.ResourceChange
		if rc == nil {
			continue
		}
		line := fmt.Sprintf("  %-6s %s %s", rc.Action, aws.ToString(rc.ResourceType), aws.ToString(rc.LogicalResourceId))
		if rc.Replacement != "" && rc.Replacement != types.ReplacementFalse {
			line += " (replacement: " + string(rc.Replacement) + ")"
		}
		fmt.Fprintln(r.Stdout, line)
	}

	if err := r.gateReplacements(s.DisplayName, o.allowReplace, guardedChanges(d, old, cs.Changes, pathsOf(s))); err != nil {
		dep.Discard(ctx, cs)
		return nil, err
	}
	if why := approvalNeeded(o.approval, d, cs.Changes); why != "" {
		if !r.Interactive {
			dep.Discard(ctx, cs)
			return nil, fmt.Errorf("%s: this deployment needs approval (--require-approval %s): %s.\n  Nothing was changed. Run it from a terminal to approve, or pass --require-approval never", s.DisplayName, o.approval, why)
		}
		if !r.confirm(fmt.Sprintf("%s: %s. Do you wish to deploy these changes?", s.DisplayName, why)) {
			dep.Discard(ctx, cs)
			fmt.Fprintf(r.Stderr, "%s: deployment cancelled; nothing was changed\n", s.DisplayName)
			return nil, &exitError{1}
		}
	}

	total := len(cs.Changes)
	if cs.Type == types.ChangeSetTypeCreate {
		res, _ := s.Template["Resources"].(map[string]any)
		total = len(res)
	}
	st, err := dep.Execute(ctx, cs, total, pathsOf(s))
	if err != nil {
		return nil, err
	}
	if err := dep.SetTerminationProtection(ctx, st, s.TerminationProtection); err != nil {
		return nil, err
	}
	fmt.Fprintf(r.Stderr, "%s: deployed in %s\n", s.DisplayName, time.Since(start).Round(time.Second))
	r.printOutputs(s, st)
	return st, nil
}

// templateURL turns an s3:// URL into the https URL CloudFormation reads,
// path style (https://s3.REGION.amazonaws.com/BUCKET/KEY). It is the form
// CloudFormation accepts for any bucket name, and the one moto and
// LocalStack resolve to their own S3 when --endpoint-url is set.
func templateURL(env deploy.Env, s3url string) string {
	suffix := "amazonaws.com"
	if strings.HasPrefix(env.Region, "cn-") {
		suffix = "amazonaws.com.cn"
	}
	return "https://s3." + env.Region + "." + suffix + "/" + strings.TrimPrefix(s3url, "s3://")
}

func sameParameters(cur *types.Stack, plist []types.Parameter) bool {
	had := map[string]string{}
	for _, p := range cur.Parameters {
		had[aws.ToString(p.ParameterKey)] = aws.ToString(p.ParameterValue)
	}
	for _, p := range plist {
		if aws.ToBool(p.UsePreviousValue) {
			continue
		}
		if v, ok := had[aws.ToString(p.ParameterKey)]; !ok || v != aws.ToString(p.ParameterValue) {
			return false
		}
	}
	return true
}

func sameTags(cur *types.Stack, tags map[string]string) bool {
	if len(cur.Tags) != len(tags) {
		return false
	}
	for _, t := range cur.Tags {
		if v, ok := tags[aws.ToString(t.Key)]; !ok || v != aws.ToString(t.Value) {
			return false
		}
	}
	return true
}

// approvalNeeded says why the deployment needs approval at the level, or
// "". Replacements are those of the template diff and those CloudFormation
// announces in the change set (Replacement True or Conditional).
func approvalNeeded(level string, d *cfndiff.TemplateDiff, changes []types.Change) string {
	var why []string
	replaced := map[string]bool{}
	for _, r := range d.Replacements() {
		replaced[r.LogicalID] = true
	}
	for _, ch := range changes {
		if rc := ch.ResourceChange; rc != nil && rc.Replacement != "" && rc.Replacement != types.ReplacementFalse {
			replaced[aws.ToString(rc.LogicalResourceId)] = true
		}
	}
	if n := len(replaced); n > 0 && level != "never" {
		why = append(why, fmt.Sprintf("%d resource(s) will or may be replaced", n))
	}
	switch level {
	case "broadening":
		if d.Broadening() {
			why = append(why, "IAM or security group permissions are broadened")
		}
	case "any-change":
		if d.SecurityChanges() {
			why = append(why, "IAM or security group permissions change")
		}
	}
	return strings.Join(why, " and ")
}

// pathsOf maps the stack's logical IDs to construct paths.
func pathsOf(s *assembly.Stack) map[string]string {
	out := map[string]string{}
	for p, id := range s.LogicalIDs {
		out[id] = p
	}
	return out
}

// printOutputs prints the stack's outputs and ARN.
func (r *Runner) printOutputs(s *assembly.Stack, st *types.Stack) {
	if st == nil {
		return
	}
	if len(st.Outputs) > 0 {
		outs := append([]types.Output(nil), st.Outputs...)
		sort.Slice(outs, func(i, j int) bool { return aws.ToString(outs[i].OutputKey) < aws.ToString(outs[j].OutputKey) })
		fmt.Fprintln(r.Stdout, "Outputs:")
		for _, out := range outs {
			fmt.Fprintf(r.Stdout, "%s.%s = %s\n", s.DisplayName, aws.ToString(out.OutputKey), aws.ToString(out.OutputValue))
		}
	}
	fmt.Fprintf(r.Stdout, "Stack ARN:\n%s\n", aws.ToString(st.StackId))
}

func (r *Runner) destroy(ctx context.Context, args []string) error {
	var o options
	pos, err := o.parse("destroy", args)
	if err != nil {
		return err
	}
	asm, err := r.load(ctx, &o)
	if err != nil {
		return err
	}
	stacks, err := selectForChange(asm, &o, pos, "destroy", assembly.ExtendDownstream)
	if err != nil {
		return err
	}
	// Dependents first.
	for i, j := 0, len(stacks)-1; i < j; i, j = i+1, j-1 {
		stacks[i], stacks[j] = stacks[j], stacks[i]
	}
	var names []string
	for _, s := range stacks {
		names = append(names, s.DisplayName)
	}
	if !o.force {
		if !r.Interactive {
			return fmt.Errorf("refusing to delete %s without confirmation: run from a terminal, or pass --force", strings.Join(names, ", "))
		}
		if !r.confirm("Are you sure you want to delete: " + strings.Join(names, ", ") + "?") {
			fmt.Fprintln(r.Stderr, "Nothing was deleted.")
			return &exitError{1}
		}
	}
	sess, err := r.connect(ctx, &o)
	if err != nil {
		return err
	}
	for _, s := range stacks {
		env, err := sess.env(s)
		if err != nil {
			return err
		}
		dep := r.deployer(sess.in(env.Region))
		cur, err := dep.Current(ctx, s.StackName)
		if err != nil {
			return err
		}
		if cur == nil {
			fmt.Fprintf(r.Stderr, "%s: not deployed in %s\n", s.DisplayName, env)
			continue
		}
		fmt.Fprintf(r.Stderr, "%s: destroying in %s\n", s.DisplayName, env)
		if err := dep.Destroy(ctx, s.StackName, pathsOf(s)); err != nil {
			return err
		}
		fmt.Fprintf(r.Stderr, "%s: destroyed\n", s.DisplayName)
	}
	return nil
}

// assemblyAssetReader reads a manifest's S3 asset of the new template from
// the cloud assembly: the file asset published to that key.
func assemblyAssetReader(s *assembly.Stack) cfndiff.AssetReader {
	return func(a any) (string, error) {
		m, _ := a.(map[string]any)
		key, ok := m["Key"].(string)
		if !ok || s.Assets == nil {
			return "", fmt.Errorf("the asset is not in the cloud assembly")
		}
		for _, f := range s.Assets.Files {
			for _, d := range f.Destinations {
				if d.ObjectKey != key || f.Path == "" {
					continue
				}
				b, err := os.ReadFile(f.Path)
				if err != nil {
					return "", err
				}
				return string(b), nil
			}
		}
		return "", fmt.Errorf("no file asset of the cloud assembly has key %s", key)
	}
}

// deployedAssetReader reads a manifest's S3 asset of the deployed
// template from its bucket, with the caller's credentials (connecting on
// first use when diff compares with --template).
func (r *Runner) deployedAssetReader(ctx context.Context, o *options, sess **session, s *assembly.Stack, env deploy.Env) cfndiff.AssetReader {
	var connectErr error
	return func(a any) (string, error) {
		if *sess == nil && connectErr == nil {
			*sess, connectErr = r.connect(ctx, o)
		}
		if connectErr != nil {
			return "", fmt.Errorf("the deployed bucket is read with AWS credentials: %w", connectErr)
		}
		if env.Region == "" {
			var err error
			if env, err = (*sess).env(s); err != nil {
				return "", err
			}
		}
		ds := &driftStack{s: s, refs: pseudoRefs(env, s.StackName), clients: (*sess).in(env.Region)}
		body, err := ds.readAsset(ctx, a)
		if err != nil {
			return "", errors.New(shortAPIError(err))
		}
		return body, nil
	}
}
