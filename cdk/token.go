package cdk

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// Resolvable is a value that is only known at synthesis (or deploy) time. The
// resolver calls Resolve with the context of the template being rendered and
// resolves whatever it returns again, so a Resolvable may return other tokens,
// intrinsic functions as maps, or plain values.
//
// Resolvables are usually not handled directly: encode them into ordinary Go
// values with [AsString], [AsList], [AsNumber] or [AsInt], and the resolver
// turns the encoded value back into the Resolvable when it renders a template.
type Resolvable interface {
	Resolve(ctx *ResolveContext) any
}

// Token markers, identical to the AWS CDK's so that values printed by either
// library read the same.
const (
	stringTokenBegin = "${Token["
	listTokenBegin   = "#{Token["
	tokenEnd         = "]}"
)

// doubleTokenMarker is the high 32 bits of a float64 that encodes a number
// token (the AWS CDK's DOUBLE_TOKEN_MARKER_BITS, -67174400 as int32).
const doubleTokenMarker = uint64(0xFBFF0000) << 32

// intTokenBase is the origin of int-encoded tokens: token n is intTokenBase-n.
// No configuration value a user writes comes near it.
const intTokenBase = -(1 << 62)

// maxTokens bounds the counter so that number encodings stay unambiguous.
const maxTokens = 1 << 31

var (
	tokenPattern          = regexp.MustCompile(`[$#]\{Token\[([A-Za-z0-9_.\-]+)\]\}`)
	stringifiedNumPattern = regexp.MustCompile(`-1\.\d{10,16}e\+289`)
	stringifiedIntPattern = regexp.MustCompile(`-46116860\d{11}`)
	invalidHintChars      = regexp.MustCompile(`[^A-Za-z0-9_\-]`)
)

// tokenMap is the process-wide registry of encoded tokens, as in the AWS
// CDK. It only grows; tokens are cheap and live as long as the program.
var tokenMap = struct {
	sync.RWMutex
	counter uint32
	byKey   map[string]Resolvable
	byNum   map[uint32]Resolvable
	strOf   map[Resolvable]string
}{
	byKey: map[string]Resolvable{},
	byNum: map[uint32]Resolvable{},
	strOf: map[Resolvable]string{},
}

func comparable_(r Resolvable) bool {
	return reflect.TypeOf(r).Comparable()
}

func registerToken(r Resolvable, hint string) (uint32, string) {
	if r == nil {
		panic("cdk: cannot encode a nil Resolvable as a token")
	}
	cmp := comparable_(r)
	tokenMap.Lock()
	defer tokenMap.Unlock()
	if cmp {
		if key, ok := tokenMap.strOf[r]; ok {
			n := parseCounter(key)
			return n, key
		}
	}
	tokenMap.counter++
	if tokenMap.counter >= maxTokens {
		panic("cdk: too many tokens in one process")
	}
	n := tokenMap.counter
	if hint == "" {
		hint = "TOKEN"
	}
	key := invalidHintChars.ReplaceAllString(hint, ".") + "." + strconv.FormatUint(uint64(n), 10)
	tokenMap.byKey[key] = r
	tokenMap.byNum[n] = r
	if cmp {
		tokenMap.strOf[r] = key
	}
	return n, key
}

func parseCounter(key string) uint32 {
	i := strings.LastIndexByte(key, '.')
	n, _ := strconv.ParseUint(key[i+1:], 10, 32)
	return uint32(n)
}

func lookupKey(key string) Resolvable {
	tokenMap.RLock()
	defer tokenMap.RUnlock()
	return tokenMap.byKey[key]
}

func lookupNum(n uint32) Resolvable {
	tokenMap.RLock()
	defer tokenMap.RUnlock()
	return tokenMap.byNum[n]
}

// displayHinter is implemented by Resolvables that suggest a readable name
// for their token (e.g. "AWS.Region").
type displayHinter interface {
	displayHint() string
}

