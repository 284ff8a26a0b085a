package spec

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// validateASL checks a state machine definition against the rules of the
// Amazon States Language that can be checked structurally, for the state
// types the waiter uses (Task, Succeed, Fail, Pass, Wait).
func validateASL(def string) error {
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

func TestWaiterDefinitionIsValidASL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                string
		isComplete, timeout string
		interval            time.Duration
		rate                float64
		attempts            int
	}{
		{"cluster provider settings", "arn:aws:lambda:us-east-1:123456789012:function:isComplete", "arn:aws:lambda:us-east-1:123456789012:function:onTimeout", time.Minute, 1, 60},
		{"tokens from synthesis", "${Token[TOKEN.101]}", "${Token[TOKEN.102]}", 5 * time.Second, 1, 360},
		{"backoff", "arn:aws:lambda:us-east-1:1:function:a", "arn:aws:lambda:us-east-1:1:function:b", 2 * time.Second, 1.5, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			def, err := WaiterDefinition(tt.isComplete, tt.timeout, tt.interval, tt.rate, tt.attempts)
			if err != nil {
				t.Fatal(err)
			}
			if err := validateASL(def); err != nil {
				t.Fatalf("invalid definition: %v\n%s", err, def)
			}
			var d definition
			if err := json.Unmarshal([]byte(def), &d); err != nil {
				t.Fatal(err)
			}
			task := d.States[IsCompleteState]
			if task.Resource != tt.isComplete || d.States[OnTimeoutState].Resource != tt.timeout {
				t.Errorf("resources = %q, %q", task.Resource, d.States[OnTimeoutState].Resource)
			}
			poll := task.Retry[1]
			if !slices.Equal(poll.ErrorEquals, []string{NotCompleteError}) || poll.IntervalSeconds != int(tt.interval/time.Second) ||
				poll.MaxAttempts != tt.attempts || poll.BackoffRate != tt.rate {
				t.Errorf("poll retrier = %+v", poll)
			}
			if c := task.Catch[0]; c.Next != OnTimeoutState || c.ResultPath != "$.ErrorInfo" {
				t.Errorf("catcher = %+v", c)
			}
		})
	}
}

func TestValidateASLRejectsBrokenDefinitions(t *testing.T) {
	t.Parallel()
	for name, def := range map[string]string{
		"fails on unknown StartAt":       `{"StartAt":"x","States":{"a":{"Type":"Succeed"}}}`,
		"fails on dangling Next":         `{"StartAt":"a","States":{"a":{"Type":"Pass","Next":"b"}}}`,
		"fails on Next and End":          `{"StartAt":"a","States":{"a":{"Type":"Pass","Next":"a","End":true}}}`,
		"fails on neither Next nor End":  `{"StartAt":"a","States":{"a":{"Type":"Pass"}}}`,
		"fails on missing ErrorEquals":   `{"StartAt":"a","States":{"a":{"Type":"Task","Resource":"arn:x","End":true,"Retry":[{"MaxAttempts":1}]}}}`,
		"fails on States.ALL not last":   `{"StartAt":"a","States":{"a":{"Type":"Task","Resource":"arn:x","End":true,"Retry":[{"ErrorEquals":["States.ALL"]},{"ErrorEquals":["X"]}]}}}`,
		"fails on bad resource":          `{"StartAt":"a","States":{"a":{"Type":"Task","Resource":"my-fn","End":true}}}`,
		"fails on catch to nowhere":      `{"StartAt":"a","States":{"a":{"Type":"Task","Resource":"arn:x","End":true,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"z"}]}}}`,
		"fails on unreachable state":     `{"StartAt":"a","States":{"a":{"Type":"Succeed"},"b":{"Type":"Succeed"}}}`,
		"fails on no terminal state":     `{"StartAt":"a","States":{"a":{"Type":"Pass","Next":"a"}}}`,
		"fails on fractional interval":   `{"StartAt":"a","States":{"a":{"Type":"Task","Resource":"arn:x","End":true,"Retry":[{"ErrorEquals":["X"],"IntervalSeconds":0.5}]}}}`,
		"fails on backoff below one":     `{"StartAt":"a","States":{"a":{"Type":"Task","Resource":"arn:x","End":true,"Retry":[{"ErrorEquals":["X"],"BackoffRate":0.5}]}}}`,
		"fails on unknown field in Task": `{"StartAt":"a","States":{"a":{"Type":"Task","Resource":"arn:x","End":true,"Retries":[]}}}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if err := validateASL(def); err == nil {
				t.Error("validateASL accepted it")
			}
		})
	}
}

func TestWaiterDefinitionValidation(t *testing.T) {
	t.Parallel()
	const arn = "arn:aws:lambda:us-east-1:123456789012:function:f"
	tests := []struct {
		name                string
		isComplete, timeout string
		interval            time.Duration
		rate                float64
		attempts            int
		wantErr             string
	}{
		{"fails on interval below a second", arn, arn, 500 * time.Millisecond, 1, 10, "shorter than the minimum of 1s"},
		{"fails on fractional seconds", arn, arn, 1500 * time.Millisecond, 1, 10, "not a whole number of seconds"},
		{"fails on backoff below one", arn, arn, time.Second, 0.9, 10, "at least 1.0"},
		{"fails on zero attempts", arn, arn, time.Second, 1, 0, "between 1 and"},
		{"fails on more than two hours", arn, arn, time.Minute, 1, 121, "more than the maximum of 2h0m0s"},
		{"fails on runaway backoff", arn, arn, time.Second, 2, 14, "more than the maximum"},
		{"fails on a function name", "isComplete", arn, time.Second, 1, 1, `"isComplete" is not an ARN or a token`},
		{"fails on empty onTimeout", arn, "", time.Second, 1, 1, "onTimeout function"},
		{"exactly two hours", arn, arn, time.Minute, 1, 120, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := WaiterDefinition(tt.isComplete, tt.timeout, tt.interval, tt.rate, tt.attempts)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestRetryPolicy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name            string
		total, interval time.Duration
		rate            float64
		want            int
		wantErr         string
	}{
		{"AWS CDK defaults", 0, 0, 0, 360, ""},
		{"cluster provider: 1 hour every minute", time.Hour, time.Minute, 1, 60, ""},
		{"two hours every second", 2 * time.Hour, time.Second, 1, 7200, ""},
		{"backoff fits the largest count", time.Minute, time.Second, 2, 5, ""}, // 1+2+4+8+16 = 31 ≤ 60 < 63
		{"backoff exactly filling", 63 * time.Second, time.Second, 2, 6, ""},
		{"fails on indivisible timeout", 10 * time.Second, 3 * time.Second, 1, 0, "not a whole multiple"},
		{"fails beyond two hours", 2*time.Hour + time.Second, time.Second, 1, 0, "exceeds the maximum"},
		{"fails when interval exceeds timeout", time.Second, 2 * time.Second, 1, 0, "shorter than the query interval"},
		{"fails on sub-second interval", time.Minute, 100 * time.Millisecond, 1, 0, "shorter than the minimum"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := RetryPolicy(tt.total, tt.interval, tt.rate)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("RetryPolicy = %d, want %d", got, tt.want)
			}
			// The policy always yields a valid definition.
			iv := tt.interval
			if iv == 0 {
				iv = DefaultQueryInterval
			}
			rate := max(tt.rate, 1)
			if _, err := WaiterDefinition("arn:a", "arn:b", iv, rate, got); err != nil {
				t.Errorf("WaiterDefinition rejects the policy: %v", err)
			}
		})
	}
}
