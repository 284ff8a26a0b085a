//go:build nohelm

package kubectl

import (
	"context"
	"fmt"

	"github.com/eksforge/eksforge/handlers/provider"
)

// helmChart refuses Helm charts in a handler built with -tags nohelm (the
// eks package's kubectl handler for manifests, patches, object values and
// aws-auth), which does not link the Helm SDK. The eks package sends charts
// to the cluster's Helm handler, built without the tag; a chart reaching
// this one comes from a template made otherwise.
func (h *Handler) helmChart(_ context.Context, e provider.Event) (provider.OnEventResult, error) {
	return provider.OnEventResult{}, fmt.Errorf("this kubectl handler is built without Helm (-tags nohelm) and cannot %s %s %s: serve Helm charts with a handler built without the nohelm tag (the eks package's HelmHandler)",
		e.RequestType, e.ResourceType, e.LogicalResourceId)
}

// helmIsComplete never runs in a handler without Helm: its OnEvent starts
// no Helm wait.
func (h *Handler) helmIsComplete(_ context.Context, req provider.IsCompleteRequest, _ longWait) (provider.IsCompleteResult, error) {
	return provider.IsCompleteResult{}, fmt.Errorf("this kubectl handler is built without Helm (-tags nohelm) and cannot wait for Helm release %s", req.LogicalResourceId)
}
