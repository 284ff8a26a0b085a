package cfngen_test

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/internal/cfngen"
)

func TestGoName(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"Name":                 "Name",
		"name":                 "Name",
		"Tag-Key":              "TagKey",
		"aws:cdk:path":         "AwsCdkPath",
		"3DModel":              "X3DModel",
		"IPv6":                 "IPv6",
		"KubernetesNetwork.Id": "KubernetesNetworkId",
		"":                     "X",
	}
	for in, want := range tests {
		if got := cfngen.GoName(in); got != want {
			t.Errorf("GoName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPackageDir(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ vendor, service, want string }{
		{"AWS", "EKS", "eks"},
		{"AWS", "StepFunctions", "stepfunctions"},
		{"Alexa", "ASK", "alexaask"},
	} {
		if got := cfngen.PackageDir(tc.vendor, tc.service); got != tc.want {
			t.Errorf("PackageDir(%q, %q) = %q, want %q", tc.vendor, tc.service, got, tc.want)
		}
	}
}

// testSchemas are two resource types of a made-up namespace exercising
// the generator's rules.
var testSchemas = []string{`{
  "typeName": "Test::Svc::Widget",
  "description": "A widget. It ends */ comments.",
  "definitions": {
    "Config": {"type": "object", "properties": {
      "Size": {"type": "integer"}, "Ratio": {"type": "number"}, "On": {"type": "boolean"},
      "Inner": {"$ref": "#/definitions/Config"},
      "Secret": {"type": "string"}, "Computed": {"type": "string"}},
      "required": ["Size"], "additionalProperties": false},
    "Alias": {"$ref": "#/definitions/Config"},
    "Tag": {"type": "object", "properties": {"Key": {"type": "string"}, "Value": {"type": "string"}}, "required": ["Key", "Value"]},
    "Gadget": {"type": "object", "properties": {"Id": {"type": "string"}}}
  },
  "properties": {
    "Name": {"type": "string", "description": "The widget's name.", "enum": ["a", "b"]},
    "name": {"type": "string"},
    "Arn": {"type": "string"},
    "Endpoints": {"type": "array", "items": {"type": "string"}},
    "Config": {"$ref": "#/definitions/Alias"},
    "Configs": {"type": "array", "insertionOrder": false, "items": {"$ref": "#/definitions/Config"}},
    "Labels": {"type": "object", "patternProperties": {"^.+$": {"type": "string"}}},
    "Document": {"type": "object"},
    "Either": {"type": ["string", "object"]},
    "OneOf": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
    "SameRef": {"oneOf": [{"$ref": "#/definitions/Gadget"}, {"$ref": "#/definitions/Gadget"}]},
    "Inline": {"type": "object", "properties": {"Deep": {"type": "string"}}},
    "Gadget": {"$ref": "#/definitions/Gadget"},
    "Tags": {"type": "array", "items": {"$ref": "#/definitions/Tag"}},
    "Status": {"type": "object", "properties": {"Code": {"type": "string"}, "Ids": {"type": "array", "items": {"type": "string"}}}},
    "Action": {"oneOf": [
      {"type": "object", "properties": {"Start": {"type": "string"}, "At": {"type": "integer"}}, "required": ["Start", "At"]},
      {"type": "object", "properties": {"Stop": {"type": "string"}, "At": {"type": "integer"}}, "required": ["Stop", "At"]}]}
  },
  "requiredXor": ["Name", "Gadget"],
  "deprecatedProperties": ["/properties/Either"],
  "required": ["Name", "Config"],
  "readOnlyProperties": ["/properties/Arn", "/properties/Endpoints", "/properties/Config/Computed", "/properties/Status"],
  "createOnlyProperties": ["/properties/Name", "/properties/Config/Size"],
  "writeOnlyProperties": ["/properties/Config/Secret"],
  "tagging": {"taggable": true, "tagProperty": "/properties/Tags"}
}`, `{
  "typeName": "Test::Svc::WidgetGadget",
  "properties": {"Id": {"type": "string"}, "Tags": {"type": "object", "additionalProperties": {"type": "string"}}},
  "tagging": {"taggable": true}
}`}

func buildTest(t *testing.T) (*cfngen.Package, map[string][]byte) {
	t.Helper()
	dir := t.TempDir()
	for i, s := range testSchemas {
		if err := os.WriteFile(filepath.Join(dir, string(rune('a'+i))+".json"), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	schemas, err := cfngen.LoadSchemas(dir)
	if err != nil {
		t.Fatal(err)
	}
	pkgs, err := cfngen.Build(schemas, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) != 1 {
		t.Fatalf("%d packages, want 1", len(pkgs))
	}
	files, err := pkgs[0].Files()
	if err != nil {
		t.Fatal(err)
	}
	return pkgs[0], files
}

func TestBuildMapsSchemasToGoTypes(t *testing.T) {
	t.Parallel()
	pkg, files := buildTest(t)
	if pkg.Name != "cfntestsvc" || pkg.Dir != "testsvc" {
		t.Errorf("package %s in %s, want cfntestsvc in testsvc", pkg.Name, pkg.Dir)
	}
	src := string(files["widget.go"])
	for _, want := range []string{
		Header(),
		"type CfnWidget struct {\n\tcdk.CfnResource",
		"func NewCfnWidget(scope cdk.Construct, id string, props CfnWidgetProps) *CfnWidget {",
		`cdk.InitCfnResource(r, scope, id, cdk.CfnResourceProps{Type: "Test::Svc::Widget", Tagging: cdk.TagFormatStandard, TagProperty: "Tags"})`,
		`r.DeclareProperties("Action", "Config", "Configs", "Document", "Either", "Gadget", "Inline", "Labels", "Name", "OneOf", "SameRef", "Tags", "name")`,
		"\tName string\n",
		"\tName2 string\n",                     // "name" collides with "Name"
		"\tConfig *CfnWidgetConfig\n",          // $ref chain to an object: pointer
		"\tConfigs []CfnWidgetConfig\n",        // list of objects
		"\tLabels map[string]string\n",         // patternProperties of strings
		"\tDocument any\n",                     // object without properties
		"\tEither any\n",                       // several types
		"\tOneOf any\n",                        // union of different types
		"\tSameRef *CfnWidgetGadgetProperty\n", // union of one type; name taken by a resource
		"\tInline *CfnWidgetInline\n",          // inline object named after the property
		"\tTags []cdk.CfnTag\n",                // standard tags
		"\tSize *int\n", "\tRatio *float64\n", "\tOn *bool\n",
		"\tInner *CfnWidgetConfig\n",  // recursion
		"\tAction *CfnWidgetAction\n", // a union of objects is one struct
		"type CfnWidgetAction struct {",
		"\tStart string\n", "\tStop string\n",
		`"property "+at+"At of Test::Svc::Widget is required; set CfnWidgetAction.At"`, // required in every branch
		"// CloudFormation takes exactly one of these alternatives: At + Start; At + Stop.",
		"// Set exactly one of Name, Gadget.",
		"\t// Deprecated: the CloudFormation schema marks this property as deprecated.\n\t//\n\t// It takes any of these JSON types: string, object.\n\t// Default: not set (CloudFormation's default).\n\tEither any\n",
		"func (r *CfnWidget) AttrArn() string { return r.GetAttString(\"Arn\") }",
		"func (r *CfnWidget) AttrEndpoints() []string { return r.GetAttList(\"Endpoints\") }",
		"func (r *CfnWidget) AttrConfigComputed() string { return r.GetAttString(\"Config.Computed\") }",
		"func (r *CfnWidget) AttrStatusCode() string { return r.GetAttString(\"Status.Code\") }",
		"func (r *CfnWidget) AttrStatusIds() []string { return r.GetAttList(\"Status.Ids\") }",
		"// The widget's name.",
		`// Allowed values: "a", "b". Changing it replaces the resource.` + "\n\t// Required.",
		"// It is write-only: CloudFormation does not return it.",
		"// The order of the items does not matter.",
		"A widget. It ends * / comments.",
		`"property "+at+"Size of Test::Svc::Widget is required; set CfnWidgetConfig.Size"`,
		`errs = append(errs, p.Configs[i].validate(at+"Configs."+strconv.Itoa(i)+".")...)`,
	} {
		if !strings.Contains(src, want) {
			t.Errorf("widget.go lacks %q", want)
		}
	}
	for _, unwanted := range []string{"\tArn string", "\tEndpoints []string", "\tComputed string", "\tStatus "} {
		if strings.Contains(src, unwanted) {
			t.Errorf("widget.go has the read-only property %q as a field", unwanted)
		}
	}
	gadget := string(files["widgetgadget.go"])
	if !strings.Contains(gadget, "Tagging: cdk.TagFormatMap") || !strings.Contains(gadget, "\tTags map[string]string\n") {
		t.Errorf("widgetgadget.go: want map tags:\n%s", gadget)
	}
	if strings.Contains(gadget, "AddValidation") {
		t.Error("widgetgadget.go validates though nothing is required")
	}
	doc := string(files["doc.go"])
	if !strings.HasPrefix(doc, Header()+"\n\n// Package cfntestsvc ") || !strings.Contains(doc, "//   - [CfnWidget]: Test::Svc::Widget") {
		t.Errorf("doc.go:\n%s", doc)
	}
}

func Header() string { return cfngen.Header }

// undocumented lists the exported declarations, methods and struct fields
// of a Go file that have no doc comment.
func undocumented(t *testing.T, name string, src []byte) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	if f.Doc == nil && name == "doc.go" {
		out = append(out, "package clause")
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Name.IsExported() && d.Doc == nil {
				out = append(out, d.Name.Name)
			}
		case *ast.GenDecl:
			for _, sp := range d.Specs {
				ts, ok := sp.(*ast.TypeSpec)
				if !ok || !ts.Name.IsExported() {
					continue
				}
				if d.Doc == nil && ts.Doc == nil {
					out = append(out, ts.Name.Name)
				}
				if st, ok := ts.Type.(*ast.StructType); ok {
					for _, fl := range st.Fields.List {
						for _, n := range fl.Names {
							if n.IsExported() && fl.Doc == nil {
								out = append(out, ts.Name.Name+"."+n.Name)
							}
						}
					}
				}
			}
		}
	}
	return out
}

func TestEveryExportedNameHasADocComment(t *testing.T) {
	t.Parallel()
	_, files := buildTest(t)
	committed, _ := filepath.Glob(filepath.Join(repoRoot(t), "cfn", "*", "*.go"))
	for _, p := range committed {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[p] = b
	}
	for name, src := range files {
		if u := undocumented(t, filepath.Base(name), src); len(u) > 0 {
			t.Errorf("%s: no doc comment on %v", name, u)
		}
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	t.Parallel()
	_, a := buildTest(t)
	_, b := buildTest(t)
	for name := range a {
		if !bytes.Equal(a[name], b[name]) {
			t.Errorf("%s differs between two runs", name)
		}
	}
}

// TestCommittedPackagesAreUpToDate regenerates the committed namespaces
// (every directory under cfn/) and compares them byte for byte, as the CI
// check-generate does with go generate.
func TestCommittedPackagesAreUpToDate(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	cfnDir := filepath.Join(root, "cfn")
	docs, _ := filepath.Glob(filepath.Join(cfnDir, "*", "doc.go"))
	var dirs []string
	for _, d := range docs {
		dirs = append(dirs, filepath.Base(filepath.Dir(d)))
	}
	if len(dirs) < 13 {
		t.Fatalf("only %d packages under cfn/: %v", len(dirs), dirs)
	}
	out := t.TempDir()
	err := cfngen.Generate(cfngen.Options{
		SchemaDir:   filepath.Join(root, "internal", "cfngen", "schemas"),
		DocsFile:    filepath.Join(root, "internal", "cfngen", "descriptions.json.gz"),
		OutDir:      out,
		Dirs:        dirs,
		SamplesFile: filepath.Join(out, "samples_gen_test.go"),
	})
	if err != nil {
		t.Fatal(err)
	}
	gen, _ := filepath.Glob(filepath.Join(out, "*", "*.go"))
	gen = append(gen, filepath.Join(out, "samples_gen_test.go"))
	for _, g := range gen {
		rel, _ := filepath.Rel(out, g)
		want, _ := os.ReadFile(g)
		got, err := os.ReadFile(filepath.Join(cfnDir, rel))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("cfn/%s is not what the generator writes; run go generate ./cfn", rel)
		}
	}
	all, _ := filepath.Glob(filepath.Join(cfnDir, "*", "*.go"))
	var committed []string
	for _, p := range all {
		if b, err := os.ReadFile(p); err == nil && bytes.HasPrefix(b, []byte(cfngen.Header)) {
			committed = append(committed, p)
		}
	}
	if len(committed) != len(gen)-1 {
		t.Errorf("cfn/ has %d generated files, the generator writes %d", len(committed), len(gen)-1)
	}
}

func TestSchemasAreCommitted(t *testing.T) {
	t.Parallel()
	schemas, err := cfngen.LoadSchemas(filepath.Join(repoRoot(t), "internal", "cfngen", "schemas"))
	if err != nil {
		t.Fatal(err)
	}
	if len(schemas) < 1500 {
		t.Errorf("%d schemas; want every resource type (about 1600)", len(schemas))
	}
	var found bool
	for _, s := range schemas {
		if s.TypeName == "AWS::EKS::Cluster" {
			_, found = s.Properties["AccessConfig"]
		}
	}
	if !found {
		t.Error("AWS::EKS::Cluster with AccessConfig not among the schemas")
	}
	_ = json.Valid
}
