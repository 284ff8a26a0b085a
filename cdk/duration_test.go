package cdk

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// Expectations in this file were produced by aws-cdk-lib 2.276.0's Duration.

func TestDurationStrings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		d     Duration
		iso   string
		human string
		str   string
	}{
		{"seconds over a minute", Seconds(90), "PT1M30S", "1 minute 30 seconds", "Duration.seconds(90)"},
		{"half a second", Millis(500), "PT0.5S", "500 millis", "Duration.millis(500)"},
		{"millis over a second", Millis(1500), "PT1.5S", "1 second 500 millis", "Duration.millis(1500)"},
		{"fractional minutes", Minutes(1.5), "PT1M30S", "1 minute 30 seconds", "Duration.minutes(1.5)"},
		{"hours over a day", Hours(25), "P1DT1H", "1 day 1 hour", "Duration.hours(25)"},
		{"one day", Days(1), "P1D", "1 day", "Duration.days(1)"},
		{"human string keeps two components", Seconds(3661), "PT1H1M1S", "1 hour 1 minute", "Duration.seconds(3661)"},
		{"zero", Seconds(0), "PT0S", "0 seconds", "Duration.seconds(0)"},
		{"few millis", Millis(5), "PT0.005S", "5 millis", "Duration.millis(5)"},
		{"fractional seconds", Seconds(0.5), "PT0.5S", "500 millis", "Duration.seconds(0.5)"},
		{"many days", Days(1e10), "P10000000000D", "10000000000 days", "Duration.days(10000000000)"},
		{"every component", Millis(90061001), "P1DT1H1M1.001S", "1 day 1 hour", "Duration.millis(90061001)"},
		{"one minute", Minutes(1), "PT1M", "1 minute", "Duration.minutes(1)"},
		{"tiny amount in exponent form", Millis(0.00001), "PT1e-8S", "", "Duration.millis(0.00001)"},
		{"huge amount in exponent form", Seconds(1e21), "P11574074074074074D", "11574074074074074 days", "Duration.seconds(1e+21)"},
		{"tenth of an hour", Hours(0.1), "PT6M", "6 minutes", "Duration.hours(0.1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.d.ToIsoString(); got != tt.iso {
				t.Errorf("%v.ToIsoString() = %q, want %q", tt.d, got, tt.iso)
			}
			if got := tt.d.ToHumanString(); got != tt.human {
				t.Errorf("%v.ToHumanString() = %q, want %q", tt.d, got, tt.human)
			}
			if got := tt.d.String(); got != tt.str {
				t.Errorf("String() = %q, want %q", got, tt.str)
			}
		})
	}
}

func TestDurationConversions(t *testing.T) {
	t.Parallel()
	fraction := TimeConversionOptions{AllowFraction: true}
	type conv func(Duration, ...TimeConversionOptions) (float64, error)
	ms, s, m, h, d := Duration.ToMilliseconds, Duration.ToSeconds, Duration.ToMinutes, Duration.ToHours, Duration.ToDays
	tests := []struct {
		name    string
		d       Duration
		conv    conv
		opts    []TimeConversionOptions
		want    float64
		wantErr string
	}{
		{"seconds to millis", Seconds(90), ms, nil, 90000, ""},
		{"seconds to seconds", Seconds(90), s, nil, 90, ""},
		{"fractional minutes to seconds", Minutes(1.5), s, nil, 90, ""},
		{"hours to minutes", Hours(25), m, nil, 1500, ""},
		{"days to hours", Days(1), h, nil, 24, ""},
		{"days to days", Days(1), d, nil, 1, ""},
		{"zero to days", Seconds(0), d, nil, 0, ""},
		{"tenth of an hour to minutes", Hours(0.1), m, nil, 6, ""},
		{"huge seconds to minutes", Seconds(1e21), m, nil, 16666666666666666000, ""},
		{"fraction allowed", Seconds(90), d, []TimeConversionOptions{fraction}, 0.0010416666666666667, ""},
		{"millis to fractional seconds", Millis(1500), s, []TimeConversionOptions{fraction}, 1.5, ""},
		{"every component to fractional days", Millis(90061001), d, []TimeConversionOptions{fraction}, 1.0423726967592593, ""},
		{"tiny amount to fractional days", Millis(0.00001), d, []TimeConversionOptions{fraction}, 1.1574074074074076e-13, ""},
		{"zero value behaves as zero millis", Duration{}, s, nil, 0, ""},
		{"fails converting seconds to whole minutes", Seconds(90), m, nil, 0, "'90 seconds' cannot be converted into a whole number of minutes"},
		{"fails converting millis to whole seconds", Millis(500), s, nil, 0, "'500 millis' cannot be converted into a whole number of seconds"},
		{"fails on a fractional amount in its own unit", Minutes(1.5), m, nil, 0, "1.5 must be a whole number of minutes"},
		{"fails on a tiny fractional amount", Millis(0.00001), ms, nil, 0, "0.00001 must be a whole number of millis"},
		{"fails converting hours to whole days", Hours(25), d, nil, 0, "'25 hours' cannot be converted into a whole number of days"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.conv(tt.d, tt.opts...)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("conversion of %v = %v, %v; want error %q", tt.d, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("conversion of %v = %v, %v; want %v", tt.d, got, err, tt.want)
			}
		})
	}
}