func hintOf(r Resolvable) string {
	if h, ok := r.(displayHinter); ok {
		return h.displayHint()
	}
	return ""
}

// AsString encodes r as a string token. The string can be concatenated,
// formatted with fmt and stored anywhere a string is expected; the resolver
// turns it back into r (inside an Fn::Join when it was concatenated).
// Encoding the same comparable Resolvable twice gives the same string.
func AsString(r Resolvable) string {
	_, key := registerToken(r, hintOf(r))
	return stringTokenBegin + key + tokenEnd
}

// AsList encodes r, whose value is a list of strings, as a one-element
// list token. Its element must not be used on its own: use Fn.Select to take
// one item of a token list.
func AsList(r Resolvable) []string {
	_, key := registerToken(r, hintOf(r))
	return []string{listTokenBegin + key + tokenEnd}
}

// AsNumber encodes r as a float64 token: a special value (a huge negative
// number) that the resolver recognises, also once formatted into a string.
func AsNumber(r Resolvable) float64 {
	n, _ := registerToken(r, hintOf(r))
	return math.Float64frombits(doubleTokenMarker | uint64(n))
}

// AsInt encodes r as an int token, for integer-typed fields.
func AsInt(r Resolvable) int {
	n, _ := registerToken(r, hintOf(r))
	return intTokenBase - int(n)
}

func numberToken(f float64) (Resolvable, bool) {
	bits := math.Float64bits(f)
	if bits&0xFFFFFFFF00000000 != doubleTokenMarker {
		return nil, false
	}
	r := lookupNum(uint32(bits))
	return r, r != nil
}

func intToken(i int64) (Resolvable, bool) {
	if i > intTokenBase || i <= intTokenBase-maxTokens {
		return nil, false
	}
	r := lookupNum(uint32(int64(intTokenBase) - i))
	return r, r != nil
}

// IsUnresolved reports whether v is or contains a token: a string with an
// encoded token, a token number, a list token, or a Resolvable. Constructs
// use it to skip validating values that are only known later.
func IsUnresolved(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case Resolvable:
		return true
	case string:
		return containsToken(x)
	case []string:
		for _, s := range x {
			if containsToken(s) {
				return true
			}
		}
		return false
	case float64:
		_, ok := numberToken(x)
		return ok
	case int:
		_, ok := intToken(int64(x))
		return ok
	case *string:
		return x != nil && containsToken(*x)
	case *float64:
		return x != nil && IsUnresolved(*x)
	case *int:
		return x != nil && IsUnresolved(*x)
	}
	return false
}

func containsToken(s string) bool {
	if strings.Contains(s, stringTokenBegin) || strings.Contains(s, listTokenBegin) {
		return tokenPattern.MatchString(s)
	}
	if strings.Contains(s, "e+289") && stringifiedNumPattern.MatchString(s) {
		return true
	}
	if strings.Contains(s, "-46116860") && stringifiedIntPattern.MatchString(s) {
		for _, m := range stringifiedIntPattern.FindAllString(s, -1) {
			if i, err := strconv.ParseInt(m, 10, 64); err == nil {
				if _, ok := intToken(i); ok {
					return true
				}
			}
		}
	}
	return false
}

// ReverseString returns the Resolvable that s encodes when s is exactly one
// string token, or nil otherwise.
func ReverseString(s string) Resolvable {
	if !strings.HasPrefix(s, stringTokenBegin) || !strings.HasSuffix(s, tokenEnd) {
		return nil
	}
	m := tokenPattern.FindStringSubmatchIndex(s)
	if m == nil || m[0] != 0 || m[1] != len(s) {
		return nil
	}
	return lookupKey(s[m[2]:m[3]])
}

// ReverseList returns the Resolvable that l encodes when l is a list token,
// or nil otherwise.
func ReverseList(l []string) Resolvable {
	if len(l) != 1 || !strings.HasPrefix(l[0], listTokenBegin) {
		return nil
	}
	m := tokenPattern.FindStringSubmatchIndex(l[0])
	if m == nil || m[0] != 0 || m[1] != len(l[0]) {
		return nil
	}
	return lookupKey(l[0][m[2]:m[3]])
}

