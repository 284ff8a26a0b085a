package cdk

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// Expectations in this file were produced by aws-cdk-lib 2.276.0's Size.

func TestSizeConversions(t *testing.T) {
	t.Parallel()
	floor := []SizeConversionOptions{{Rounding: SizeRoundingFloor}}
	none := []SizeConversionOptions{{Rounding: SizeRoundingNone}}
	type conv func(Size, ...SizeConversionOptions) (float64, error)
	b, k, m, g, tb, p := Size.ToBytes, Size.ToKibibytes, Size.ToMebibytes, Size.ToGibibytes, Size.ToTebibytes, Size.ToPebibytes
	tests := []struct {
		name    string
		s       Size
		conv    conv
		opts    []SizeConversionOptions
		want    float64
		wantErr string
	}{
		{"kibibytes to bytes", Kibibytes(1500), b, nil, 1536000, ""},
		{"kibibytes to kibibytes", Kibibytes(1500), k, nil, 1500, ""},
		{"mebibytes to bytes", Mebibytes(512), b, nil, 536870912, ""},
		{"mebibytes to kibibytes", Mebibytes(512), k, nil, 524288, ""},
		{"fractional gibibytes to mebibytes", Gibibytes(1.5), m, nil, 1536, ""},
		{"fractional amount in its own unit", Gibibytes(1.5), g, nil, 1.5, ""},
		{"pebibyte to bytes", Pebibytes(1), b, nil, 1125899906842624, ""},
		{"pebibyte to tebibytes", Pebibytes(1), tb, nil, 1024, ""},
		{"pebibyte to pebibytes", Pebibytes(1), p, nil, 1, ""},
		{"half a mebibyte to kibibytes", Mebibytes(0.5), k, nil, 512, ""},
		{"floor", Kibibytes(1500), g, floor, 0, ""},
		{"floor of fractional gibibytes", Gibibytes(1.5), g, floor, 1.5, ""},
		{"floor of a pebibyte", Pebibytes(1), g, floor, 1048576, ""},
		{"no rounding", Kibibytes(1500), g, none, 0.001430511474609375, ""},
		{"no rounding of a byte", Bytes(1), g, none, 9.313225746154785e-10, ""},
		{"zero value behaves as zero bytes", Size{}, m, nil, 0, ""},
		{"fails converting kibibytes to whole mebibytes", Kibibytes(1500), m, nil, 0, "'1500 kibibytes' cannot be converted into a whole number of mebibytes"},
		{"fails converting a byte to whole kibibytes", Bytes(1), k, nil, 0, "'1 bytes' cannot be converted into a whole number of kibibytes"},
		{"fails converting half a mebibyte to whole gibibytes", Mebibytes(0.5), g, nil, 0, "'0.5 mebibytes' cannot be converted into a whole number of gibibytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.conv(tt.s, tt.opts...)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("conversion of %v = %v, %v; want error %q", tt.s, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("conversion of %v = %v, %v; want %v", tt.s, got, err, tt.want)
			}
		})
	}
}

func TestSizeBasics(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		s        Size
		wantStr  string
		wantZero bool
	}{
		{"unset", Size{}, "Size.bytes(0)", true},
		{"explicit zero", Bytes(0), "Size.bytes(0)", false},
		{"mebibytes", Mebibytes(512), "Size.mebibytes(512)", false},
		{"fractional gibibytes", Gibibytes(1.5), "Size.gibibytes(1.5)", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.s.String(); got != tt.wantStr {
				t.Errorf("String() = %q, want %q", got, tt.wantStr)
			}
			if got := tt.s.IsZero(); got != tt.wantZero {
				t.Errorf("IsZero() = %v, want %v", got, tt.wantZero)
			}
		})
	}
}

func TestSizeConstructorPanics(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		make func() Size
		want string
	}{
		{"fails on negative bytes", func() Size { return Bytes(-1) }, "cdk: Storage amounts cannot be negative. Received: -1"},
		{"fails on negative gibibytes", func() Size { return Gibibytes(-0.5) }, "cdk: Storage amounts cannot be negative. Received: -0.5"},
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

func ExampleSize() {
	volume := Gibibytes(20)
	mib, _ := volume.ToMebibytes()
	fmt.Println(mib)

	memory := Mebibytes(1536)
	_, err := memory.ToGibibytes()
	fmt.Println(err)
	floor, _ := memory.ToGibibytes(SizeConversionOptions{Rounding: SizeRoundingFloor})
	exact, _ := memory.ToGibibytes(SizeConversionOptions{Rounding: SizeRoundingNone})
	fmt.Println(floor, exact)
	// Output:
	// 20480
	// '1536 mebibytes' cannot be converted into a whole number of gibibytes
	// 1 1.5
}

func TestSizeTokens(t *testing.T) {
	t.Parallel()
	s := Mebibytes(testNumberToken)
	if !s.IsUnresolved() || Mebibytes(1).IsUnresolved() {
		t.Fatalf("IsUnresolved = %v for a token, %v for 1 MiB", s.IsUnresolved(), Mebibytes(1).IsUnresolved())
	}
	tests := []struct {
		name    string
		conv    func(...SizeConversionOptions) (float64, error)
		wantErr string
	}{
		{"own unit gives the token back", s.ToMebibytes, ""},
		{"fails converting to another unit", s.ToGibibytes, "size must be specified as 'Size.gibibytes()' here since its value comes from a token and cannot be converted (got Size.mebibytes)"},
		{"fails converting even with rounding", func(...SizeConversionOptions) (float64, error) {
			return s.ToBytes(SizeConversionOptions{Rounding: SizeRoundingNone})
		}, "since its value comes from a token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.conv()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got %v, %v; want error %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || math.Float64bits(got) != math.Float64bits(testNumberToken) {
				t.Errorf("got %v, %v; want the token", got, err)
			}
		})
	}
}
