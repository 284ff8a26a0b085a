package deploy

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// ChangeSetName is the name of the change sets the CLI creates; a previous
// one of that name is deleted first, as the AWS CDK does with its own.
const ChangeSetName = "eksforge-deploy"

// DefaultPollInterval is how often stack status and events are read.
const DefaultPollInterval = 2 * time.Second

// Deployer deploys and deletes stacks through one CloudFormation client and
// reports progress to Out.
type Deployer struct {
	// CFN is the CloudFormation client.
	CFN CloudFormationAPI
	// Out receives stack events and the progress bar.
	Out io.Writer
	// Live redraws one progress line in place (a terminal) instead of
	// printing the count on each event line.
	// Default: false.
	Live bool
	// PollInterval is how often the stack is read while it changes.
	// Default: DefaultPollInterval.
	PollInterval time.Duration
	// Now returns the time, for the elapsed-time display.
	// Default: time.Now.
	Now func() time.Time
	// WaitNotice is how long a stack operation may go without a new event
	// before a line says it is still running, for how long, and which
	// resources are in progress (without Live).
	// Default: DefaultWaitNotice.
	WaitNotice time.Duration
}

// DefaultWaitNotice is the Deployer's default WaitNotice.
const DefaultWaitNotice = 30 * time.Second

func (d *Deployer) waitNotice() time.Duration {
	if d.WaitNotice > 0 {
		return d.WaitNotice
	}
	return DefaultWaitNotice
}

func (d *Deployer) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

func (d *Deployer) poll() time.Duration {
	if d.PollInterval > 0 {
		return d.PollInterval
	}
	return DefaultPollInterval
}

// Current returns the deployed stack named name, or nil when there is
// none (never created, or deleted).
func (d *Deployer) Current(ctx context.Context, name string) (*types.Stack, error) {
	out, err := d.CFN.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: &name})
	if err != nil {
		if isStackMissing(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("unable to describe stack %s: %w", name, err)
	}
	if len(out.Stacks) == 0 || out.Stacks[0].StackStatus == types.StackStatusDeleteComplete {
		return nil, nil
	}
	return &out.Stacks[0], nil
}