// fragment is a piece of a string: a literal, or a token.
type fragment struct {
	lit   string
	token Resolvable
	list  bool // a list token found inside a string
}

// splitString cuts s into literal and token fragments. Unknown token
// markers are kept as literals.
func splitString(s string) []fragment {
	if !containsToken(s) {
		return []fragment{{lit: s}}
	}
	type hit struct {
		start, end int
		r          Resolvable
		list       bool
	}
	var hits []hit
	for _, m := range tokenPattern.FindAllStringSubmatchIndex(s, -1) {
		if r := lookupKey(s[m[2]:m[3]]); r != nil {
			hits = append(hits, hit{m[0], m[1], r, s[m[0]] == '#'})
		}
	}
	for _, m := range stringifiedNumPattern.FindAllStringIndex(s, -1) {
		f, err := strconv.ParseFloat(s[m[0]:m[1]], 64)
		if err != nil {
			continue
		}
		if r, ok := numberToken(f); ok {
			hits = append(hits, hit{m[0], m[1], r, false})
		}
	}
	for _, m := range stringifiedIntPattern.FindAllStringIndex(s, -1) {
		i, err := strconv.ParseInt(s[m[0]:m[1]], 10, 64)
		if err != nil {
			continue
		}
		if r, ok := intToken(i); ok {
			hits = append(hits, hit{m[0], m[1], r, false})
		}
	}
	// Sort by position (few hits: insertion sort).
	for i := 1; i < len(hits); i++ {
		for j := i; j > 0 && hits[j].start < hits[j-1].start; j-- {
			hits[j], hits[j-1] = hits[j-1], hits[j]
		}
	}
	var out []fragment
	pos := 0
	for _, h := range hits {
		if h.start < pos {
			continue
		}
		if h.start > pos {
			out = append(out, fragment{lit: s[pos:h.start]})
		}
		out = append(out, fragment{token: h.r, list: h.list})
		pos = h.end
	}
	if pos < len(s) {
		out = append(out, fragment{lit: s[pos:]})
	}
	return out
}

// Lazy values are computed when the template is rendered, after the whole
// construct tree has been built.

type lazy struct {
	produce func(ctx *ResolveContext) any
	hint    string
}

func (l *lazy) Resolve(ctx *ResolveContext) any { return l.produce(ctx) }
func (l *lazy) displayHint() string             { return l.hint }

// LazyString returns a string token whose value produce computes at
// synthesis time. produce may return a string that itself holds tokens.
func LazyString(produce func() string) string {
	return AsString(&lazy{produce: func(*ResolveContext) any { return produce() }})
}

// LazyList returns a list token whose value produce computes at synthesis.
func LazyList(produce func() []string) []string {
	return AsList(&lazy{produce: func(*ResolveContext) any { return produce() }})
}

// LazyNumber returns a number token whose value produce computes at
// synthesis.
func LazyNumber(produce func() float64) float64 {
	return AsNumber(&lazy{produce: func(*ResolveContext) any { return produce() }})
}

// LazyAny returns a Resolvable whose value produce computes at synthesis; the
// value may be any JSON-like Go value (maps, slices, tokens). When produce
// returns nil the property it stands for is left out of the template.
func LazyAny(produce func() any) Resolvable {
	return &lazy{produce: func(*ResolveContext) any { return produce() }}
}

// LazyWithContext is LazyAny with access to the resolve context (the stack
// and construct being rendered).
func LazyWithContext(produce func(ctx *ResolveContext) any) Resolvable {
	return &lazy{produce: produce}
}

// describeToken gives a short human description of a token for errors.
func describeToken(r Resolvable) string {
	if s, ok := r.(fmt.Stringer); ok {
		return s.String()
	}
	return fmt.Sprintf("%T", r)
}
