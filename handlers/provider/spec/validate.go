package spec

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
)

// ValidateDefinition checks a state machine definition against the rules of
// the Amazon States Language that can be checked structurally, for the state
// types the waiter uses (Task, Succeed, Fail, Pass, Wait): StartAt exists,
// every Next and Catch target exists, End and Next are exclusive, Retry and
// Catch are well formed (States.ALL alone and last), Task resources are ARNs
// or tokens, every state is reachable and a terminal state is reachable.
// The construct side checks the definitions it renders with it.
func ValidateDefinition(def string) error {
	var top map[string]json.RawMessage
	if err := json.Unmarshal([]byte(def), &top); err != nil {
		return fmt.Errorf("definition is not a JSON object: %w", err)
	}
	for k := range top {
		if !slices.Contains([]string{"Comment", "StartAt", "States", "TimeoutSeconds", "Version", "QueryLanguage"}, k) {
			return fmt.Errorf("unknown top-level field %q", k)
		}
	}
	var m struct {
		StartAt string
		States  map[string]map[string]json.RawMessage
	}
	if err := json.Unmarshal([]byte(def), &m); err != nil {
		return err
	}
	if m.StartAt == "" || len(m.States) == 0 {
		return fmt.Errorf("StartAt and States are required")
	}
	if _, ok := m.States[m.StartAt]; !ok {
		return fmt.Errorf("StartAt %q names no state", m.StartAt)
	}
	str := func(raw json.RawMessage) (string, error) {
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	}
	edges := map[string][]string{}
	terminal := map[string]bool{}
	for name, st := range m.States {
		if len(name) == 0 || len(name) > 80 {
			return fmt.Errorf("state name %q must be 1 to 80 characters", name)
		}
		typ, err := str(st["Type"])
		if err != nil {
			return fmt.Errorf("state %q: Type missing or not a string", name)
		}
		allowed := map[string][]string{
			"Task":    {"Type", "Comment", "Resource", "Retry", "Catch", "Next", "End", "TimeoutSeconds", "HeartbeatSeconds", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector"},
			"Pass":    {"Type", "Comment", "Next", "End", "Result", "ResultPath", "Parameters", "InputPath", "OutputPath"},
			"Wait":    {"Type", "Comment", "Next", "End", "Seconds", "SecondsPath", "Timestamp", "TimestampPath", "InputPath", "OutputPath"},
			"Succeed": {"Type", "Comment", "InputPath", "OutputPath"},
			"Fail":    {"Type", "Comment", "Error", "Cause"},
		}[typ]
		if allowed == nil {
			return fmt.Errorf("state %q: unsupported Type %q", name, typ)
		}
		for k := range st {
			if !slices.Contains(allowed, k) {
				return fmt.Errorf("state %q: field %q not allowed in a %s state", name, k, typ)
			}
		}
		_, hasNext := st["Next"]
		var end bool
		if raw, ok := st["End"]; ok {
			if err := json.Unmarshal(raw, &end); err != nil {
				return fmt.Errorf("state %q: End is not a boolean", name)
			}
		}
		switch typ {
		case "Succeed", "Fail":
			terminal[name] = true
		default:
			if hasNext == end {
				return fmt.Errorf("state %q: exactly one of Next and End:true is required", name)
			}
			if end {
				terminal[name] = true
			} else {
				next, err := str(st["Next"])
				if err != nil {
					return fmt.Errorf("state %q: Next is not a string", name)
				}
				edges[name] = append(edges[name], next)
			}
		}
		if typ == "Task" {
			res, err := str(st["Resource"])
			if err != nil || !IsResourceRef(res) {
				return fmt.Errorf("state %q: Resource %q is not an ARN or a token", name, res)
			}
		}
		if raw, ok := st["Retry"]; ok {
			var rs []map[string]json.RawMessage
			if err := json.Unmarshal(raw, &rs); err != nil {
				return fmt.Errorf("state %q: Retry is not an array of objects", name)
			}
			for i, r := range rs {
				for k := range r {
					if !slices.Contains([]string{"ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment"}, k) {
						return fmt.Errorf("state %q: Retry[%d] has unknown field %q", name, i, k)
					}
				}
				if err := checkErrorEquals(r["ErrorEquals"], i == len(rs)-1); err != nil {
					return fmt.Errorf("state %q: Retry[%d]: %w", name, i, err)
				}
				var f struct {
					IntervalSeconds *float64
					MaxAttempts     *float64
					BackoffRate     *float64
				}
				b, _ := json.Marshal(r)
				if err := json.Unmarshal(b, &f); err != nil {
					return fmt.Errorf("state %q: Retry[%d]: %w", name, i, err)
				}
				if f.IntervalSeconds != nil && (*f.IntervalSeconds < 1 || *f.IntervalSeconds != math.Trunc(*f.IntervalSeconds) || *f.IntervalSeconds > 99999999) {
					return fmt.Errorf("state %q: Retry[%d]: IntervalSeconds %v must be a positive integer", name, i, *f.IntervalSeconds)
				}
				if f.MaxAttempts != nil && (*f.MaxAttempts < 0 || *f.MaxAttempts != math.Trunc(*f.MaxAttempts) || *f.MaxAttempts > 99999999) {
					return fmt.Errorf("state %q: Retry[%d]: MaxAttempts %v must be a non-negative integer", name, i, *f.MaxAttempts)
				}
				if f.BackoffRate != nil && *f.BackoffRate < 1 {
					return fmt.Errorf("state %q: Retry[%d]: BackoffRate %v must be at least 1.0", name, i, *f.BackoffRate)
				}
			}
		}
		if raw, ok := st["Catch"]; ok {
			var cs []map[string]json.RawMessage
			if err := json.Unmarshal(raw, &cs); err != nil {
				return fmt.Errorf("state %q: Catch is not an array of objects", name)
			}
			for i, c := range cs {
				for k := range c {
					if !slices.Contains([]string{"ErrorEquals", "Next", "ResultPath", "Comment"}, k) {
						return fmt.Errorf("state %q: Catch[%d] has unknown field %q", name, i, k)
					}
				}
				if err := checkErrorEquals(c["ErrorEquals"], i == len(cs)-1); err != nil {
					return fmt.Errorf("state %q: Catch[%d]: %w", name, i, err)
				}
				next, err := str(c["Next"])
				if err != nil || next == "" {
					return fmt.Errorf("state %q: Catch[%d]: Next is required", name, i)
				}
				if rp, ok := c["ResultPath"]; ok {
					p, err := str(rp)
					if err != nil || !strings.HasPrefix(p, "$") {
						return fmt.Errorf("state %q: Catch[%d]: ResultPath %s is not a reference path", name, i, rp)
					}
				}
				edges[name] = append(edges[name], next)
			}
		}
	}
	for from, tos := range edges {
		for _, to := range tos {
			if _, ok := m.States[to]; !ok {
				return fmt.Errorf("state %q: transition to unknown state %q", from, to)
			}
		}
	}
	// Every state reachable from StartAt, and a terminal state reachable.
	seen := map[string]bool{m.StartAt: true}
	queue := []string{m.StartAt}
	reachTerminal := false
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		reachTerminal = reachTerminal || terminal[s]
		for _, n := range edges[s] {
			if !seen[n] {
				seen[n] = true
				queue = append(queue, n)
			}
		}
	}
	for name := range m.States {
		if !seen[name] {
			return fmt.Errorf("state %q is unreachable from StartAt", name)
		}
	}
	if !reachTerminal {
		return fmt.Errorf("no terminal state is reachable")
	}
	return nil
}

func checkErrorEquals(raw json.RawMessage, last bool) error {
	var errs []string
	if err := json.Unmarshal(raw, &errs); err != nil || len(errs) == 0 {
		return fmt.Errorf("ErrorEquals must be a non-empty array of strings")
	}
	for _, e := range errs {
		if e == "" {
			return fmt.Errorf("ErrorEquals holds an empty name")
		}
		if e == "States.ALL" && (len(errs) != 1 || !last) {
			return fmt.Errorf("States.ALL must appear alone, in the last element")
		}
	}
	return nil
}
