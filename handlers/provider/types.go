package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
)

// Event is what a user's onEvent handler receives: the CloudFormation
// request, unchanged (ResponseURL included, for compatibility with AWS CDK
// handlers; user handlers must not answer it themselves).
type Event = cfnresponse.Event

// Handler is the user's onEvent contract, implemented directly by our own Go
// handlers. OnEvent starts (or, without an isComplete step, performs) the
// requested operation.
//
// Returning an error fails the operation with the error's text as the
// CloudFormation Reason. An error returned together with a PhysicalResourceId
// on Create makes CloudFormation send that ID with the rollback Delete, so
// the handler can clean up what it half created; without one the failed
// Create gets a marker ID and its Delete is answered without calling the
// handler (see the package documentation).
type Handler interface {
	OnEvent(ctx context.Context, e Event) (OnEventResult, error)
}

// IsCompleteHandler is the user's isComplete contract. It is called after
// OnEvent, then repeatedly until it reports completion, fails, or the
// provider's total timeout passes.
type IsCompleteHandler interface {
	IsComplete(ctx context.Context, r IsCompleteRequest) (IsCompleteResult, error)
}

// HandlerFunc adapts a function to [Handler].
type HandlerFunc func(ctx context.Context, e Event) (OnEventResult, error)

// OnEvent calls f.
func (f HandlerFunc) OnEvent(ctx context.Context, e Event) (OnEventResult, error) { return f(ctx, e) }

// IsCompleteFunc adapts a function to [IsCompleteHandler].
type IsCompleteFunc func(ctx context.Context, r IsCompleteRequest) (IsCompleteResult, error)

// IsComplete calls f.
func (f IsCompleteFunc) IsComplete(ctx context.Context, r IsCompleteRequest) (IsCompleteResult, error) {
	return f(ctx, r)
}

// OnEventResult is what onEvent returns. In JSON (the user Lambda's return
// value) it is an object whose known keys are PhysicalResourceId, Data and
// NoEcho; any other top-level key lands in Extra and is passed on to
// isComplete, as the AWS CDK does.
type OnEventResult struct {
	// PhysicalResourceId identifies the resource. On Update a new value means
	// the resource was replaced (CloudFormation then deletes the old one); on
	// Delete it must equal the event's.
	// Default: the RequestId on Create, the event's PhysicalResourceId on
	// Update and Delete.
	PhysicalResourceId string
	// Data are the resource's attributes (Fn::GetAtt). With an isComplete
	// step they are merged with the ones isComplete returns.
	// Default: none.
	Data map[string]any
	// NoEcho masks Data in Fn::GetAtt output and in our logs.
	// Default: false.
	NoEcho bool
	// Extra are further fields handed to isComplete as top-level keys of its
	// request.
	// Default: none.
	Extra map[string]any
}

// MarshalJSON flattens Extra into the object.
func (r OnEventResult) MarshalJSON() ([]byte, error) {
	m := make(map[string]any, len(r.Extra)+3)
	for k, v := range r.Extra {
		m[k] = v
	}
	if r.PhysicalResourceId != "" {
		m["PhysicalResourceId"] = r.PhysicalResourceId
	}
	if r.Data != nil {
		m["Data"] = r.Data
	}
	if r.NoEcho {
		m["NoEcho"] = true
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads the known keys and keeps the others in Extra. A JSON
// null is an empty result (a Node.js handler that returns nothing).
func (r *OnEventResult) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("onEvent result must be a JSON object: %w", err)
	}
	*r = OnEventResult{}
	if err := takeKnown(m, "PhysicalResourceId", &r.PhysicalResourceId); err != nil {
		return err
	}
	if err := takeKnown(m, "Data", &r.Data); err != nil {
		return err
	}
	if err := takeKnown(m, "NoEcho", &r.NoEcho); err != nil {
		return err
	}
	return restInto(m, &r.Extra)
}

// IsCompleteRequest is what a user's isComplete handler receives: the
// CloudFormation event merged with the onEvent result. Its
// PhysicalResourceId is the one onEvent settled (returned or defaulted).
type IsCompleteRequest struct {
	Event
	// Data are the attributes onEvent returned.
	Data map[string]any
	// NoEcho is what onEvent returned.
	NoEcho bool
	// Extra are the further fields onEvent returned.
	Extra map[string]any
	// ResponseURLParameterName names the Parameter Store parameter holding
	// the real ResponseURL when the waiter input carries a placeholder (see
	// [spec.EnvResponseURLParameterPrefix]); empty otherwise.
	ResponseURLParameterName string
}

// eventKeys are the JSON keys of Event, which IsCompleteRequest.Extra never
// holds.
var eventKeys = []string{"RequestType", "ServiceToken", "ResponseURL", "StackId", "RequestId", "ResourceType",
	"LogicalResourceId", "PhysicalResourceId", "ResourceProperties", "OldResourceProperties"}