// DeployedTemplate returns the template of the deployed stack, or nil when
// there is none or it has no template yet (REVIEW_IN_PROGRESS). JSON and
// YAML templates are read.
func (d *Deployer) DeployedTemplate(ctx context.Context, name string) (map[string]any, error) {
	cur, err := d.Current(ctx, name)
	if err != nil || cur == nil || cur.StackStatus == types.StackStatusReviewInProgress {
		return nil, err
	}
	out, err := d.CFN.GetTemplate(ctx, &cloudformation.GetTemplateInput{StackName: cur.StackId, TemplateStage: types.TemplateStageOriginal})
	if err != nil {
		if isStackMissing(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("unable to get the template of stack %s: %w", name, err)
	}
	body := aws.ToString(out.TemplateBody)
	if strings.TrimSpace(body) == "" {
		return nil, nil
	}
	return ParseTemplate([]byte(body))
}

// ChangeSetInput describes the stack to deploy.
type ChangeSetInput struct {
	// StackName is the CloudFormation stack name.
	StackName string
	// TemplateBody is the template (at most 51,200 bytes), or "" when
	// TemplateURL is set.
	TemplateBody string
	// TemplateURL is the template's https URL in S3, for larger templates.
	TemplateURL string
	// Parameters are the parameter values to pass.
	Parameters []types.Parameter
	// Tags are the stack's tags.
	Tags map[string]string
}

// ChangeSet is a created change set.
type ChangeSet struct {
	// StackName and StackID name the stack.
	StackName, StackID string
	// ID is the change set's ARN.
	ID string
	// Type is CREATE or UPDATE.
	Type types.ChangeSetType
	// Changes are the resource changes CloudFormation computed.
	Changes []types.Change
	// Empty says the change set holds no change (it has been deleted).
	Empty bool
}

// CreateChangeSet creates a change set for the stack and waits until
// CloudFormation has computed it. A stack left in ROLLBACK_COMPLETE by a
// failed creation, or in REVIEW_IN_PROGRESS by a change set never
// executed, is deleted first; a stack in progress is an error. When
// nothing changes, the change set is deleted and Empty is set.
func (d *Deployer) CreateChangeSet(ctx context.Context, in ChangeSetInput) (*ChangeSet, error) {
	cur, err := d.Current(ctx, in.StackName)
	if err != nil {
		return nil, err
	}
	typ := types.ChangeSetTypeUpdate
	switch {
	case cur == nil:
		typ = types.ChangeSetTypeCreate
	case cur.StackStatus == types.StackStatusRollbackComplete, cur.StackStatus == types.StackStatusReviewInProgress:
		// A stack that only holds change sets never executed (--no-execute)
		// is replaced, as its change set would be: creating a second CREATE
		// change set next to them is not something every CloudFormation
		// (moto) handles.
		why := "a failed creation"
		if cur.StackStatus == types.StackStatusReviewInProgress {
			why = "a change set never executed"
		}
		fmt.Fprintf(d.Out, "%s: deleting the stack left in %s by %s\n", in.StackName, cur.StackStatus, why)
		if err := d.Destroy(ctx, in.StackName, nil); err != nil {
			return nil, err
		}
		cur = nil
		typ = types.ChangeSetTypeCreate
	case strings.HasSuffix(string(cur.StackStatus), "_IN_PROGRESS"):
		return nil, fmt.Errorf("stack %s is %s: wait until it finishes, then deploy again", in.StackName, cur.StackStatus)
	}
	if cur != nil {
		_, _ = d.CFN.DeleteChangeSet(ctx, &cloudformation.DeleteChangeSetInput{StackName: &in.StackName, ChangeSetName: aws.String(ChangeSetName)})
	}
	cin := &cloudformation.CreateChangeSetInput{
		StackName:     &in.StackName,
		ChangeSetName: aws.String(ChangeSetName),
		ChangeSetType: typ,
		Description:   aws.String("eksforge deploy"),
		Parameters:    in.Parameters,
		Capabilities:  []types.Capability{types.CapabilityCapabilityIam, types.CapabilityCapabilityNamedIam, types.CapabilityCapabilityAutoExpand},
	}
	if in.TemplateURL != "" {
		cin.TemplateURL = &in.TemplateURL
	} else {
		cin.TemplateBody = &in.TemplateBody
	}
	keys := make([]string, 0, len(in.Tags))
	for k := range in.Tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		cin.Tags = append(cin.Tags, types.Tag{Key: aws.String(k), Value: aws.String(in.Tags[k])})
	}
	out, err := d.CFN.CreateChangeSet(ctx, cin)
	if err != nil {
		return nil, fmt.Errorf("unable to create a change set for stack %s: %s", in.StackName, apiMessage(err))
	}
	cs := &ChangeSet{StackName: in.StackName, StackID: aws.ToString(out.StackId), ID: aws.ToString(out.Id), Type: typ}
	for {
		desc, err := d.CFN.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: &cs.ID, StackName: &cs.StackID})
		if err != nil {
			return nil, fmt.Errorf("unable to describe the change set of stack %s: %s", in.StackName, apiMessage(err))
		}
		switch desc.Status {
		case types.ChangeSetStatusCreateComplete:
			cs.Changes = append(cs.Changes, desc.Changes...)
			for next := desc.NextToken; next != nil; {
				page, err := d.CFN.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: &cs.ID, StackName: &cs.StackID, NextToken: next})
				if err != nil {
					return nil, fmt.Errorf("unable to describe the change set of stack %s: %s", in.StackName, apiMessage(err))
				}
				cs.Changes = append(cs.Changes, page.Changes...)
				next = page.NextToken
			}
			return cs, nil
		case types.ChangeSetStatusFailed:
			reason := aws.ToString(desc.StatusReason)
			if strings.Contains(reason, "didn't contain changes") || strings.Contains(reason, "No updates are to be performed") {
				cs.Empty = true
				d.Discard(ctx, cs)
				return cs, nil
			}
			d.Discard(ctx, cs)
			return nil, fmt.Errorf("CloudFormation refused the change set of stack %s: %s", in.StackName, reason)
		}
		if err := sleep(ctx, d.poll()); err != nil {
			return nil, err
		}
	}
}

// Discard deletes a change set that will not be executed, and the empty
// stack (REVIEW_IN_PROGRESS) that a CREATE change set made.
func (d *Deployer) Discard(ctx context.Context, cs *ChangeSet) {
	_, _ = d.CFN.DeleteChangeSet(ctx, &cloudformation.DeleteChangeSetInput{ChangeSetName: &cs.ID, StackName: &cs.StackID})
	if cs.Type == types.ChangeSetTypeCreate {
		if cur, err := d.Current(ctx, cs.StackID); err == nil && cur != nil && cur.StackStatus == types.StackStatusReviewInProgress {
			_, _ = d.CFN.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: &cs.StackID})
		}
	}
}

// StackError is a deployment or deletion that ended in failure.
type StackError struct {
	// StackName is the stack.
	StackName string
	// Status is the stack's final status, or "" when an API call failed.
	Status string
	// Reason is the stack's status reason, or the API error.
	Reason string
	// FirstFailure is the earliest resource event with a _FAILED status,
	// or nil.
	FirstFailure *types.StackEvent
	// NotDeployed lists the resources of the change set that are not in a
	// complete state afterwards ("Id (Type)"), when no event names the
	// failure (an API error, or a service that reports no resource events).
	NotDeployed []string
}

// Error says which stack failed, its status, and the first failing
// resource with its reason (or the API error).
func (e *StackError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "stack %s failed", e.StackName)
	if e.Status != "" {
		fmt.Fprintf(&b, " (%s)", e.Status)
	}
	if f := e.FirstFailure; f != nil {
		fmt.Fprintf(&b, ": the first failure is %s %s (%s): %s",
			aws.ToString(f.LogicalResourceId), f.ResourceStatus, aws.ToString(f.ResourceType), aws.ToString(f.ResourceStatusReason))
	} else if e.Reason != "" {
		fmt.Fprintf(&b, ": %s", e.Reason)
	}
	if e.FirstFailure == nil && len(e.NotDeployed) > 0 {
		fmt.Fprintf(&b, "\n  resources of the change set not deployed: %s", strings.Join(e.NotDeployed, ", "))
	}
	return b.String()
}

