package waitersim

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda/messages"
)

// Machine interprets the waiter definition in process: Task states run
// Go functions registered by Resource, with the definition's Retry and Catch
// semantics (first matching retrier; its attempts spent means the Catch
// applies; Catch ResultPath adds the error record to the input). Waits are
// recorded, not slept, so a two-hour policy runs in milliseconds.
type Machine struct {
	def struct {
		StartAt string
		States  map[string]struct {
			Type     string
			Resource string
			Next     string
			End      bool
			Retry    []struct {
				ErrorEquals     []string
				IntervalSeconds int
				MaxAttempts     int
				BackoffRate     float64
			}
			Catch []struct {
				ErrorEquals []string
				ResultPath  string
				Next        string
			}
		}
	}
	tasks map[string]func(ctx context.Context, input json.RawMessage) error
	// Waits are the retry waits the machine would have slept, in order.
	Waits []time.Duration
	// Trace is the state entered, per attempt.
	Trace []string
}

// New parses a waiter definition and binds its Task resources to tasks.
func New(t testing.TB, definition string, tasks map[string]func(context.Context, json.RawMessage) error) *Machine {
	t.Helper()
	sm := &Machine{tasks: tasks}
	if err := json.Unmarshal([]byte(definition), &sm.def); err != nil {
		t.Fatal(err)
	}
	return sm
}

func matches(errorEquals []string, name string) bool {
	return slices.Contains(errorEquals, name) || slices.Contains(errorEquals, "States.ALL")
}

// Run executes the machine on input and returns the name of the last state.
func (sm *Machine) Run(ctx context.Context, input json.RawMessage) (string, error) {
	name := sm.def.StartAt
	for steps := 0; steps < 1_000_000; steps++ {
		st, ok := sm.def.States[name]
		if !ok {
			return name, fmt.Errorf("no state %q", name)
		}
		if st.Type != "Task" {
			return name, fmt.Errorf("state type %s not simulated", st.Type)
		}
		task, ok := sm.tasks[st.Resource]
		if !ok {
			return name, fmt.Errorf("no task for resource %q", st.Resource)
		}
		counts := make([]int, len(st.Retry))
		var failure error
		for {
			sm.Trace = append(sm.Trace, name)
			err := task(ctx, input)
			if err == nil {
				break
			}
			typ := ErrorType(err)
			i := slices.IndexFunc(st.Retry, func(r struct {
				ErrorEquals     []string
				IntervalSeconds int
				MaxAttempts     int
				BackoffRate     float64
			}) bool {
				return matches(r.ErrorEquals, typ)
			})
			if i >= 0 && counts[i] < st.Retry[i].MaxAttempts {
				r := st.Retry[i]
				wait := float64(r.IntervalSeconds) * math.Pow(r.BackoffRate, float64(counts[i]))
				sm.Waits = append(sm.Waits, time.Duration(wait*float64(time.Second)))
				counts[i]++
				continue
			}
			failure = err
			break
		}
		if failure == nil {
			if st.End {
				return name, nil
			}
			name = st.Next
			continue
		}
		typ := ErrorType(failure)
		caught := false
		for _, c := range st.Catch {
			if !matches(c.ErrorEquals, typ) {
				continue
			}
			cause, _ := json.Marshal(map[string]string{"errorType": typ, "errorMessage": failure.Error()})
			var m map[string]any
			if err := json.Unmarshal(input, &m); err != nil {
				return name, err
			}
			if c.ResultPath != "$.ErrorInfo" {
				return name, fmt.Errorf("ResultPath %q not simulated", c.ResultPath)
			}
			m["ErrorInfo"] = map[string]string{"Error": typ, "Cause": string(cause)}
			input, _ = json.Marshal(m)
			name = c.Next
			caught = true
			break
		}
		if !caught {
			return name, fmt.Errorf("execution failed in %s: %s: %w", name, typ, failure)
		}
	}
	return name, fmt.Errorf("execution did not end")
}

// ErrorType is the Lambda error type a task's error reports: the Type of a
// messages.InvokeResponse_Error, else the error's Go type name (as the
// Lambda runtime names errors).
func ErrorType(err error) string {
	if ive, ok := err.(messages.InvokeResponse_Error); ok {
		return ive.Type
	}
	t := reflect.TypeOf(err)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name()
}
