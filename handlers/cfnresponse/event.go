package cfnresponse

import (
	"fmt"
	"net/url"
)

// RequestType is the lifecycle operation CloudFormation asks a custom resource
// to perform.
type RequestType string

// The request types CloudFormation sends.
const (
	// Create is sent when the resource is added to a stack, and when an
	// update replaced it (the new resource is created first).
	Create RequestType = "Create"
	// Update is sent when the resource's properties change.
	Update RequestType = "Update"
	// Delete is sent when the resource leaves the stack, when a replaced
	// resource is cleaned up, and when a stack operation rolls back a Create.
	Delete RequestType = "Delete"
)

// Valid reports whether t is one of [Create], [Update] and [Delete].
func (t RequestType) Valid() bool {
	return t == Create || t == Update || t == Delete
}

// Event is a CloudFormation custom-resource request, as CloudFormation sends
// it to the service token.
//
// Every scalar value in ResourceProperties and OldResourceProperties is a
// string (CloudFormation renders true as "true" and 3 as "3"); lists and maps
// keep their structure, with string leaves. See the package documentation.
type Event struct {
	// RequestType is Create, Update or Delete.
	RequestType RequestType `json:"RequestType"`
	// ServiceToken is the ARN CloudFormation invoked (the provider's entry
	// function or topic).
	ServiceToken string `json:"ServiceToken,omitempty"`
	// ResponseURL is the pre-signed S3 URL the response must be PUT to. It is
	// a credential: do not log it.
	ResponseURL string `json:"ResponseURL"`
	// StackId is the ARN of the stack that holds the resource.
	StackId string `json:"StackId"`
	// RequestId identifies this request; it is unique per request and is
	// repeated unchanged if the same request is delivered twice.
	RequestId string `json:"RequestId"`
	// ResourceType is the template type of the resource, such as
	// "Custom::AWSCDK-EKS-KubernetesResource".
	ResourceType string `json:"ResourceType"`
	// LogicalResourceId is the resource's logical ID in the template.
	LogicalResourceId string `json:"LogicalResourceId"`
	// PhysicalResourceId is the ID the handler returned for the resource
	// before. Empty on Create; always set on Update and Delete.
	PhysicalResourceId string `json:"PhysicalResourceId,omitempty"`
	// ResourceProperties are the resource's properties in the template
	// (ServiceToken included), scalars as strings.
	ResourceProperties map[string]any `json:"ResourceProperties,omitempty"`
	// OldResourceProperties are the properties before an Update; nil
	// otherwise.
	OldResourceProperties map[string]any `json:"OldResourceProperties,omitempty"`
}

// Validate reports whether e carries what a response needs: a valid request
// type, an absolute http(s) response URL, a stack ID, a request ID and a
// logical resource ID, and a physical resource ID on Update and Delete.
func (e Event) Validate() error {
	if !e.RequestType.Valid() {
		return fmt.Errorf("invalid RequestType %q: want Create, Update or Delete", e.RequestType)
	}
	if e.ResponseURL == "" {
		return fmt.Errorf("missing ResponseURL")
	}
	u, err := url.Parse(e.ResponseURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("ResponseURL is not an absolute http(s) URL")
	}
	if e.StackId == "" || e.RequestId == "" || e.LogicalResourceId == "" {
		return fmt.Errorf("missing StackId, RequestId or LogicalResourceId")
	}
	if e.RequestType != Create && e.PhysicalResourceId == "" {
		return fmt.Errorf("%s request without PhysicalResourceId", e.RequestType)
	}
	return nil
}

// Status is the outcome reported to CloudFormation.
type Status string

// The statuses CloudFormation accepts.
const (
	// Success tells CloudFormation the operation succeeded.
	Success Status = "SUCCESS"
	// Failed tells CloudFormation the operation failed; Reason is shown in
	// the stack events and the stack operation rolls back.
	Failed Status = "FAILED"
)

// Response is the answer CloudFormation waits for.
type Response struct {
	// Status is SUCCESS or FAILED.
	Status Status `json:"Status"`
	// Reason explains the status; CloudFormation shows it in the stack
	// events. Required for FAILED.
	// Default: the status itself.
	Reason string `json:"Reason,omitempty"`
	// PhysicalResourceId identifies the resource. Returning a different value
	// on Update tells CloudFormation the resource was replaced; it will then
	// send a Delete for the old value.
	// Default (in [Send]): the event's PhysicalResourceId.
	PhysicalResourceId string `json:"PhysicalResourceId"`
	// StackId is copied from the event.
	// Default (in [Send]): the event's StackId.
	StackId string `json:"StackId"`
	// RequestId is copied from the event.
	// Default (in [Send]): the event's RequestId.
	RequestId string `json:"RequestId"`
	// LogicalResourceId is copied from the event.
	// Default (in [Send]): the event's LogicalResourceId.
	LogicalResourceId string `json:"LogicalResourceId"`
	// NoEcho masks Data when it is read with Fn::GetAtt outside the stack
	// and keeps [Send] from logging Data values.
	// Default: false.
	NoEcho bool `json:"NoEcho,omitempty"`
	// Data are the resource's attributes, read with Fn::GetAtt.
	// Default: no attributes.
	Data map[string]any `json:"Data,omitempty"`
}

// For fills the fields of r that CloudFormation copies from the request
// (StackId, RequestId, LogicalResourceId and, when empty, PhysicalResourceId)
// from e, and Reason from the status when empty. It returns the result.
// A response that would still have no PhysicalResourceId (a Create answered
// without one) gets the RequestId, since CloudFormation rejects an empty one.
func (r Response) For(e Event) Response {
	r.StackId = e.StackId
	r.RequestId = e.RequestId
	r.LogicalResourceId = e.LogicalResourceId
	if r.PhysicalResourceId == "" {
		r.PhysicalResourceId = e.PhysicalResourceId
	}
	if r.PhysicalResourceId == "" {
		r.PhysicalResourceId = e.RequestId
	}
	if r.Reason == "" {
		r.Reason = string(r.Status)
	}
	return r
}
