package cdk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Intrinsic is a Resolvable with a fixed value, usually a CloudFormation
// intrinsic function such as {"Fn::Join": [...]}.
type Intrinsic struct {
	value any
	hint  string
}

// NewIntrinsic returns a Resolvable that renders value (resolved in turn).
func NewIntrinsic(value any) *Intrinsic { return &Intrinsic{value: value} }

// Resolve returns the intrinsic's value.
func (i *Intrinsic) Resolve(*ResolveContext) any { return i.value }

func (i *Intrinsic) displayHint() string { return i.hint }

// String describes the intrinsic for error messages.
func (i *Intrinsic) String() string {
	b, err := json.Marshal(i.value)
	if err != nil {
		return fmt.Sprintf("%v", i.value)
	}
	return string(b)
}

// ConditionExpression is a condition usable in a [CfnCondition], in rules,
// and in Fn.If: the result of Fn.Equals, And, Or, Not, Contains, or a
// CfnCondition itself.
type ConditionExpression interface {
	Resolvable
	isConditionExpression()
}

type conditionIntrinsic struct{ Intrinsic }

func (*conditionIntrinsic) isConditionExpression() {}

func condition(v any) ConditionExpression {
	return &conditionIntrinsic{Intrinsic{value: v, hint: "Condition"}}
}

// fnNamespace groups the CloudFormation intrinsic functions; use it through
// the [Fn] variable.
type fnNamespace struct{}

// Fn holds the CloudFormation intrinsic functions, named as in the AWS CDK:
// cdk.Fn.Join(",", list), cdk.Fn.Select(0, azs), …
var Fn fnNamespace

// Ref returns {"Ref": logicalName} as a string token. Prefer the Ref method
// of a construct, which survives logical ID changes.
func (fnNamespace) Ref(logicalName string) string {
	return AsString(&Intrinsic{value: map[string]any{"Ref": logicalName}, hint: logicalName})
}

// GetAtt returns {"Fn::GetAtt": [logicalName, attr]} as a string token.
func (fnNamespace) GetAtt(logicalName, attr string) string {
	return AsString(&Intrinsic{value: map[string]any{"Fn::GetAtt": []any{logicalName, attr}}, hint: logicalName + "." + attr})
}

// Join joins list with delim. Without tokens it joins at once; otherwise it
// renders the smallest Fn::Join.
func (fnNamespace) Join(delim string, list []string) string {
	if !IsUnresolved(list) {
		return strings.Join(list, delim)
	}
	return AsString(LazyWithContext(func(ctx *ResolveContext) any {
		if r := ReverseList(list); r != nil {
			return map[string]any{"Fn::Join": []any{delim, r}}
		}
		parts := make([]any, len(list))
		for i, s := range list {
			parts[i] = ctx.Resolve(s)
		}
		return joinParts(delim, parts)
	}))
}

// Split splits source at delim. Without tokens it splits at once; otherwise
// it returns a list token of Fn::Split. With assumedLength, the result is
// that many Fn::Select items instead, usable one by one.
func (fnNamespace) Split(delim, source string, assumedLength ...int) []string {
	if !IsUnresolved(source) {
		return strings.Split(source, delim)
	}
	split := &Intrinsic{value: map[string]any{"Fn::Split": []any{delim, source}}}
	if len(assumedLength) == 0 {
		return AsList(split)
	}
	out := make([]string, assumedLength[0])
	for i := range out {
		out[i] = AsString(&Intrinsic{value: map[string]any{"Fn::Select": []any{i, split}}})
	}
	return out
}

// Select returns item index of list: at once when the list is known,
// otherwise as Fn::Select.
func (fnNamespace) Select(index int, list []string) string {
	if !IsUnresolved(list) {
		if index < 0 || index >= len(list) {
			panic(fmt.Sprintf("cdk: Fn.Select index %d out of range for a list of %d items", index, len(list)))
		}
		return list[index]
	}
	var l any = list
	if r := ReverseList(list); r != nil {
		l = r
	}
	return AsString(&Intrinsic{value: map[string]any{"Fn::Select": []any{index, l}}})
}

