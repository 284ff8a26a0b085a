package cdk

import (
	"fmt"
	"math"
)

// Size is an amount of digital storage, kept as the amount and the unit it
// was given in, as the AWS CDK's Size is. Units are binary: a kibibyte is
// 1024 bytes.
//
// Create one with [Bytes], [Kibibytes], [Mebibytes], [Gibibytes],
// [Tebibytes] or [Pebibytes] and read it back with the To... methods. A
// construct property of type Size is optional when its zero value (see
// [Size.IsZero]) means its default.
//
// Amounts are float64 like JavaScript numbers, so conversions match the
// CDK's to the bit. The amount may be a number token (a value known only at
// deployment): such a Size converts only to its own unit, which gives the
// token back, as in the CDK (see [Size.IsUnresolved]).
type Size struct {
	amount float64
	unit   storageUnit
}

// SizeRoundingBehavior says what a Size conversion does with a result that is
// not a whole number.
type SizeRoundingBehavior int

const (
	// SizeRoundingFail makes a conversion whose result is not a whole
	// number an error. It is the default.
	SizeRoundingFail SizeRoundingBehavior = iota
	// SizeRoundingFloor rounds a result that is not a whole number down.
	SizeRoundingFloor
	// SizeRoundingNone returns the result as it is, fraction and all.
	SizeRoundingNone
)

// SizeConversionOptions tunes the Size conversions (ToMebibytes and its
// siblings). Pass it at most once; its zero value is the CDK's default.
type SizeConversionOptions struct {
	// Rounding says what to do with a result that is not a whole number.
	// Default: SizeRoundingFail, such a result is an error.
	Rounding SizeRoundingBehavior
}

// storageUnit indexes storageUnits; the zero value is the unit of the zero
// Size, which behaves as bytes.
type storageUnit int

const (
	unsetStorageUnit storageUnit = iota
	bytesUnit
	kibibytesUnit
	mebibytesUnit
	gibibytesUnit
	tebibytesUnit
	pebibytesUnit
)

var storageUnits = [...]struct {
	label   string
	inBytes float64
}{
	unsetStorageUnit: {"bytes", 1},
	bytesUnit:        {"bytes", 1},
	kibibytesUnit:    {"kibibytes", 1 << 10},
	mebibytesUnit:    {"mebibytes", 1 << 20},
	gibibytesUnit:    {"gibibytes", 1 << 30},
	tebibytesUnit:    {"tebibytes", 1 << 40},
	pebibytesUnit:    {"pebibytes", 1 << 50},
}

func (u storageUnit) String() string { return storageUnits[u].label }

// Bytes returns a Size of amount bytes. It panics if amount is negative or
// NaN (a programming mistake; the CDK throws).
func Bytes(amount float64) Size { return newSize(amount, bytesUnit) }

// Kibibytes returns a Size of amount KiB (1024 bytes each). It panics if
// amount is negative or NaN.
func Kibibytes(amount float64) Size { return newSize(amount, kibibytesUnit) }

// Mebibytes returns a Size of amount MiB (1024 KiB each). It panics if
// amount is negative or NaN.
func Mebibytes(amount float64) Size { return newSize(amount, mebibytesUnit) }

// Gibibytes returns a Size of amount GiB (1024 MiB each). It panics if
// amount is negative or NaN.
func Gibibytes(amount float64) Size { return newSize(amount, gibibytesUnit) }

// Tebibytes returns a Size of amount TiB (1024 GiB each). It panics if
// amount is negative or NaN.
func Tebibytes(amount float64) Size { return newSize(amount, tebibytesUnit) }

// Pebibytes returns a Size of amount PiB (1024 TiB each). It panics if
// amount is negative or NaN.
func Pebibytes(amount float64) Size { return newSize(amount, pebibytesUnit) }

func newSize(amount float64, unit storageUnit) Size {
	if !isNumberToken(amount) && (amount < 0 || math.IsNaN(amount)) {
		panic(fmt.Sprintf("cdk: Storage amounts cannot be negative. Received: %s", jsNumberString(amount)))
	}
	return Size{amount: amount, unit: unit}
}

// IsUnresolved reports whether the amount of s is a number token, known only
// at deployment.
func (s Size) IsUnresolved() bool { return isNumberToken(s.amount) }

// IsZero reports whether s is the zero Size, the value of a Size property
// that was left unset. A Size made by a constructor is never zero in this
// sense, not even Bytes(0).
func (s Size) IsZero() bool { return s.unit == unsetStorageUnit }

// ToBytes returns s in bytes. See [Size.ToMebibytes] for the error.
func (s Size) ToBytes(opts ...SizeConversionOptions) (float64, error) {
	return convertSize(s.amount, s.unit, bytesUnit, opts)
}

// ToKibibytes returns s in KiB. See [Size.ToMebibytes] for the error.
func (s Size) ToKibibytes(opts ...SizeConversionOptions) (float64, error) {
	return convertSize(s.amount, s.unit, kibibytesUnit, opts)
}

// ToMebibytes returns s in MiB. With the default rounding, a result that is
// not a whole number is an error, e.g. for Kibibytes(1500); an amount that
// needs no conversion is returned as it is, whole or not, as in the CDK. A
// token amount converts only to its own unit; to any other unit it is an
// error.
func (s Size) ToMebibytes(opts ...SizeConversionOptions) (float64, error) {
	return convertSize(s.amount, s.unit, mebibytesUnit, opts)
}

// ToGibibytes returns s in GiB. See [Size.ToMebibytes] for the error.
func (s Size) ToGibibytes(opts ...SizeConversionOptions) (float64, error) {
	return convertSize(s.amount, s.unit, gibibytesUnit, opts)
}

// ToTebibytes returns s in TiB. See [Size.ToMebibytes] for the error.
func (s Size) ToTebibytes(opts ...SizeConversionOptions) (float64, error) {
	return convertSize(s.amount, s.unit, tebibytesUnit, opts)
}

// ToPebibytes returns s in PiB. See [Size.ToMebibytes] for the error.
func (s Size) ToPebibytes(opts ...SizeConversionOptions) (float64, error) {
	return convertSize(s.amount, s.unit, pebibytesUnit, opts)
}

// String returns the spelling the CDK's constructors use, e.g.
// "Size.mebibytes(512)". It is for messages, never for templates: use the
// To... methods there.
func (s Size) String() string {
	return "Size." + s.unit.String() + "(" + jsNumberString(s.amount) + ")"
}

func convertSize(amount float64, from, to storageUnit, opts []SizeConversionOptions) (float64, error) {
	rounding := SizeRoundingFail
	for _, o := range opts {
		rounding = o.Rounding
	}
	if storageUnits[from].inBytes == storageUnits[to].inBytes {
		return amount, nil
	}
	if isNumberToken(amount) {
		return 0, fmt.Errorf("size must be specified as 'Size.%s()' here since its value comes from a token and cannot be converted (got Size.%s)", to, from)
	}
	// Same operations in the same order as the CDK: a multiplier first.
	multiplier := storageUnits[from].inBytes / storageUnits[to].inBytes
	value := amount * multiplier
	switch rounding {
	case SizeRoundingNone:
		return value, nil
	case SizeRoundingFloor:
		return math.Floor(value), nil
	default:
		if !isWholeNumber(value) {
			return 0, fmt.Errorf("'%s %s' cannot be converted into a whole number of %s", jsNumberString(amount), from, to)
		}
		return value, nil
	}
}
