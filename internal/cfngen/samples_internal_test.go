package cfngen

import (
	"testing"
)

func TestSampleStringsSatisfyTheirSchema(t *testing.T) {
	t.Parallel()
	ip := func(i int) *int { return &i }
	tests := []struct {
		name   string
		schema Schema
		prop   string
		want   string
	}{
		{"enum comes first", Schema{Enum: []any{"ipv4", "ipv6"}, Pattern: "^x$"}, "Family", "ipv4"},
		{"case-insensitive enum", Schema{EnumCaseInsensitive: []any{"allow", "deny"}}, "RuleAction", "allow"},
		{"const", Schema{Const: "2012-10-17"}, "Version", "2012-10-17"},
		{"format", Schema{Format: "AWS::EC2::SecurityGroup.Id"}, "GroupId", "sg-12345678"},
		{"pattern", Schema{Pattern: `^sg-[0-9a-f]{8}$`}, "Group", "sg-aaaaaaaa"},
		{"pattern with minimum length", Schema{Pattern: `^[a-z]+$`, MinLength: ip(8)}, "Name", "aaaaaaaa"},
		{"pattern with a lookahead (dropped)", Schema{Pattern: `^(?!aws:)[a-z]{3,10}\Z`}, "Key", "sample"},
		{"name heuristic that fits the pattern", Schema{Pattern: `^arn:aws:iam::\d{12}:role/.+$`}, "RoleArn", "arn:aws:iam::123456789012:role/sample"},
		{"minimum length without pattern", Schema{MinLength: ip(10)}, "Token", "samplexxxx"},
		{"maximum length", Schema{MaxLength: ip(3)}, "Code", "sam"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := sampleString(&tc.schema, tc.prop); got != tc.want {
				t.Errorf("sampleString = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSampleNumbersRespectTheirRange(t *testing.T) {
	t.Parallel()
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name   string
		schema Schema
		want   float64
	}{
		{"default", Schema{}, 1},
		{"minimum", Schema{Minimum: f(60)}, 60},
		{"maximum below one", Schema{Maximum: f(0)}, 0},
		{"multiple of", Schema{Minimum: f(10), MultipleOf: f(64)}, 64},
		{"enum", Schema{Enum: []any{float64(7), float64(9)}}, 7},
	}
	for _, tc := range tests {
		if got := sampleNumber(&tc.schema, true); got != tc.want {
			t.Errorf("%s: sampleNumber = %v, want %v", tc.name, got, tc.want)
		}
	}
}
