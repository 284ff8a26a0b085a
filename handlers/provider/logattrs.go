package provider

import (
	"encoding/json"
	"log/slog"
	"sort"
)

// resultAttrs are what may be logged about an onEvent result: its physical
// ID and the names of its Data keys, never their values (an object value
// may be a secret).
func resultAttrs(r OnEventResult) []any {
	return []any{
		slog.String("physicalResourceId", r.PhysicalResourceId),
		slog.Any("dataKeys", sortedKeys(r.Data)),
	}
}

// rawAttrs are what may be logged about a waiter input: the event's
// identifying fields when it is one, else its size.
func rawAttrs(raw json.RawMessage) []any {
	var e Event
	if json.Unmarshal(raw, &e) != nil || e.RequestId == "" {
		return []any{slog.Int("bytes", len(raw))}
	}
	return e.LogAttrs()
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