// Sub substitutes ${Name} variables in body; vars add names of their own.
func (fnNamespace) Sub(body string, vars map[string]string) string {
	if len(vars) == 0 {
		return AsString(&Intrinsic{value: map[string]any{"Fn::Sub": body}})
	}
	return AsString(&Intrinsic{value: map[string]any{"Fn::Sub": []any{body, vars}}})
}

// Base64 returns Fn::Base64 of s.
func (fnNamespace) Base64(s string) string {
	return AsString(&Intrinsic{value: map[string]any{"Fn::Base64": s}})
}

// Cidr returns Fn::Cidr: count CIDR blocks of cidrBits host bits from
// ipBlock, as a list token.
func (fnNamespace) Cidr(ipBlock string, count int, cidrBits int) []string {
	return AsList(&Intrinsic{value: map[string]any{"Fn::Cidr": []any{ipBlock, count, fmt.Sprint(cidrBits)}}})
}

// GetAZs returns the Availability Zones of region (the stack's region when
// empty) as a list token.
func (fnNamespace) GetAZs(region string) []string {
	return AsList(&Intrinsic{value: map[string]any{"Fn::GetAZs": region}, hint: "GetAZs"})
}

// ImportValue returns the value another stack exported under name.
func (fnNamespace) ImportValue(name string) string {
	return AsString(&Intrinsic{value: map[string]any{"Fn::ImportValue": name}, hint: "ImportValue"})
}

// FindInMap returns Fn::FindInMap of a mapping.
func (fnNamespace) FindInMap(mapName, key1, key2 string) string {
	return AsString(&Intrinsic{value: map[string]any{"Fn::FindInMap": []any{mapName, key1, key2}}})
}

// If returns Fn::If: ifTrue when the named condition holds, else ifFalse.
// Encode it with AsString (or AsList, AsNumber) to use it as a value.
func (fnNamespace) If(conditionName string, ifTrue, ifFalse any) ConditionExpression {
	return condition(map[string]any{"Fn::If": []any{conditionName, ifTrue, ifFalse}})
}

// Equals returns Fn::Equals of two values.
func (fnNamespace) Equals(a, b any) ConditionExpression {
	return condition(map[string]any{"Fn::Equals": []any{a, b}})
}

// And returns Fn::And of 2 to 10 conditions (a single one is returned as is).
func (fnNamespace) And(conds ...ConditionExpression) ConditionExpression {
	return logical("Fn::And", conds)
}

// Or returns Fn::Or of 2 to 10 conditions (a single one is returned as is).
func (fnNamespace) Or(conds ...ConditionExpression) ConditionExpression {
	return logical("Fn::Or", conds)
}

func logical(fn string, conds []ConditionExpression) ConditionExpression {
	switch {
	case len(conds) == 0:
		panic(fmt.Sprintf("cdk: %s needs at least one condition", fn))
	case len(conds) == 1:
		return conds[0]
	case len(conds) > 10:
		panic(fmt.Sprintf("cdk: %s takes at most 10 conditions, got %d; nest them", fn, len(conds)))
	}
	list := make([]any, len(conds))
	for i, c := range conds {
		list[i] = c
	}
	return condition(map[string]any{fn: list})
}

// Not returns Fn::Not of a condition.
func (fnNamespace) Not(c ConditionExpression) ConditionExpression {
	return condition(map[string]any{"Fn::Not": []any{c}})
}

// Contains returns Fn::Contains (for rules): whether value is in list.
func (fnNamespace) Contains(list []string, value string) ConditionExpression {
	return condition(map[string]any{"Fn::Contains": []any{list, value}})
}

// ToJsonString renders v as a JSON string at synthesis; tokens inside it
// become Fn::Join fragments so that the JSON is completed at deploy time.
func (fnNamespace) ToJsonString(v any) string {
	return AsString(LazyWithContext(func(ctx *ResolveContext) any {
		return toJSONString(ctx, v)
	}))
}

// toJSONString resolves v and renders it as JSON text, leaving intrinsics
// as join parts.
func toJSONString(ctx *ResolveContext, v any) any {
	resolved := ctx.Resolve(v)
	w := &jsonWriter{}
	w.value(resolved)
	w.flush()
	return joinParts("", w.parts)
}

