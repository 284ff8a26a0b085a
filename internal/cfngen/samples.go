package cfngen

import (
	"fmt"
	"math"
	"regexp"
	"regexp/syntax"
	"sort"
	"strconv"
	"strings"
)

// Samples renders a Go test file of package pkgName with a function
// addSamples(app *cdk.App) that adds one stack per package and, in it, one
// resource of every type with its required properties set to placeholder
// values that satisfy the schema (enum, const, pattern, format, length and
// range constraints).
func Samples(pkgs []*Package, importBase, pkgName string) ([]byte, error) {
	var w writer
	w.p("%s", Header)
	w.p("")
	w.p("package %s", pkgName)
	w.p("")
	w.p("import (")
	w.p("\t%q", ModulePath+"/cdk")
	for _, p := range pkgs {
		w.p("\t%q", importBase+"/"+p.Dir)
	}
	w.p(")")
	w.p("")
	w.p("// addSamples adds a stack per generated package to app, holding one resource of each of its")
	w.p("// types with the required properties set to placeholder values.")
	w.p("func addSamples(app *cdk.App) {")
	for _, p := range pkgs {
		w.p("\t{")
		w.p("\t\ts := cdk.NewStack(app, %q, cdk.StackProps{})", "Samples-"+p.Dir)
		for _, r := range p.Resources {
			sm := &sampler{r: r, q: p.Name + "."}
			w.p("\t\t%s.New%s(s, %q, %s)", p.Name, r.GoName, strings.TrimPrefix(r.GoName, "Cfn"), sm.structLit(r.Props, 0))
		}
		w.p("\t}")
	}
	w.p("}")
	return gofmt("samples", w.Bytes())
}

type sampler struct {
	r *Resource
	q string // package qualifier, "cfneks."
}

// sampleRequired are properties cfn-lint's own rules (beyond the schemas)
// require, by "Type" or "Type/Definition", for the samples only.
var sampleRequired = map[string][]string{
	"AWS::EC2::SecurityGroupIngress": {"CidrIp"},
	"AWS::EC2::SecurityGroupEgress":  {"CidrIp"},
	"AWS::EC2::Instance":             {"ImageId"},
}

// sampleValues are placeholder values (Go expressions) for properties
// whose content cfn-lint checks beyond their schema, by "Type/Property".
var sampleValues = map[string]string{
	"AWS::SSM::Document/Content": `map[string]any{"schemaVersion": "2.2", "description": "sample", "mainSteps": []any{map[string]any{"action": "aws:runShellScript", "name": "sample", "inputs": map[string]any{"runCommand": []any{"echo sample"}}}}}`,
}

// requiredOf returns the names of the properties a sample sets: the
// schema's required ones, the first of requiredXor/requiredOr and of the
// first oneOf/anyOf branch that lists any, those dependentRequired brings
// in, sampleRequired, and for an object with minProperties and nothing
// required its first property.
func requiredOf(s *Schema, key string) map[string]bool {
	req := map[string]bool{}
	for _, n := range s.Required {
		req[n] = true
	}
	for _, l := range []StringList{s.RequiredXor, s.RequiredOr} {
		if len(l) > 0 {
			req[l[0]] = true
		}
	}
	for _, l := range [][]*Schema{s.OneOf, s.AnyOf} {
		for _, b := range l {
			if len(b.Required) > 0 {
				for _, n := range b.Required {
					req[n] = true
				}
				break
			}
		}
	}
	for _, b := range s.AllOf {
		for _, n := range b.Required {
			req[n] = true
		}
	}
	for _, n := range sampleRequired[key] {
		req[n] = true
	}
	for changed := true; changed; {
		changed = false
		for n, deps := range s.DependentRequired {
			if !req[n] {
				continue
			}
			for _, d := range deps {
				if !req[d] {
					req[d] = true
					changed = true
				}
			}
		}
	}
	if len(req) == 0 && s.MinProperties != nil && *s.MinProperties > 0 {
		names := make([]string, 0, len(s.Properties))
		for n := range s.Properties {
			names = append(names, n)
		}
		sort.Strings(names)
		if len(names) > 0 {
			req[names[0]] = true
		}
	}
	return req
}