func TestParseDuration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    float64
		wantErr bool
	}{
		{"every component", "P1DT2H3M4.567S", 93784567, false},
		{"fractional seconds", "PT1.5S", 1500, false},
		{"minutes", "PT10M", 600000, false},
		{"days", "P2D", 172800000, false},
		{"hundredths padded to millis", "PT0.05S", 50, false},
		{"fails on no component", "P", 0, true},
		{"fails on an empty time part", "PT", 0, true},
		{"fails on weeks", "P1W", 0, true},
		{"fails on four decimals", "PT4.5678S", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, err := ParseDuration(tt.in)
			if tt.wantErr {
				if err == nil || !strings.Contains(err.Error(), "not a valid ISO duration: "+tt.in) {
					t.Fatalf("ParseDuration(%q) = %v, %v; want an error", tt.in, d, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDuration(%q) error: %v", tt.in, err)
			}
			if got, _ := d.ToMilliseconds(); got != tt.want || d.UnitLabel() != "millis" {
				t.Errorf("ParseDuration(%q) = %v, want Duration.millis(%v)", tt.in, d, tt.want)
			}
		})
	}
}

func TestDurationArithmetic(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		op      func() (Duration, error)
		want    string
		wantErr string
	}{
		{"plus in the finer unit", func() (Duration, error) { return Minutes(1.5).Plus(Seconds(1)) }, "Duration.seconds(91)", ""},
		{"plus of hours and millis", func() (Duration, error) { return Hours(1).Plus(Millis(1)) }, "Duration.millis(3600001)", ""},
		{"minus", func() (Duration, error) { return Minutes(1).Minus(Seconds(30)) }, "Duration.seconds(30)", ""},
		{"fails plus with a fractional amount", func() (Duration, error) { return Seconds(0.5).Plus(Seconds(1)) }, "", "0.5 must be a whole number of seconds"},
		{"fails minus below zero", func() (Duration, error) { return Seconds(1).Minus(Seconds(30)) }, "", "duration amounts cannot be negative. Received: -29"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.op()
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("got %v, %v; want error %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got.String() != tt.want {
				t.Errorf("got %v, %v; want %s", got, err, tt.want)
			}
		})
	}
}

func TestDurationConstructorPanics(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		make func() Duration
		want string
	}{
		{"fails on a negative amount", func() Duration { return Seconds(-1) }, "cdk: Duration amounts cannot be negative. Received: -1"},
		{"fails on a negative fraction", func() Duration { return Days(-0.5) }, "cdk: Duration amounts cannot be negative. Received: -0.5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			defer func() {
				if r := recover(); r != tt.want {
					t.Errorf("panic = %v, want %q", r, tt.want)
				}
			}()
			tt.make()
		})
	}
}