type jsonWriter struct {
	parts []any
	buf   strings.Builder
}

func (w *jsonWriter) flush() {
	if w.buf.Len() > 0 {
		w.parts = append(w.parts, w.buf.String())
		w.buf.Reset()
	}
}

func (w *jsonWriter) intrinsic(v any) {
	w.flush()
	w.parts = append(w.parts, v)
}

// escaped writes s as the inside of a JSON string (no quotes).
func (w *jsonWriter) escaped(s string) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	out := strings.TrimSuffix(b.String(), "\n")
	w.buf.WriteString(out[1 : len(out)-1])
}

func isIntrinsic(m map[string]any) bool {
	if len(m) != 1 {
		return false
	}
	for k := range m {
		return k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::")
	}
	return false
}

// stringValue writes v, a resolved value in a string position.
func (w *jsonWriter) stringContent(v any) {
	switch x := v.(type) {
	case string:
		w.escaped(x)
	case map[string]any:
		if j, ok := x["Fn::Join"].([]any); ok && len(x) == 1 && len(j) == 2 && j[0] == "" {
			if items, ok := j[1].([]any); ok {
				for _, it := range items {
					w.stringContent(it)
				}
				return
			}
		}
		w.intrinsic(x)
	default:
		w.intrinsic(x)
	}
}

func (w *jsonWriter) value(v any) {
	switch x := v.(type) {
	case nil:
		w.buf.WriteString("null")
	case string:
		w.buf.WriteByte('"')
		w.escaped(x)
		w.buf.WriteByte('"')
	case *object:
		w.value(x.toMap())
	case map[string]any:
		if isIntrinsic(x) {
			w.buf.WriteByte('"')
			w.stringContent(x)
			w.buf.WriteByte('"')
			return
		}
		w.buf.WriteByte('{')
		for i, k := range sortedKeys(x) {
			if i > 0 {
				w.buf.WriteByte(',')
			}
			w.buf.WriteByte('"')
			w.escaped(k)
			w.buf.WriteString(`":`)
			w.value(x[k])
		}
		w.buf.WriteByte('}')
	case []any:
		w.buf.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				w.buf.WriteByte(',')
			}
			w.value(e)
		}
		w.buf.WriteByte(']')
	default:
		b, err := json.Marshal(x)
		if err != nil {
			w.buf.WriteString("null")
			return
		}
		w.buf.Write(b)
	}
}

// PseudoParameters are CloudFormation's pseudo parameters as string tokens;
// use them through the [Aws] variable.
type PseudoParameters struct {
	// AccountID is {"Ref": "AWS::AccountId"}.
	AccountID string
	// Region is {"Ref": "AWS::Region"}.
	Region string
	// Partition is {"Ref": "AWS::Partition"}.
	Partition string
	// URLSuffix is {"Ref": "AWS::URLSuffix"}.
	URLSuffix string
	// StackName is {"Ref": "AWS::StackName"}.
	StackName string
	// StackID is {"Ref": "AWS::StackId"}.
	StackID string
	// NotificationARNs is {"Ref": "AWS::NotificationARNs"}, a list token.
	NotificationARNs []string
	// NoValue is {"Ref": "AWS::NoValue"}: removes a property when used as
	// its value.
	NoValue string
}

func pseudo(name string) *Intrinsic {
	return &Intrinsic{value: map[string]any{"Ref": name}, hint: strings.ReplaceAll(name, "::", ".")}
}

// Aws holds the pseudo parameters.
var Aws = PseudoParameters{
	AccountID:        AsString(pseudo("AWS::AccountId")),
	Region:           AsString(pseudo("AWS::Region")),
	Partition:        AsString(pseudo("AWS::Partition")),
	URLSuffix:        AsString(pseudo("AWS::URLSuffix")),
	StackName:        AsString(pseudo("AWS::StackName")),
	StackID:          AsString(pseudo("AWS::StackId")),
	NotificationARNs: AsList(pseudo("AWS::NotificationARNs")),
	NoValue:          AsString(pseudo("AWS::NoValue")),
}
