package spec

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

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
			if err := ValidateDefinition(def); err != nil {
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
			if err := ValidateDefinition(def); err == nil {
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