func (sm *sampler) structLit(st *Struct, depth int) string {
	rs := sm.r.Schema
	s, key := st.Schema, sm.r.TypeName+"/"+st.CfnName
	if st == sm.r.Props {
		s = &Schema{Properties: rs.Properties, Required: rs.Required, OneOf: rs.OneOf, AnyOf: rs.AnyOf,
			RequiredXor: rs.RequiredXor, RequiredOr: rs.RequiredOr, DependentRequired: rs.DependentRequired}
		key = sm.r.TypeName
	}
	req := requiredOf(s, key)
	var parts []string
	if depth < 8 {
		for _, f := range st.Fields {
			if !req[f.CfnName] {
				continue
			}
			v, ok := sampleValues[sm.r.TypeName+"/"+f.CfnName]
			if !ok || st != sm.r.Props {
				v = sm.value(f.Type, f.Schema, f.CfnName, depth+1)
			}
			parts = append(parts, f.GoName+": "+v)
		}
	}
	return sm.q + st.GoName + "{" + strings.Join(parts, ", ") + "}"
}

func (sm *sampler) value(t *Type, s *Schema, name string, depth int) string {
	switch t.Kind {
	case KindString:
		return strconv.Quote(sampleString(s, name))
	case KindInt:
		return "cdk.Ptr(" + strconv.FormatInt(int64(sampleNumber(s, true)), 10) + ")"
	case KindFloat:
		return "cdk.Ptr(float64(" + strconv.FormatFloat(sampleNumber(s, false), 'g', -1, 64) + "))"
	case KindBool:
		return "cdk.Ptr(false)"
	case KindStruct:
		return "&" + sm.structLit(t.Struct, depth)
	case KindTags:
		return `[]cdk.CfnTag{{Key: "sample", Value: "sample"}}`
	case KindMap:
		key := "key"
		for p := range s.PatternProperties {
			key = fromPattern(p, 1, 0)
			break
		}
		return fmt.Sprintf("map[string]string{%q: %q}", key, sampleString(sm.r.mapValue(s), name))
	case KindList:
		n := 1
		if s.MinItems != nil && *s.MinItems > 1 {
			n = *s.MinItems
		}
		items := &Schema{}
		if s.Items != nil {
			items, _ = sm.r.deref(s.Items)
		}
		elems := make([]string, n)
		for i := range elems {
			e := sm.elem(t.Elem, items, name, depth)
			if n > 1 && t.Elem.Kind == KindString {
				e = strconv.Quote(sampleString(items, name) + strconv.Itoa(i))
				if items.Pattern != "" || len(items.enum()) > 0 {
					e = strconv.Quote(sampleString(items, name))
				}
			}
			elems[i] = e
		}
		typ := t.ElemExpr()
		if t.Elem.Kind == KindStruct {
			typ = "[]" + sm.q + t.Elem.Struct.GoName
		}
		return typ + "{" + strings.Join(elems, ", ") + "}"
	}
	return sm.anyValue(s, name)
}

// elem is a list element's literal (value, not pointer).
func (sm *sampler) elem(t *Type, s *Schema, name string, depth int) string {
	switch t.Kind {
	case KindInt:
		return strconv.FormatInt(int64(sampleNumber(s, true)), 10)
	case KindFloat:
		return strconv.FormatFloat(sampleNumber(s, false), 'g', -1, 64)
	case KindBool:
		return "false"
	case KindStruct:
		return sm.structLit(t.Struct, depth)
	}
	return sm.value(t, s, name, depth)
}

func (sm *sampler) anyValue(s *Schema, name string) string {
	types := map[string]bool{}
	for _, t := range s.Type {
		types[t] = true
	}
	switch {
	case name == "AssumeRolePolicyDocument":
		return `map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{"Effect": "Allow", "Principal": map[string]any{"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}}}`
	case strings.Contains(name, "Polic") && strings.HasPrefix(sm.r.TypeName, "AWS::IAM::") && (types["object"] || len(types) == 0):
		return `map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::sample/*"}}}`
	case strings.Contains(name, "Polic") && (types["object"] || len(types) == 0):
		return `map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{"Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::123456789012:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::sample/*"}}}`
	case types["object"] || len(types) == 0:
		return "map[string]any{}"
	case types["string"]:
		return strconv.Quote(sampleString(&Schema{}, name))
	case types["integer"] || types["number"]:
		return "1"
	case types["boolean"]:
		return "false"
	}
	return "[]any{}"
}

