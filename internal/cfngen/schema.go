package cfngen

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ResourceSchema is a CloudFormation registry resource schema, reduced to
// the keywords the generator reads.
type ResourceSchema struct {
	TypeName             string             `json:"typeName"`
	Description          string             `json:"description"`
	Definitions          map[string]*Schema `json:"definitions"`
	Properties           map[string]*Schema `json:"properties"`
	Required             []string           `json:"required"`
	ReadOnlyProperties   []string           `json:"readOnlyProperties"`
	CreateOnlyProperties []string           `json:"createOnlyProperties"`
	WriteOnlyProperties  []string           `json:"writeOnlyProperties"`
	DeprecatedProperties []string           `json:"deprecatedProperties"`
	Tagging              *Tagging           `json:"tagging"`
	// Taggable is the deprecated top-level form of Tagging.Taggable.
	Taggable *bool `json:"taggable"`
	// OneOf, AnyOf at the top level constrain which properties are required.
	OneOf []*Schema `json:"oneOf"`
	AnyOf []*Schema `json:"anyOf"`
	// RequiredXor, RequiredOr and DependentRequired are cfn-lint's
	// extensions: exactly one / at least one of the properties, and
	// properties required with another.
	RequiredXor       StringList          `json:"requiredXor"`
	RequiredOr        StringList          `json:"requiredOr"`
	DependentRequired map[string][]string `json:"dependentRequired"`
}

// Tagging is a schema's tagging section.
type Tagging struct {
	Taggable    *bool  `json:"taggable"`
	TagProperty string `json:"tagProperty"`
}

// Schema is a JSON schema of a property or definition.
type Schema struct {
	Ref                  string              `json:"$ref"`
	Type                 TypeList            `json:"type"`
	Description          string              `json:"description"`
	Properties           map[string]*Schema  `json:"properties"`
	PatternProperties    map[string]*Schema  `json:"patternProperties"`
	AdditionalProperties json.RawMessage     `json:"additionalProperties"`
	Items                *Schema             `json:"items"`
	OneOf                []*Schema           `json:"oneOf"`
	AnyOf                []*Schema           `json:"anyOf"`
	AllOf                []*Schema           `json:"allOf"`
	Required             StringList          `json:"required"`
	Enum                 []any               `json:"enum"`
	EnumCaseInsensitive  []any               `json:"enumCaseInsensitive"`
	RequiredXor          StringList          `json:"requiredXor"`
	RequiredOr           StringList          `json:"requiredOr"`
	DependentRequired    map[string][]string `json:"dependentRequired"`
	Const                any                 `json:"const"`
	Default              any                 `json:"default"`
	Pattern              string              `json:"pattern"`
	Format               string              `json:"format"`
	MinLength            *int                `json:"minLength"`
	MaxLength            *int                `json:"maxLength"`
	Minimum              *float64            `json:"minimum"`
	Maximum              *float64            `json:"maximum"`
	MultipleOf           *float64            `json:"multipleOf"`
	MinItems             *int                `json:"minItems"`
	MaxItems             *int                `json:"maxItems"`
	MinProperties        *int                `json:"minProperties"`
	InsertionOrder       *bool               `json:"insertionOrder"`
	UniqueItems          bool                `json:"uniqueItems"`
}

// TypeList is the "type" keyword: one type name or a list of them.
type TypeList []string

// UnmarshalJSON accepts "string" or ["string", "object"].
func (t *TypeList) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*t = TypeList{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("type: %w", err)
	}
	*t = many
	return nil
}

// StringList is a list of strings that tolerates other JSON (a few schemas
// use "required": true inside properties); anything else reads as empty.
type StringList []string

// UnmarshalJSON reads a list of strings and ignores any other value.
func (s *StringList) UnmarshalJSON(b []byte) error {
	var l []string
	if json.Unmarshal(b, &l) == nil {
		*s = l
	}
	return nil
}

// enum returns the allowed values (enum, or cfn-lint's enumCaseInsensitive).
func (s *Schema) enum() []any {
	if len(s.Enum) > 0 {
		return s.Enum
	}
	return s.EnumCaseInsensitive
}

// single returns the schema's one type, or "" when it has none or several.
func (s *Schema) single() string {
	if len(s.Type) == 1 {
		return s.Type[0]
	}
	return ""
}

// additional returns additionalProperties when it is a schema.
func (s *Schema) additional() *Schema {
	if len(s.AdditionalProperties) == 0 || s.AdditionalProperties[0] != '{' {
		return nil
	}
	var a Schema
	if json.Unmarshal(s.AdditionalProperties, &a) != nil {
		return nil
	}
	return &a
}

// LoadSchemas reads every *.json resource schema in dir, sorted by type name.
func LoadSchemas(dir string) ([]*ResourceSchema, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("no *.json schemas in %s", dir)
	}
	out := make([]*ResourceSchema, 0, len(paths))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		var rs ResourceSchema
		if err := json.Unmarshal(b, &rs); err != nil {
			return nil, fmt.Errorf("unable to read schema %s: %w", p, err)
		}
		if strings.Count(rs.TypeName, "::") != 2 {
			return nil, fmt.Errorf("schema %s: typeName %q is not Vendor::Service::Resource", p, rs.TypeName)
		}
		out = append(out, &rs)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].TypeName < out[j].TypeName })
	return out, nil
}
