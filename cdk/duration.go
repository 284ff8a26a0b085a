package cdk

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Duration is a length of time, kept as the amount and the unit it was given
// in, as the AWS CDK's Duration is: Minutes(90) stays 90 minutes, so it can
// be rendered as minutes without a rounding trip through another unit.
//
// Create one with [Millis], [Seconds], [Minutes], [Hours], [Days] or
// [ParseDuration], and read it back with the To... methods, which return the
// amount in the unit asked for. A construct property of type Duration is
// optional when its zero value (see [Duration.IsZero]) means its default.
//
// Amounts are float64 like JavaScript numbers, so conversions and rendered
// strings match the CDK's to the bit. The amount may be a number token (a
// value known only at deployment, such as a CfnParameter's ValueAsNumber):
// such a Duration converts only to its own unit, which gives the token back,
// as in the CDK (see [Duration.IsUnresolved]).
type Duration struct {
	amount float64
	unit   timeUnit
}

// TimeConversionOptions tunes the Duration conversions (ToSeconds and its
// siblings). Pass it at most once; its zero value is the CDK's default.
type TimeConversionOptions struct {
	// AllowFraction lets a conversion return a result that is not a whole
	// number, as the CDK's `integral: false` does.
	// Default: false, a result that is not whole is an error.
	AllowFraction bool
}

// timeUnit indexes timeUnits; the zero value is the unit of the zero Duration,
// which behaves as milliseconds.
type timeUnit int

const (
	unsetTimeUnit timeUnit = iota
	millisUnit
	secondsUnit
	minutesUnit
	hoursUnit
	daysUnit
)

var timeUnits = [...]struct {
	label    string
	isoLabel string
	inMillis float64
}{
	unsetTimeUnit: {"millis", "", 1},
	millisUnit:    {"millis", "", 1},
	secondsUnit:   {"seconds", "S", 1_000},
	minutesUnit:   {"minutes", "M", 60_000},
	hoursUnit:     {"hours", "H", 3_600_000},
	daysUnit:      {"days", "D", 86_400_000},
}

func (u timeUnit) String() string { return timeUnits[u].label }

// Millis returns a Duration of amount milliseconds. It panics if amount is
// negative or NaN (a programming mistake; the CDK throws).
func Millis(amount float64) Duration { return newDuration(amount, millisUnit) }

// Seconds returns a Duration of amount seconds. It panics if amount is
// negative or NaN.
func Seconds(amount float64) Duration { return newDuration(amount, secondsUnit) }

// Minutes returns a Duration of amount minutes. It panics if amount is
// negative or NaN.
func Minutes(amount float64) Duration { return newDuration(amount, minutesUnit) }

// Hours returns a Duration of amount hours. It panics if amount is negative
// or NaN.
func Hours(amount float64) Duration { return newDuration(amount, hoursUnit) }

// Days returns a Duration of amount days. It panics if amount is negative or
// NaN.
func Days(amount float64) Duration { return newDuration(amount, daysUnit) }

func newDuration(amount float64, unit timeUnit) Duration {
	if !isNumberToken(amount) && (amount < 0 || math.IsNaN(amount)) {
		panic(fmt.Sprintf("cdk: Duration amounts cannot be negative. Received: %s", jsNumberString(amount)))
	}
	return Duration{amount: amount, unit: unit}
}

var isoDurationPattern = regexp.MustCompile(`^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)\.?(\d{1,3})?S)?)?$`)

// ParseDuration parses an ISO 8601 period such as "P1DT2H3M4.567S" into a
// Duration of milliseconds, as the CDK's Duration.parse does: days are the
// largest unit (no weeks, months or years) and seconds take at most three
// decimals.
func ParseDuration(s string) (Duration, error) {
	m := isoDurationPattern.FindStringSubmatch(s)
	if m == nil || m[1] == "" && m[2] == "" && m[3] == "" && m[4] == "" && m[5] == "" {
		return Duration{}, fmt.Errorf("not a valid ISO duration: %s", s)
	}
	num := func(s string) float64 {
		if s == "" {
			return 0
		}
		f, _ := strconv.ParseFloat(s, 64) // only digits can reach here
		return f
	}
	millis := m[5]
	if millis != "" {
		millis += strings.Repeat("0", 3-len(millis))
	}
	// The same additions in the same order as the CDK; the conversions
	// keep Go from fusing a product into an addition.
	total := num(millis) +
		float64(num(m[4])*timeUnits[secondsUnit].inMillis) +
		float64(num(m[3])*timeUnits[minutesUnit].inMillis) +
		float64(num(m[2])*timeUnits[hoursUnit].inMillis) +
		float64(num(m[1])*timeUnits[daysUnit].inMillis)
	return Millis(total), nil
}

// IsUnresolved reports whether the amount of d is a number token, known
// only at deployment.
func (d Duration) IsUnresolved() bool { return isNumberToken(d.amount) }

