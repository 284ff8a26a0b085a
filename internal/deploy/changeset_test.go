package deploy

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/smithy-go"
)

// changeSetCFN answers the calls of CreateChangeSet: the stack's status,
// and a change set that is pending once, then in the final state.
type changeSetCFN struct {
	CloudFormationAPI
	status       types.StackStatus // "" when the stack does not exist
	final        types.ChangeSetStatus
	reason       string
	calls        []string
	describes    int
	changeSetTyp types.ChangeSetType
}

func (f *changeSetCFN) DescribeStacks(_ context.Context, in *cloudformation.DescribeStacksInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error) {
	if f.status == "" {
		return nil, &smithy.GenericAPIError{Code: "ValidationError", Message: "Stack with id " + aws.ToString(in.StackName) + " does not exist"}
	}
	return &cloudformation.DescribeStacksOutput{Stacks: []types.Stack{{StackName: aws.String("Demo"), StackId: aws.String(stackID), StackStatus: f.status}}}, nil
}

func (f *changeSetCFN) DescribeStackEvents(context.Context, *cloudformation.DescribeStackEventsInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeStackEventsOutput, error) {
	return &cloudformation.DescribeStackEventsOutput{}, nil
}

func (f *changeSetCFN) GetTemplate(context.Context, *cloudformation.GetTemplateInput, ...func(*cloudformation.Options)) (*cloudformation.GetTemplateOutput, error) {
	return &cloudformation.GetTemplateOutput{TemplateBody: aws.String(`{"Resources":{}}`)}, nil
}

func (f *changeSetCFN) DeleteStack(context.Context, *cloudformation.DeleteStackInput, ...func(*cloudformation.Options)) (*cloudformation.DeleteStackOutput, error) {
	f.calls = append(f.calls, "DeleteStack")
	f.status = ""
	return &cloudformation.DeleteStackOutput{}, nil
}

func (f *changeSetCFN) DeleteChangeSet(context.Context, *cloudformation.DeleteChangeSetInput, ...func(*cloudformation.Options)) (*cloudformation.DeleteChangeSetOutput, error) {
	f.calls = append(f.calls, "DeleteChangeSet")
	return &cloudformation.DeleteChangeSetOutput{}, nil
}

func (f *changeSetCFN) CreateChangeSet(_ context.Context, in *cloudformation.CreateChangeSetInput, _ ...func(*cloudformation.Options)) (*cloudformation.CreateChangeSetOutput, error) {
	f.calls = append(f.calls, "CreateChangeSet "+string(in.ChangeSetType))
	f.changeSetTyp = in.ChangeSetType
	if in.ChangeSetType == types.ChangeSetTypeCreate {
		f.status = types.StackStatusReviewInProgress
	}
	return &cloudformation.CreateChangeSetOutput{Id: aws.String("cs-arn"), StackId: aws.String(stackID)}, nil
}

func (f *changeSetCFN) DescribeChangeSet(_ context.Context, in *cloudformation.DescribeChangeSetInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeChangeSetOutput, error) {
	f.describes++
	if f.describes == 1 {
		return &cloudformation.DescribeChangeSetOutput{Status: types.ChangeSetStatusCreatePending}, nil
	}
	if in.NextToken == nil && f.final == types.ChangeSetStatusCreateComplete {
		return &cloudformation.DescribeChangeSetOutput{Status: f.final, NextToken: aws.String("page2"), Changes: []types.Change{change("Vpc")}}, nil
	}
	if in.NextToken != nil {
		return &cloudformation.DescribeChangeSetOutput{Status: f.final, Changes: []types.Change{change("Subnet")}}, nil
	}
	return &cloudformation.DescribeChangeSetOutput{Status: f.final, StatusReason: &f.reason}, nil
}

func change(id string) types.Change {
	return types.Change{ResourceChange: &types.ResourceChange{Action: types.ChangeActionAdd, LogicalResourceId: aws.String(id)}}
}

func TestCreateChangeSet(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		status    types.StackStatus
		final     types.ChangeSetStatus
		reason    string
		wantCalls []string
		wantEmpty bool
		wantErr   string
		changes   int
	}{
		{
			name: "a new stack gets a CREATE change set, all pages of changes", final: types.ChangeSetStatusCreateComplete,
			wantCalls: []string{"CreateChangeSet CREATE"}, changes: 2,
		},
		{
			name: "an existing stack gets an UPDATE change set, the previous one deleted", status: types.StackStatusUpdateComplete, final: types.ChangeSetStatusCreateComplete,
			wantCalls: []string{"DeleteChangeSet", "CreateChangeSet UPDATE"}, changes: 2,
		},
		{
			name: "a stack left in ROLLBACK_COMPLETE is deleted, then created", status: types.StackStatusRollbackComplete, final: types.ChangeSetStatusCreateComplete,
			wantCalls: []string{"DeleteStack", "CreateChangeSet CREATE"}, changes: 2,
		},
		{
			name: "an empty change set is deleted and reported empty", status: types.StackStatusCreateComplete, final: types.ChangeSetStatusFailed,
			reason:    "The submitted information didn't contain changes. Submit different information to create a change set.",
			wantCalls: []string{"DeleteChangeSet", "CreateChangeSet UPDATE", "DeleteChangeSet"}, wantEmpty: true,
		},
		{
			name: "fails with CloudFormation's reason", status: types.StackStatusCreateComplete, final: types.ChangeSetStatusFailed,
			reason:    "Template format error: Unresolved resource dependencies [Nope]",
			wantCalls: []string{"DeleteChangeSet", "CreateChangeSet UPDATE", "DeleteChangeSet"}, wantErr: "CloudFormation refused the change set of stack Demo: Template format error",
		},
		{
			name: "fails on a stack in progress", status: types.StackStatusUpdateInProgress,
			wantErr: "stack Demo is UPDATE_IN_PROGRESS: wait until it finishes",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := &changeSetCFN{status: tc.status, final: tc.final, reason: tc.reason}
			d := &Deployer{CFN: f, Out: &bytes.Buffer{}, PollInterval: 1}
			cs, err := d.CreateChangeSet(t.Context(), ChangeSetInput{StackName: "Demo", TemplateBody: "{}"})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tc.wantErr)
				}
			} else if err != nil {
				t.Fatal(err)
			} else {
				if cs.Empty != tc.wantEmpty || len(cs.Changes) != tc.changes {
					t.Errorf("change set empty=%v with %d changes, want empty=%v with %d", cs.Empty, len(cs.Changes), tc.wantEmpty, tc.changes)
				}
			}
			if strings.Join(f.calls, ", ") != strings.Join(tc.wantCalls, ", ") {
				t.Errorf("calls = %v, want %v", f.calls, tc.wantCalls)
			}
		})
	}
}