// Execute runs the change set and follows the stack's events until it
// settles; total is how many resources the change set touches (for the
// progress bar) and paths maps logical IDs to construct paths for the event
// lines. It returns the final stack, or a *StackError.
func (d *Deployer) Execute(ctx context.Context, cs *ChangeSet, total int, paths map[string]string) (*types.Stack, error) {
	mon := d.newMonitor(cs.StackName, cs.StackID, total, paths)
	if err := mon.mark(ctx); err != nil {
		return nil, err
	}
	if _, err := d.CFN.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: &cs.ID, StackName: &cs.StackID}); err != nil {
		_ = mon.step(ctx)
		mon.finish()
		se := &StackError{StackName: cs.StackName, Reason: "ExecuteChangeSet: " + apiMessage(err), FirstFailure: mon.firstFailure()}
		if se.FirstFailure == nil {
			se.NotDeployed = d.notDeployed(ctx, cs)
		}
		return nil, se
	}
	st, err := mon.wait(ctx)
	if err != nil {
		return nil, err
	}
	switch st.StackStatus {
	case types.StackStatusCreateComplete, types.StackStatusUpdateComplete, types.StackStatusImportComplete:
		return st, nil
	}
	se := &StackError{StackName: cs.StackName, Status: string(st.StackStatus), Reason: aws.ToString(st.StackStatusReason), FirstFailure: mon.firstFailure()}
	if se.FirstFailure == nil {
		se.NotDeployed = d.notDeployed(ctx, cs)
	}
	return st, se
}

// notDeployed lists the resources the change set adds or modifies that are
// not in a complete state.
func (d *Deployer) notDeployed(ctx context.Context, cs *ChangeSet) []string {
	status := map[string]string{}
	if out, err := d.CFN.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: &cs.StackID}); err == nil {
		for _, r := range out.StackResources {
			status[aws.ToString(r.LogicalResourceId)] = string(r.ResourceStatus)
		}
	}
	var out []string
	for _, ch := range cs.Changes {
		rc := ch.ResourceChange
		if rc == nil || rc.Action == types.ChangeActionRemove {
			continue
		}
		id := aws.ToString(rc.LogicalResourceId)
		if st := status[id]; !strings.HasSuffix(st, "_COMPLETE") {
			out = append(out, id+" ("+aws.ToString(rc.ResourceType)+")")
		}
	}
	return out
}

// Destroy deletes the stack and follows its events until it is gone.
// paths maps logical IDs to construct paths for the event lines.
func (d *Deployer) Destroy(ctx context.Context, name string, paths map[string]string) error {
	cur, err := d.Current(ctx, name)
	if err != nil || cur == nil {
		return err
	}
	total := 0
	if tmpl, err := d.DeployedTemplate(ctx, name); err == nil {
		res, _ := tmpl["Resources"].(map[string]any)
		total = len(res)
	}
	mon := d.newMonitor(name, aws.ToString(cur.StackId), total, paths)
	if err := mon.mark(ctx); err != nil {
		return err
	}
	if _, err := d.CFN.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: cur.StackId}); err != nil {
		return &StackError{StackName: name, Reason: "DeleteStack: " + apiMessage(err)}
	}
	st, err := mon.wait(ctx)
	if err != nil {
		return err
	}
	if st.StackStatus != types.StackStatusDeleteComplete {
		return &StackError{StackName: name, Status: string(st.StackStatus), Reason: aws.ToString(st.StackStatusReason), FirstFailure: mon.firstFailure()}
	}
	return nil
}

// SetTerminationProtection turns the stack's termination protection on or
// off when it differs from on.
func (d *Deployer) SetTerminationProtection(ctx context.Context, st *types.Stack, on bool) error {
	if aws.ToBool(st.EnableTerminationProtection) == on {
		return nil
	}
	if _, err := d.CFN.UpdateTerminationProtection(ctx, &cloudformation.UpdateTerminationProtectionInput{StackName: st.StackId, EnableTerminationProtection: &on}); err != nil {
		return fmt.Errorf("unable to set the termination protection of stack %s to %v: %s", aws.ToString(st.StackName), on, apiMessage(err))
	}
	st.EnableTerminationProtection = &on
	return nil
}

// ParseTemplate decodes a JSON or YAML CloudFormation template.
func ParseTemplate(body []byte) (map[string]any, error) {
	var m map[string]any
	if err := json.Unmarshal(body, &m); err == nil {
		return m, nil
	}
	m, err := parseYAMLTemplate(body)
	if err != nil {
		return nil, fmt.Errorf("unable to read the deployed template (neither JSON nor YAML): %w", err)
	}
	return m, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
