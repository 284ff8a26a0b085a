package cfnresponse

import (
	"log/slog"
	"sort"
)

// LogAttrs are what may be logged about an event: its request type,
// resource type, logical ID, request ID and physical ID. Properties,
// old properties, the response URL and the stack ID are left out: properties
// hold manifests, Helm values and object values, which may be secrets, and
// the response URL is a credential.
func (e Event) LogAttrs() []any {
	attrs := []any{
		slog.String("requestType", string(e.RequestType)),
		slog.String("resourceType", e.ResourceType),
		slog.String("logicalResourceId", e.LogicalResourceId),
		slog.String("requestId", e.RequestId),
	}
	if e.PhysicalResourceId != "" {
		attrs = append(attrs, slog.String("physicalResourceId", e.PhysicalResourceId))
	}
	return attrs
}

// LogAttrs are what may be logged about a response: its status, physical
// ID, logical ID, request ID and the names (never the values) of its Data
// keys. The Reason is left out too: it is logged where the error happens.
func (r Response) LogAttrs() []any {
	keys := make([]string, 0, len(r.Data))
	for k := range r.Data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return []any{
		slog.String("status", string(r.Status)),
		slog.String("logicalResourceId", r.LogicalResourceId),
		slog.String("requestId", r.RequestId),
		slog.String("physicalResourceId", r.PhysicalResourceId),
		slog.Any("dataKeys", keys),
	}
}