// IsZero reports whether d is the zero Duration, the value of a Duration
// property that was left unset. A Duration made by a constructor is never
// zero in this sense, not even Seconds(0).
func (d Duration) IsZero() bool { return d.unit == unsetTimeUnit }

// UnitLabel returns the unit d was created with: "millis", "seconds",
// "minutes", "hours" or "days" ("millis" for the zero Duration).
func (d Duration) UnitLabel() string { return d.unit.String() }

// ToMilliseconds returns d in milliseconds. See [Duration.ToSeconds] for the
// error.
func (d Duration) ToMilliseconds(opts ...TimeConversionOptions) (float64, error) {
	return convertTime(d.amount, d.unit, millisUnit, opts)
}

// ToSeconds returns d in seconds. Unless AllowFraction is set, a result that
// is not a whole number is an error, e.g. for Millis(1500), as is an amount
// that was not whole to begin with when no conversion is needed. A token
// amount converts only to its own unit (Seconds(token).ToSeconds() is the
// token); to any other unit it is an error.
func (d Duration) ToSeconds(opts ...TimeConversionOptions) (float64, error) {
	return convertTime(d.amount, d.unit, secondsUnit, opts)
}

// ToMinutes returns d in minutes. See [Duration.ToSeconds] for the error.
func (d Duration) ToMinutes(opts ...TimeConversionOptions) (float64, error) {
	return convertTime(d.amount, d.unit, minutesUnit, opts)
}

// ToHours returns d in hours. See [Duration.ToSeconds] for the error.
func (d Duration) ToHours(opts ...TimeConversionOptions) (float64, error) {
	return convertTime(d.amount, d.unit, hoursUnit, opts)
}

// ToDays returns d in days. See [Duration.ToSeconds] for the error.
func (d Duration) ToDays(opts ...TimeConversionOptions) (float64, error) {
	return convertTime(d.amount, d.unit, daysUnit, opts)
}

// Plus returns d + rhs in the finer of their two units. As in the CDK both
// amounts must be whole numbers in that unit, or it is an error:
// Seconds(0.5).Plus(Seconds(1)) fails, Minutes(1.5).Plus(Seconds(1)) is
// 91 seconds. Adding a token amount is an error (where the CDK would add
// to the encoded number).
func (d Duration) Plus(rhs Duration) (Duration, error) {
	unit, a, b, err := d.commonUnit(rhs)
	if err != nil {
		return Duration{}, err
	}
	return Duration{amount: a + b, unit: unit}, nil
}

// Minus returns d - rhs in the finer of their two units, under the same rule
// as [Duration.Plus]. A negative result is an error.
func (d Duration) Minus(rhs Duration) (Duration, error) {
	unit, a, b, err := d.commonUnit(rhs)
	if err != nil {
		return Duration{}, err
	}
	if a-b < 0 {
		return Duration{}, fmt.Errorf("duration amounts cannot be negative. Received: %s", jsNumberString(a-b))
	}
	return Duration{amount: a - b, unit: unit}, nil
}

func (d Duration) commonUnit(rhs Duration) (timeUnit, float64, float64, error) {
	if d.IsUnresolved() || rhs.IsUnresolved() {
		return 0, 0, 0, fmt.Errorf("cannot add or subtract a Duration whose amount is a token (%v, %v)", d, rhs)
	}
	unit := d.unit
	if timeUnits[rhs.unit].inMillis < timeUnits[unit].inMillis {
		unit = rhs.unit
	}
	if unit == unsetTimeUnit {
		unit = millisUnit
	}
	a, err := convertTime(d.amount, d.unit, unit, nil)
	if err != nil {
		return 0, 0, 0, err
	}
	b, err := convertTime(rhs.amount, rhs.unit, unit, nil)
	if err != nil {
		return 0, 0, 0, err
	}
	return unit, a, b, nil
}

// ToIsoString returns d as an ISO 8601 period, e.g. "PT1M30S" for
// Seconds(90) and "PT0.5S" for Millis(500); "PT0S" for any zero amount. It
// panics if the amount is a token, which has no ISO form before deployment
// (the CDK throws).
func (d Duration) ToIsoString() string {
	if d.amount == 0 {
		return "PT0S"
	}
	if d.IsUnresolved() {
		_, err := convertTime(d.amount, d.unit, daysUnit, nil)
		panic("cdk: " + err.Error())
	}
	var b strings.Builder
	b.WriteString("P")
	tee := false
	for _, c := range d.components(true) {
		if !tee && (c.unit == secondsUnit || c.unit == minutesUnit || c.unit == hoursUnit) {
			b.WriteString("T")
			tee = true
		}
		b.WriteString(jsNumberString(c.amount))
		b.WriteString(timeUnits[c.unit].isoLabel)
	}
	return b.String()
}