// formats are placeholder values for the string formats cfn-lint checks.
var formats = map[string]string{
	"AWS::IAM::Role.Arn":            "arn:aws:iam::123456789012:role/sample",
	"AWS::KMS::Key.Arn":             "arn:aws:kms:us-east-1:123456789012:key/12345678-1234-1234-1234-123456789012",
	"AWS::KMS::Key.Id":              "12345678-1234-1234-1234-123456789012",
	"AWS::KMS::Alias.AliasName":     "alias/sample",
	"AWS::EC2::SecurityGroup.Id":    "sg-12345678",
	"AWS::EC2::SecurityGroup.Ids":   "sg-12345678",
	"AWS::EC2::SecurityGroup.Name":  "sample",
	"AWS::EC2::SecurityGroup.Names": "sample",
	"AWS::EC2::Subnet.Id":           "subnet-12345678",
	"AWS::EC2::Subnet.Ids":          "subnet-12345678",
	"AWS::EC2::VPC.Id":              "vpc-12345678",
	"AWS::EC2::Image.Id":            "ami-12345678",
	"AWS::S3::Bucket.Name":          "sample-bucket",
	"AWS::SNS::Topic.Arn":           "arn:aws:sns:us-east-1:123456789012:sample",
	"AWS::Lambda::Function.Arn":     "arn:aws:lambda:us-east-1:123456789012:function:sample",
	"AWS::Lambda::Function.Name":    "sample",
	"AWS::ACM::Certificate.Arn":     "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012",
	"AWS::Logs::LogGroup.Name":      "sample",
	"AWS::SQS::Queue.Arn":           "arn:aws:sqs:us-east-1:123456789012:sample",
	"date-time":                     "2024-01-01T00:00:00Z",
	"timestamp":                     "2024-01-01T00:00:00Z",
	"json":                          "{}",
	"uri":                           "https://example.com",
	"ipv4-network":                  "10.0.0.0/16",
	"ipv6-network":                  "2001:db8::/56",
	"int64":                         "1",
	"int32":                         "1",
	"double":                        "1",
}

// sampleString returns a placeholder satisfying s's string constraints.
func sampleString(s *Schema, name string) string {
	if s == nil {
		return "sample"
	}
	if c, ok := s.Const.(string); ok {
		return c
	}
	for _, e := range s.enum() {
		if v, ok := e.(string); ok {
			return v
		}
	}
	minLen, maxLen := 0, 0
	if s.MinLength != nil {
		minLen = *s.MinLength
	}
	if s.MaxLength != nil {
		maxLen = *s.MaxLength
	}
	if v, ok := formats[s.Format]; ok && (s.Pattern == "" || matches(s.Pattern, v)) {
		return v
	}
	if s.Pattern != "" {
		for _, cand := range []string{heuristic(name), "sample"} {
			if cand != "" && matches(s.Pattern, cand) && len(cand) >= minLen && (maxLen == 0 || len(cand) <= maxLen) {
				return cand
			}
		}
		if v := fromPattern(s.Pattern, minLen, maxLen); matches(s.Pattern, v) {
			return v
		}
	}
	v := heuristic(name)
	if v == "" || (maxLen > 0 && len(v) > maxLen) {
		v = "sample"
	}
	for len(v) < minLen {
		v += "x"
	}
	if maxLen > 0 && len(v) > maxLen {
		v = v[:maxLen]
	}
	return v
}

// heuristic guesses a plausible value from a property name.
func heuristic(name string) string {
	switch {
	case strings.HasSuffix(name, "RoleArn"), strings.HasSuffix(name, "RoleARN"), strings.HasSuffix(name, "Role"):
		return "arn:aws:iam::123456789012:role/sample"
	case strings.HasSuffix(name, "Arn"), strings.HasSuffix(name, "ARN"):
		return "arn:aws:s3:::sample"
	case strings.HasSuffix(name, "VpcId"):
		return "vpc-12345678"
	case strings.HasSuffix(name, "SubnetId"):
		return "subnet-12345678"
	case strings.HasSuffix(name, "CidrBlock"), strings.HasSuffix(name, "Cidr"), strings.HasSuffix(name, "CidrIp"):
		return "10.0.0.0/16"
	case strings.HasSuffix(name, "Url"), strings.HasSuffix(name, "URL"):
		return "https://example.com"
	}
	return ""
}

