package cfndiff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Write prints the diff for people: warnings about replaced EKS resources
// first, then IAM and security group changes, then every section that
// differs. It prints "There were no differences" for an empty diff.
func (d *TemplateDiff) Write(w io.Writer) error {
	var b strings.Builder
	if d.IsEmpty() {
		b.WriteString("There were no differences\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	for _, line := range d.Warnings() {
		b.WriteString(line + "\n")
	}
	if len(d.IAM) > 0 {
		b.WriteString("IAM changes\n")
		for _, c := range d.IAM {
			note := ""
			if c.Broadening() {
				note = "  (broadening)"
			}
			fmt.Fprintf(&b, "  %s %s %s, %s: %s%s\n", c.Kind.marker(), c.Effect, c.Resource, c.Where, c.Summary, note)
		}
	}
	if len(d.SecurityGroups) > 0 {
		b.WriteString("Security group changes\n")
		for _, c := range d.SecurityGroups {
			note := ""
			if c.Broadening() {
				note = "  (broadening)"
			}
			fmt.Fprintf(&b, "  %s %s %s: %s%s\n", c.Kind.marker(), c.Resource, c.Direction, c.Summary, note)
		}
	}
	if d.Description != nil {
		b.WriteString("Description\n")
		writeElement(&b, *d.Description)
	}
	for _, s := range []struct {
		name  string
		diffs []ElementDiff
	}{{"Parameters", d.Parameters}, {"Conditions", d.Conditions}, {"Mappings", d.Mappings}} {
		writeSection(&b, s.name, s.diffs)
	}
	if len(d.Resources) > 0 {
		b.WriteString("Resources\n")
		for _, r := range d.Resources {
			writeResource(&b, r)
		}
	}
	writeSection(&b, "Outputs", d.Outputs)
	writeSection(&b, "Rules", d.Rules)
	_, err := io.WriteString(w, b.String())
	return err
}

func writeSection(b *strings.Builder, name string, diffs []ElementDiff) {
	if len(diffs) == 0 {
		return
	}
	b.WriteString(name + "\n")
	for _, e := range diffs {
		writeElement(b, e)
	}
}

func writeElement(b *strings.Builder, e ElementDiff) {
	fmt.Fprintf(b, "  %s %s\n", e.Kind.marker(), e.Name)
	if e.Kind != Added {
		fmt.Fprintf(b, "      - %s\n", render(e.Old))
	}
	if e.Kind != Removed {
		fmt.Fprintf(b, "      + %s\n", render(e.New))
	}
}

func writeResource(b *strings.Builder, r ResourceDiff) {
	fmt.Fprintf(b, "  %s %s %s", r.Kind.marker(), r.Type(), r.LogicalID)
	if r.ConstructPath != "" {
		fmt.Fprintf(b, " (%s)", r.ConstructPath)
	}
	switch {
	case r.Replace:
		b.WriteString(" REPLACE")
	case r.Kind == Modified && r.OldType == r.NewType:
		b.WriteString(" update in place")
	}
	b.WriteString("\n")
	if r.Replace {
		fmt.Fprintf(b, "      replaced because %s\n", strings.Join(r.ReplaceReasons, "; "))
	}
	if r.Manifest != nil {
		writeManifestDiff(b, r.Manifest)
	}
	for _, p := range r.Properties {
		if !writeKubernetesProperty(b, r.Type(), p) {
			writeProperty(b, p)
		}
	}
	for _, p := range r.Attributes {
		writeProperty(b, p)
	}
}

func writeProperty(b *strings.Builder, p PropertyDiff) {
	note := ""
	if p.Replaces {
		note = " (requires replacement)"
	}
	fmt.Fprintf(b, "      %s %s%s\n", kindOf(p.HasOld, p.HasNew).marker(), p.Path, note)
	if p.HasOld {
		fmt.Fprintf(b, "          - %s\n", render(p.Old))
	}
	if p.HasNew {
		fmt.Fprintf(b, "          + %s\n", render(p.New))
	}
}

// maxValue bounds a value's rendering; longer ones are cut with "…".
const maxValue = 400

// render writes a value as compact JSON (strings quoted) on one line;
// strings built with Fn::Join ("arn:" + partition + ...) are written as
// one string with ${...} for their references
// ("arn:${AWS::Partition}:iam::${AWS::AccountId}:root").
func render(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(joinsAsStrings(v)); err != nil {
		return fmt.Sprint(v)
	}
	s := strings.TrimSuffix(buf.String(), "\n")
	if len(s) > maxValue {
		cut := maxValue
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// joinsAsStrings returns v with every Fn::Join of strings and references
// replaced by the string it builds.
func joinsAsStrings(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if _, ok := x["Fn::Join"]; ok && len(x) == 1 {
			if s, ok := flatten(x); ok {
				return s
			}
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = joinsAsStrings(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = joinsAsStrings(e)
		}
		return out
	}
	return v
}