// ToHumanString returns d for people, in its two largest whole components:
// "1 minute 30 seconds" for Seconds(90), "1 hour 1 minute" for
// Seconds(3661), "0 seconds" for Seconds(0), "<token> seconds" for a token
// amount.
func (d Duration) ToHumanString() string {
	unit := d.unit
	if unit == unsetTimeUnit {
		unit = millisUnit
	}
	if d.amount == 0 {
		return humanUnit(0, unit)
	}
	if d.IsUnresolved() {
		return "<token> " + timeUnits[unit].label
	}
	comps := d.components(false)
	if len(comps) > 2 {
		comps = comps[:2]
	}
	parts := make([]string, len(comps))
	for i, c := range comps {
		parts[i] = humanUnit(c.amount, c.unit)
	}
	return strings.Join(parts, " ")
}

func humanUnit(amount float64, unit timeUnit) string {
	label := timeUnits[unit].label
	if amount == 1 {
		label = label[:len(label)-1] // every label ends in "s"
	}
	return jsNumberString(amount) + " " + label
}

// String returns the Go-independent spelling the CDK uses, e.g.
// "Duration.seconds(30)". It is for messages, never for templates: use the
// To... methods there.
func (d Duration) String() string {
	return "Duration." + d.unit.String() + "(" + jsNumberString(d.amount) + ")"
}

type durationComponent struct {
	amount float64
	unit   timeUnit
}

// components splits d into days, hours, minutes, seconds and a millisecond
// remainder, largest first, leaving out zeros. With combineMillis the seconds
// keep their fraction (for the ISO form).
func (d Duration) components(combineMillis bool) []durationComponent {
	var out []durationComponent
	millis, _ := convertTime(d.amount, d.unit, millisUnit, []TimeConversionOptions{{AllowFraction: true}})
	for _, unit := range []timeUnit{daysUnit, hoursUnit, minutesUnit, secondsUnit} {
		count, _ := convertTime(millis, millisUnit, unit, []TimeConversionOptions{{AllowFraction: true}})
		whole := count
		if unit != secondsUnit || !combineMillis {
			whole = math.Floor(count)
		}
		if whole > 0 {
			out = append(out, durationComponent{whole, unit})
			millis -= float64(whole * timeUnits[unit].inMillis)
		}
	}
	if millis > 0.0001 {
		out = append(out, durationComponent{millis, millisUnit})
	}
	return out
}

func convertTime(amount float64, from, to timeUnit, opts []TimeConversionOptions) (float64, error) {
	integral := true
	for _, o := range opts {
		integral = !o.AllowFraction
	}
	fromMillis, toMillis := timeUnits[from].inMillis, timeUnits[to].inMillis
	if fromMillis == toMillis {
		if integral && !isNumberToken(amount) && !isWholeNumber(amount) {
			return 0, fmt.Errorf("%s must be a whole number of %s", jsNumberString(amount), to)
		}
		return amount, nil
	}
	if isNumberToken(amount) {
		return 0, fmt.Errorf("duration must be specified as 'Duration.%s()' here since its value comes from a token and cannot be converted (got Duration.%s)", to, from)
	}
	value := float64(amount*fromMillis) / toMillis
	if integral && !isWholeNumber(value) {
		return 0, fmt.Errorf("'%s %s' cannot be converted into a whole number of %s", jsNumberString(amount), from, to)
	}
	return value, nil
}

// isNumberToken reports whether f encodes a number token: the AWS CDK's
// extractTokenDouble test, the top 16 bits of the float64 being those of
// DOUBLE_TOKEN_MARKER_BITS (-67174400 as the high 32-bit word).
func isNumberToken(f float64) bool { return math.Float64bits(f)>>48 == 0xFBFF }

// isWholeNumber is JavaScript's Number.isInteger.
func isWholeNumber(f float64) bool {
	return !math.IsInf(f, 0) && !math.IsNaN(f) && f == math.Trunc(f)
}

// jsNumberString formats f as JavaScript's Number.prototype.toString does
// (shortest round-trip digits; exponent form below 1e-6 and from 1e21), so
// that amounts render as in the CDK: 1.5, 0.005, 1e+21.
func jsNumberString(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0"
	case f < 0:
		return "-" + jsNumberString(-f)
	}
	// Shortest digits d1.d2...dk and decimal exponent e: f = 0.d1...dk × 10^n with n = e+1.
	e := strconv.FormatFloat(f, 'e', -1, 64)
	mant, exp, _ := strings.Cut(e, "e")
	digits := strings.Replace(mant, ".", "", 1)
	x, _ := strconv.Atoi(exp)
	n, k := x+1, len(digits)
	switch {
	case k <= n && n <= 21:
		return digits + strings.Repeat("0", n-k)
	case 0 < n && n <= 21:
		return digits[:n] + "." + digits[n:]
	case -6 < n && n <= 0:
		return "0." + strings.Repeat("0", -n) + digits
	}
	exponent := "e+" + strconv.Itoa(n-1)
	if n-1 < 0 {
		exponent = "e-" + strconv.Itoa(1-n)
	}
	if k == 1 {
		return digits + exponent
	}
	return digits[:1] + "." + digits[1:] + exponent
}