func TestDurationIsZero(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		d    Duration
		want bool
	}{
		{"unset", Duration{}, true},
		{"explicit zero seconds", Seconds(0), false},
		{"one minute", Minutes(1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.d.IsZero(); got != tt.want {
				t.Errorf("%v.IsZero() = %v, want %v", tt.d, got, tt.want)
			}
		})
	}
}

func TestJSNumberString(t *testing.T) {
	t.Parallel()
	tenth := 0.1 // a variable, so that 0.1 + 0.2 is float64 arithmetic, not exact constant arithmetic
	// JavaScript's String(n) for each input.
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"}, {1, "1"}, {-29, "-29"}, {1.5, "1.5"}, {tenth + 0.2, "0.30000000000000004"},
		{0.000001, "0.000001"}, {0.0000001, "1e-7"}, {1.5e-7, "1.5e-7"}, {1e20, "100000000000000000000"},
		{1e21, "1e+21"}, {1.25e22, "1.25e+22"}, {123456789.125, "123456789.125"}, {16666666666666666000, "16666666666666666000"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			if got := jsNumberString(tt.in); got != tt.want {
				t.Errorf("jsNumberString(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func ExampleDuration() {
	timeout := Minutes(15)
	seconds, err := timeout.ToSeconds()
	fmt.Println(seconds, err)
	fmt.Println(timeout.ToIsoString(), "|", timeout.ToHumanString(), "|", timeout)

	// Conversions to a coarser unit must come out whole, unless allowed.
	_, err = Millis(1500).ToSeconds()
	fmt.Println(err)
	fraction, _ := Millis(1500).ToSeconds(TimeConversionOptions{AllowFraction: true})
	fmt.Println(fraction)
	// Output:
	// 900 <nil>
	// PT15M | 15 minutes | Duration.minutes(15)
	// '1500 millis' cannot be converted into a whole number of seconds
	// 1.5
}

func ExampleParseDuration() {
	d, err := ParseDuration("PT1H30M")
	if err != nil {
		panic(err)
	}
	minutes, _ := d.ToMinutes()
	fmt.Println(minutes, d.ToHumanString())
	// Output: 90 1 hour 30 minutes
}

// testNumberToken is a number token as the CDK encodes one: the high word
// 0xFBFF0000 (DOUBLE_TOKEN_MARKER_BITS) and the token's counter below it.
var testNumberToken = math.Float64frombits(0xFBFF0000<<32 | 17)

func TestDurationTokens(t *testing.T) {
	t.Parallel()
	d := Seconds(testNumberToken) // no panic: a token is not a negative amount
	if !d.IsUnresolved() || Seconds(1).IsUnresolved() {
		t.Fatalf("IsUnresolved = %v for a token, %v for 1 second", d.IsUnresolved(), Seconds(1).IsUnresolved())
	}
	tests := []struct {
		name    string
		got     func() (any, error)
		want    any
		wantErr string
	}{
		{"own unit gives the token back", func() (any, error) { v, err := d.ToSeconds(); return math.Float64bits(v), err }, math.Float64bits(testNumberToken), ""},
		{"human string", func() (any, error) { return d.ToHumanString(), nil }, "<token> seconds", ""},
		{"debug string as the CDK prints it", func() (any, error) { return d.String(), nil }, "Duration.seconds(-1.8881545897087535e+289)", ""},
		{"fails converting to another unit", func() (any, error) { return d.ToMinutes() }, nil, "duration must be specified as 'Duration.minutes()' here since its value comes from a token and cannot be converted (got Duration.seconds)"},
		{"fails adding", func() (any, error) { return d.Plus(Seconds(1)) }, nil, "cannot add or subtract a Duration whose amount is a token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.got()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got %v, %v; want error %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestDurationTokenIsoStringPanics(t *testing.T) {
	t.Parallel()
	defer func() {
		r, _ := recover().(string)
		if !strings.Contains(r, "value comes from a token") {
			t.Errorf("panic = %q, want the CDK's token message", r)
		}
	}()
	_ = Minutes(testNumberToken).ToIsoString()
}