func sampleNumber(s *Schema, integer bool) float64 {
	if s == nil {
		return 1
	}
	for _, e := range s.enum() {
		if v, ok := e.(float64); ok {
			return v
		}
	}
	v := 1.0
	if s.Minimum != nil {
		v = *s.Minimum
	}
	if s.Maximum != nil && v > *s.Maximum {
		v = *s.Maximum
	}
	if s.MultipleOf != nil && *s.MultipleOf > 0 {
		v = math.Ceil(v / *s.MultipleOf) * *s.MultipleOf
	}
	if integer {
		v = math.Ceil(v)
	}
	return v
}

// pythonOnly matches regex syntax Go lacks: lookarounds (dropped) and \Z.
var lookaround = regexp.MustCompile(`\(\?<?[=!]`)

// goPattern turns a schema (ECMA/Python) pattern into Go syntax, dropping
// lookarounds, which only constrain.
func goPattern(p string) string {
	p = strings.ReplaceAll(p, `\Z`, `$`)
	p = strings.ReplaceAll(p, `\z`, `$`)
	for {
		loc := lookaround.FindStringIndex(p)
		if loc == nil {
			return p
		}
		depth, end := 0, len(p)
		for i := loc[0]; i < len(p); i++ {
			switch p[i] {
			case '\\':
				i++
			case '(':
				depth++
			case ')':
				depth--
			}
			if depth == 0 {
				end = i + 1
				break
			}
		}
		p = p[:loc[0]] + p[end:]
	}
}

func matches(pattern, v string) bool {
	re, err := regexp.Compile(goPattern(pattern))
	if err != nil {
		return false
	}
	return re.MatchString(v)
}

// fromPattern builds a string matching pattern, at least minLen long when
// the pattern allows (and at most maxLen when positive).
func fromPattern(pattern string, minLen, maxLen int) string {
	re, err := syntax.Parse(goPattern(pattern), syntax.Perl)
	if err != nil {
		return "sample"
	}
	re = re.Simplify()
	var b strings.Builder
	var gen func(re *syntax.Regexp)
	gen = func(re *syntax.Regexp) {
		switch re.Op {
		case syntax.OpLiteral:
			b.WriteString(string(re.Rune))
		case syntax.OpCharClass:
			b.WriteRune(pickRune(re.Rune))
		case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
			b.WriteByte('a')
		case syntax.OpCapture:
			gen(re.Sub[0])
		case syntax.OpConcat:
			for _, s := range re.Sub {
				gen(s)
			}
		case syntax.OpAlternate:
			gen(re.Sub[0])
		case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
			lo, hi := re.Min, re.Max
			switch re.Op {
			case syntax.OpStar:
				lo, hi = 0, -1
			case syntax.OpPlus:
				lo, hi = 1, -1
			case syntax.OpQuest:
				lo, hi = 0, 1
			}
			for i := 0; hi < 0 || i < hi; i++ {
				if i >= lo && (b.Len() >= minLen || i >= lo+256) {
					break
				}
				if maxLen > 0 && b.Len() >= maxLen && i >= lo {
					break
				}
				gen(re.Sub[0])
			}
		}
	}
	gen(re)
	return b.String()
}

// pickRune picks a readable rune from a character class's ranges.
func pickRune(ranges []rune) rune {
	for _, want := range []rune{'a', 'A', '1', '0', '-', '_'} {
		for i := 0; i+1 < len(ranges); i += 2 {
			if ranges[i] <= want && want <= ranges[i+1] {
				return want
			}
		}
	}
	type rg struct{ lo, hi rune }
	var rs []rg
	for i := 0; i+1 < len(ranges); i += 2 {
		rs = append(rs, rg{ranges[i], ranges[i+1]})
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].lo < rs[j].lo })
	for _, r := range rs {
		for c := r.lo; c <= r.hi && c < 0x7f; c++ {
			if c > ' ' {
				return c
			}
		}
	}
	if len(rs) > 0 {
		return rs[0].lo
	}
	return 'a'
}