// MarshalJSON renders the flat object the AWS CDK passes to isComplete.
func (r IsCompleteRequest) MarshalJSON() ([]byte, error) {
	eb, err := json.Marshal(r.Event)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(eb, &m); err != nil {
		return nil, err
	}
	for k, v := range r.Extra {
		if _, clash := m[k]; !clash {
			m[k] = v
		}
	}
	if r.Data != nil {
		m["Data"] = r.Data
	}
	if r.NoEcho {
		m["NoEcho"] = true
	}
	if r.ResponseURLParameterName != "" {
		m[responseURLParameterField] = r.ResponseURLParameterName
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads the flat object, keeping unknown keys in Extra. The
// waiter's error record ([spec.ErrorInfoField]) is dropped.
func (r *IsCompleteRequest) UnmarshalJSON(b []byte) error {
	*r = IsCompleteRequest{}
	if err := json.Unmarshal(b, &r.Event); err != nil {
		return err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	for _, k := range eventKeys {
		delete(m, k)
	}
	delete(m, errorInfoField)
	if err := takeKnown(m, "Data", &r.Data); err != nil {
		return err
	}
	if err := takeKnown(m, "NoEcho", &r.NoEcho); err != nil {
		return err
	}
	if err := takeKnown(m, responseURLParameterField, &r.ResponseURLParameterName); err != nil {
		return err
	}
	return restInto(m, &r.Extra)
}

// IsCompleteResult is what isComplete returns.
type IsCompleteResult struct {
	// IsComplete ends the wait when true; false asks to be called again.
	IsComplete bool `json:"IsComplete"`
	// PhysicalResourceId, when set, replaces the one onEvent settled (not
	// allowed to change on Delete).
	// Default: the request's PhysicalResourceId.
	PhysicalResourceId string `json:"PhysicalResourceId,omitempty"`
	// Data are merged over the onEvent Data (isComplete wins). Only allowed
	// with IsComplete true.
	// Default: none.
	Data map[string]any `json:"Data,omitempty"`
}

func takeKnown(m map[string]json.RawMessage, key string, into any) error {
	raw, ok := m[key]
	if !ok {
		return nil
	}
	delete(m, key)
	if string(raw) == "null" {
		return nil
	}
	if err := json.Unmarshal(raw, into); err != nil {
		return fmt.Errorf("field %s: %w", key, err)
	}
	return nil
}

func restInto(m map[string]json.RawMessage, extra *map[string]any) error {
	if len(m) == 0 {
		return nil
	}
	*extra = make(map[string]any, len(m))
	for k, raw := range m {
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return fmt.Errorf("field %s: %w", k, err)
		}
		(*extra)[k] = v
	}
	return nil
}

// Physical IDs the framework answers a failed Create with when the handler
// returned none, so the Delete CloudFormation sends on rollback can be
// recognised and answered without calling the handler.
const (
	// CreateFailedPhysicalIDPrefix starts the marker ID of a Create that
	// failed without a physical ID; the RequestId of the Create follows.
	CreateFailedPhysicalIDPrefix = "eksforge::provider::CREATE_FAILED::"
	// cdkCreateFailedPhysicalID is the AWS CDK framework's marker, honoured
	// for stacks moved from the AWS CDK's provider to ours.
	cdkCreateFailedPhysicalID = "AWSCDK::CustomResourceProviderFramework::CREATE_FAILED"
)

// IsCreateFailedPhysicalID reports whether id is the marker the framework
// (ours or the AWS CDK's) gives a Create that failed without a physical ID.
func IsCreateFailedPhysicalID(id string) bool {
	return strings.HasPrefix(id, CreateFailedPhysicalIDPrefix) || id == cdkCreateFailedPhysicalID
}

// settlePhysicalID applies the physical-ID rules to what a handler returned.
func settlePhysicalID(e Event, returned string) (string, error) {
	if returned == "" {
		if e.RequestType == cfnresponse.Create {
			return e.RequestId, nil
		}
		return e.PhysicalResourceId, nil
	}
	if e.RequestType == cfnresponse.Delete && returned != e.PhysicalResourceId {
		return "", fmt.Errorf("DELETE: cannot change the physical resource ID from %q to %q during deletion", e.PhysicalResourceId, returned)
	}
	if len(returned) > maxPhysicalIDLen {
		return "", fmt.Errorf("physical resource ID is %d bytes; CloudFormation allows %d", len(returned), maxPhysicalIDLen)
	}
	return returned, nil
}

// maxPhysicalIDLen is CloudFormation's limit on a custom resource's physical
// ID.
const maxPhysicalIDLen = 1024
