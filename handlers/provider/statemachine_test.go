package provider

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/eksforge/eksforge/internal/testenv/waitersim"
)

// stateMachine interprets the waiter definition in process (see
// internal/testenv/waitersim).
type stateMachine = waitersim.Machine

func newStateMachine(t *testing.T, definition string, tasks map[string]func(context.Context, json.RawMessage) error) *stateMachine {
	t.Helper()
	return waitersim.New(t, definition, tasks)
}
