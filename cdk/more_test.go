package cdk_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/cdk"
)

func TestIntrinsicFunctions(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	s := cdk.NewStack(app, "S", cdk.StackProps{})
	cond := cdk.NewCfnCondition(s, "C", cdk.CfnConditionProps{Expression: cdk.Fn.And(
		cdk.Fn.Equals(s.Region(), "us-east-1"),
		cdk.Fn.Or(cdk.Fn.Not(cdk.Fn.Equals(s.Account(), "1")), cdk.Fn.Equals("a", "b")),
	)})
	cdk.NewCfnResource(s, "R", cdk.CfnResourceProps{Type: "AWS::X::Y", Properties: map[string]any{
		"Ref":       cdk.Fn.Ref("Other"),
		"GetAtt":    cdk.Fn.GetAtt("Other", "Arn"),
		"Sub":       cdk.Fn.Sub("${AWS::Region}-x", nil),
		"SubVars":   cdk.Fn.Sub("${A}", map[string]string{"A": s.Account()}),
		"Base64":    cdk.Fn.Base64("hello"),
		"Cidr":      cdk.Fn.Cidr("10.0.0.0/16", 4, 8),
		"Import":    cdk.Fn.ImportValue("shared-vpc"),
		"FindInMap": cdk.Fn.FindInMap("M", "a", "b"),
		"If":        cdk.AsString(cdk.Fn.If(cond.LogicalID(), "yes", cdk.Aws.NoValue)),
		"SplitN":    cdk.Fn.Split("/", cdk.Aws.StackID, 3)[2],
		"JoinList":  cdk.Fn.Join(",", cdk.Fn.GetAZs("")),
		"Pseudos":   []string{cdk.Aws.Partition, cdk.Aws.URLSuffix, cdk.Aws.StackName, cdk.Aws.StackID},
		"Notif":     cdk.Aws.NotificationARNs,
		"LazyList":  cdk.LazyList(func() []string { return []string{"a", "b"} }),
		"LazyNum":   cdk.LazyNumber(func() float64 { return 3 }),
		"IntToken":  cdk.AsInt(cdk.NewIntrinsic(map[string]any{"Ref": "Count"})),
		"LazyAny":   cdk.LazyAny(func() any { return map[string]any{"k": "v"} }),
		"LazyNil":   cdk.LazyAny(func() any { return nil }),
		"CondRef":   cond,
	}})
	tmpl := synth(t, app)["S"]
	p := get(t, tmpl, "Resources", "R", "Properties")
	jsonEq(t, p, `{
		"Ref":{"Ref":"Other"},
		"GetAtt":{"Fn::GetAtt":["Other","Arn"]},
		"Sub":{"Fn::Sub":"${AWS::Region}-x"},
		"SubVars":{"Fn::Sub":["${A}",{"A":{"Ref":"AWS::AccountId"}}]},
		"Base64":{"Fn::Base64":"hello"},
		"Cidr":{"Fn::Cidr":["10.0.0.0/16",4,"8"]},
		"Import":{"Fn::ImportValue":"shared-vpc"},
		"FindInMap":{"Fn::FindInMap":["M","a","b"]},
		"If":{"Fn::If":["C","yes",{"Ref":"AWS::NoValue"}]},
		"SplitN":{"Fn::Select":[2,{"Fn::Split":["/",{"Ref":"AWS::StackId"}]}]},
		"JoinList":{"Fn::Join":[",",{"Fn::GetAZs":""}]},
		"Pseudos":[{"Ref":"AWS::Partition"},{"Ref":"AWS::URLSuffix"},{"Ref":"AWS::StackName"},{"Ref":"AWS::StackId"}],
		"Notif":{"Ref":"AWS::NotificationARNs"},
		"LazyList":["a","b"],
		"LazyNum":3,
		"IntToken":{"Ref":"Count"},
		"LazyAny":{"k":"v"},
		"CondRef":{"Condition":"C"}}`)
	jsonEq(t, get(t, tmpl, "Conditions", "C"), `{"Fn::And":[
		{"Fn::Equals":[{"Ref":"AWS::Region"},"us-east-1"]},
		{"Fn::Or":[{"Fn::Not":[{"Fn::Equals":[{"Ref":"AWS::AccountId"},"1"]}]},{"Fn::Equals":["a","b"]}]}]}`)
}

func TestLiteralIntrinsicsFoldAtSynthesis(t *testing.T) {
	t.Parallel()
	if got := cdk.Fn.Split(",", "a,b"); len(got) != 2 || got[1] != "b" {
		t.Errorf("Split of a literal = %v", got)
	}
	if got := cdk.Fn.Select(1, []string{"a", "b"}); got != "b" {
		t.Errorf("Select of a literal list = %q", got)
	}
	if got := cdk.Fn.Join("-", []string{"a", "b"}); got != "a-b" {
		t.Errorf("Join of literals = %q", got)
	}
	if cdk.IsUnresolved("plain") || !cdk.IsUnresolved(cdk.Aws.Region) || !cdk.IsUnresolved(cdk.Fn.GetAZs("")) {
		t.Errorf("IsUnresolved wrong")
	}
	if !cdk.IsUnresolved(cdk.LazyNumber(func() float64 { return 1 })) || !cdk.IsUnresolved(cdk.AsInt(cdk.NewIntrinsic(1))) {
		t.Errorf("number tokens not recognised")
	}
	r := cdk.NewIntrinsic("x")
	if first, second := cdk.AsString(r), cdk.AsString(r); first != second || cdk.ReverseString(cdk.AsString(r)) != cdk.Resolvable(r) {
		t.Errorf("encoding the same Resolvable twice must give the same token")
	}
}

func TestNestedStackSiblingsAndDependencies(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	p := cdk.NewStack(app, "P", cdk.StackProps{})
	n1 := cdk.NewNestedStack(p, "N1", cdk.NestedStackProps{})
	n2 := cdk.NewNestedStack(p, "N2", cdk.NestedStackProps{Parameters: map[string]string{"Given": "v"}, Timeout: cdk.Minutes(10)})
	a := cdk.NewCfnResource(n1, "A", cdk.CfnResourceProps{Type: "AWS::SNS::Topic"})
	b := cdk.NewCfnResource(n2, "B", cdk.CfnResourceProps{Type: "AWS::X::Y", Properties: map[string]any{"P": a.GetAttString("TopicName")}})
	b.Node().AddDependency(a)
	top := cdk.NewCfnResource(p, "Top", cdk.CfnResourceProps{Type: "AWS::X::Y"})
	top.Node().AddDependency(n2)
	asm, err := app.Synth(cdk.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	parent := asm.Stack("P").Template()
	res := get(t, parent, "Resources")
	var n1id, n2id string
	for id := range res.(map[string]any) {
		switch {
		case strings.HasPrefix(id, "N1NestedStackN1NestedStackResource"):
			n1id = id
		case strings.HasPrefix(id, "N2NestedStackN2NestedStackResource"):
			n2id = id
		}
	}
	if n1id == "" || n2id == "" {
		t.Fatalf("nested stack resources not found: %v", res)
	}
	n2res := get(t, res, n2id)
	jsonEq(t, get(t, n2res, "DependsOn"), `["`+n1id+`"]`)
	jsonEq(t, get(t, n2res, "Properties", "TimeoutInMinutes"), `10`)
	params := get(t, n2res, "Properties", "Parameters").(map[string]any)
	if params["Given"] != "v" {
		t.Errorf("given parameter lost: %v", params)
	}
	var passed string
	for k := range params {
		if strings.HasPrefix(k, "referencetoPN1") {
			passed = k
		}
	}
	if passed == "" {
		t.Fatalf("no reference parameter in %v", params)
	}
	v, _ := json.Marshal(params[passed])
	if !strings.Contains(string(v), `"Fn::GetAtt":["`+n1id+`","Outputs.PN1A`) {
		t.Errorf("parameter value %s should read N1's output", v)
	}
	jsonEq(t, get(t, res, "Top", "DependsOn"), `["`+n2id+`"]`)
	nb, _ := asm.TemplateOf(&n2.Stack)
	if !bytes.Contains(nb, []byte(`"Ref": "`+passed+`"`)) {
		t.Errorf("nested template does not use its parameter:\n%s", nb)
	}
}

func TestAppContextAndOutdir(t *testing.T) {
	t.Setenv("CDK_OUTDIR", filepath.Join(t.TempDir(), "out"))
	t.Setenv("CDK_CONTEXT_JSON", `{"from-cli":"yes","both":"cli"}`)
	app := cdk.NewApp(cdk.AppProps{Context: map[string]any{"both": "props", "only-props": 1.0}})
	if app.Outdir() != os.Getenv("CDK_OUTDIR") {
		t.Errorf("outdir %q", app.Outdir())
	}
	s := cdk.NewStack(app, "S", cdk.StackProps{})
	for k, want := range map[string]any{"from-cli": "yes", "both": "cli", "only-props": 1.0} {
		if got := s.Node().TryGetContext(k); got != want {
			t.Errorf("context %s = %v, want %v", k, got, want)
		}
	}
}

// The part of the context that does not fit in CDK_CONTEXT_JSON comes
// from the overflow file the CLI names in CONTEXT_OVERFLOW_LOCATION_ENV.
func TestAppContextOverflowFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "context-overflow.json")
	big := strings.Repeat("x", 200_000)
	if err := os.WriteFile(file, []byte(`{"big":"`+big+`"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CDK_CONTEXT_JSON", `{"small":"yes"}`)
	t.Setenv("CONTEXT_OVERFLOW_LOCATION_ENV", file)
	app := cdk.NewApp(cdk.AppProps{})
	if got := app.Node().TryGetContext("small"); got != "yes" {
		t.Errorf("context small = %v", got)
	}
	if got, _ := app.Node().TryGetContext("big").(string); got != big {
		t.Errorf("context big has %d bytes, want %d", len(got), len(big))
	}
}

func TestPathMetadataCanBeDisabled(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{DisablePathMetadata: true})
	s := cdk.NewStack(app, "S", cdk.StackProps{})
	cdk.NewCfnResource(s, "R", cdk.CfnResourceProps{Type: "AWS::SNS::Topic"})
	if md := get(t, synth(t, app)["S"], "Resources", "R", "Metadata"); md != nil {
		t.Errorf("metadata %v", md)
	}
}

func TestStackProps(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	g := cdk.NewConstruct(app, "Group")
	s := cdk.NewStack(g, "Inner", cdk.StackProps{Env: cdk.Environment{Account: "123456789012", Region: "cn-north-1"}, Description: "d"})
	s.TemplateOptions.Transforms = []string{"AWS::Serverless-2016-10-31"}
	cdk.NewCfnResource(s, "R", cdk.CfnResourceProps{Type: "AWS::SNS::Topic"})
	if s.StackName() != "GroupInner" && !strings.HasPrefix(s.StackName(), "GroupInner") {
		t.Errorf("stack name %q", s.StackName())
	}
	if s.Partition() != "aws-cn" || s.URLSuffix() != "amazonaws.com.cn" || s.Environment() != "aws://123456789012/cn-north-1" {
		t.Errorf("partition %q suffix %q env %q", s.Partition(), s.URLSuffix(), s.Environment())
	}
	tmpl := synth(t, app)
	for _, v := range tmpl {
		jsonEq(t, v["Description"], `"d"`)
		jsonEq(t, v["Transform"], `"AWS::Serverless-2016-10-31"`)
	}
	bad := cdk.NewApp(cdk.AppProps{})
	cdk.NewStack(bad, "1bad_name", cdk.StackProps{})
	if msg := synthErr(t, bad); !strings.Contains(msg, `stack name "1bad_name" is invalid`) {
		t.Errorf("error %q", msg)
	}
}

func TestArns(t *testing.T) {
	t.Parallel()
	c, err := cdk.SplitArn("arn:aws:iam::123456789012:role/path/name", cdk.ArnFormatSlashResourceName)
	if err != nil || c.Service != "iam" || c.Resource != "role" || c.ResourceName != "path/name" || c.Account != "123456789012" {
		t.Errorf("split %+v %v", c, err)
	}
	if got := cdk.FormatArn(c); got != "arn:aws:iam::123456789012:role/path/name" {
		t.Errorf("format %q", got)
	}
	if _, err := cdk.SplitArn("not-an-arn", cdk.ArnFormatSlashResourceName); err == nil || !strings.Contains(err.Error(), "malformed") {
		t.Errorf("fails on a malformed ARN: %v", err)
	}
	app := cdk.NewApp(cdk.AppProps{})
	s := cdk.NewStack(app, "S", cdk.StackProps{})
	arn := s.FormatArn(cdk.ArnComponents{Service: "eks", Resource: "cluster", ResourceName: "c"})
	resolved, _ := s.Resolve(arn)
	b, _ := json.Marshal(resolved)
	if string(b) != `{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":eks:",{"Ref":"AWS::Region"},":",{"Ref":"AWS::AccountId"},":cluster/c"]]}` {
		t.Errorf("stack ARN %s", b)
	}
	tc, _ := cdk.SplitArn(cdk.Fn.ImportValue("role-arn"), cdk.ArnFormatSlashResourceName)
	if !cdk.IsUnresolved(tc.ResourceName) {
		t.Errorf("token ARN components should be tokens")
	}
}

func TestRemovalPolicies(t *testing.T) {
	t.Parallel()
	for policy, want := range map[cdk.RemovalPolicy][2]string{
		cdk.RemovalPolicyDestroy:                {"Delete", "Delete"},
		cdk.RemovalPolicyRetain:                 {"Retain", "Retain"},
		cdk.RemovalPolicySnapshot:               {"Snapshot", "Snapshot"},
		cdk.RemovalPolicyRetainOnUpdateOrDelete: {"RetainExceptOnCreate", "Retain"},
	} {
		app := cdk.NewApp(cdk.AppProps{})
		s := cdk.NewStack(app, "S", cdk.StackProps{})
		cdk.NewCfnResource(s, "R", cdk.CfnResourceProps{Type: "AWS::S3::Bucket"}).ApplyRemovalPolicy(policy)
		r := get(t, synth(t, app)["S"], "Resources", "R")
		if get(t, r, "DeletionPolicy") != want[0] || get(t, r, "UpdateReplacePolicy") != want[1] {
			t.Errorf("%s: %v", policy, r)
		}
	}
}

func TestDirectoryAssetsAreZippedDeterministically(t *testing.T) {
	t.Parallel()
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "bootstrap"), []byte("#!/bin/sh\n"), 0o755)
	os.MkdirAll(filepath.Join(src, "lib"), 0o755)
	os.WriteFile(filepath.Join(src, "lib", "a.txt"), []byte("a"), 0o644)
	out := t.TempDir()
	app := cdk.NewApp(cdk.AppProps{Outdir: out})
	s := cdk.NewStack(app, "S", cdk.StackProps{})
	loc := s.AddFileAsset(cdk.FileAssetSource{SourceHash: "abc123", FileName: src, Packaging: cdk.FileAssetPackagingZipDirectory})
	cdk.NewCfnResource(s, "F", cdk.CfnResourceProps{Type: "AWS::Lambda::Function", Properties: map[string]any{
		"Code": map[string]any{"S3Bucket": loc.BucketName, "S3Key": loc.ObjectKey},
	}})
	if _, err := app.Synth(); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(filepath.Join(out, "asset.abc123.zip"))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if f.Name == "bootstrap" && f.Mode()&0o100 == 0 {
			t.Errorf("bootstrap lost its executable bit: %v", f.Mode())
		}
	}
	if !strings.Contains(strings.Join(names, ","), "bootstrap") || !strings.Contains(strings.Join(names, ","), "lib/a.txt") {
		t.Errorf("zip entries %v", names)
	}
	jsonEq(t, get(t, synth2(t, out, "S"), "Resources", "F", "Properties", "Code"),
		`{"S3Bucket":{"Fn::Sub":"cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"},"S3Key":"abc123.zip"}`)
}

func synth2(t *testing.T, dir, stack string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, stack+".template.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}

type addingAspect struct{ visited *[]string }

func (a addingAspect) Visit(c cdk.Construct) {
	*a.visited = append(*a.visited, c.Node().Path())
	if c.Node().ID() == "G" {
		cdk.TagsOf(c).Add("added", "by-aspect")
	}
}

func TestAspectsMayAddAspects(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	s := cdk.NewStack(app, "S", cdk.StackProps{})
	g := cdk.NewConstruct(s, "G")
	cdk.NewCfnResource(g, "R", cdk.CfnResourceProps{Type: "AWS::SNS::Topic", Tagging: cdk.TagFormatStandard})
	var visited []string
	cdk.AspectsOf(s).Add(addingAspect{&visited})
	jsonEq(t, get(t, synth(t, app)["S"], "Resources", "GR3865D1CA", "Properties", "Tags"), `[{"Key":"added","Value":"by-aspect"}]`)
	if strings.Join(visited, ",") != "S,S/G,S/G/R" {
		t.Errorf("visited %v", visited)
	}
}

func TestSynthTwiceWritesToEachDirectory(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	s := cdk.NewStack(app, "S", cdk.StackProps{})
	cdk.NewCfnResource(s, "R", cdk.CfnResourceProps{Type: "AWS::SNS::Topic"})
	if _, err := app.Synth(cdk.InMemory()); err != nil {
		t.Fatal(err)
	}
	d := t.TempDir()
	asm, err := app.Synth(cdk.WithOutdir(d))
	if err != nil || asm.Directory != d {
		t.Fatalf("%v %v", asm, err)
	}
	if _, err := os.Stat(filepath.Join(d, "S.template.json")); err != nil {
		t.Error(err)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "locked") {
			t.Errorf("adding constructs after synthesis should panic about the locked tree, got %v", r)
		}
	}()
	_ = app.Node().Root()
	cdk.NewConstruct(s, "Late")
}

func TestNames(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	s := cdk.NewStack(app, "Stack", cdk.StackProps{})
	c := cdk.NewConstruct(cdk.NewConstruct(s, "Cluster"), "chart-nginx")
	// Names.uniqueId of Stack/Cluster/chart-nginx in the AWS CDK.
	if got := cdk.UniqueID(c); !strings.HasPrefix(got, "StackClusterchartnginx") || len(got) != len("StackClusterchartnginx")+8 {
		t.Errorf("UniqueID %q", got)
	}
	if got := cdk.UniqueResourceName(c, cdk.ResourceNameOptions{MaxLength: 20, AllowedSpecialCharacters: "-"}); len(got) > 20 {
		t.Errorf("UniqueResourceName %q longer than 20", got)
	}
}

// Values checked against aws-cdk-lib 2.276.0.
func TestNamesMatchTheAWSCDK(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	s2 := cdk.NewStack(app, "S2", cdk.StackProps{})
	foo := cdk.NewConstruct(s2, "Foo")
	if got := foo.Node().Addr(); !strings.HasPrefix(got, "c896eeb5") {
		t.Errorf("addr of App/S2/Foo = %s, want c896eeb5…", got)
	}
	hy := cdk.NewStack(app, "my-stack", cdk.StackProps{})
	if hy.ArtifactID() != "my-stack" || hy.StackName() != "my-stack" {
		t.Errorf("artifact %q name %q", hy.ArtifactID(), hy.StackName())
	}
	parent := cdk.NewConstruct(app, "Parent")
	inner := cdk.NewStack(parent, "My-Stack", cdk.StackProps{})
	if inner.StackName() != "ParentMyStackFD86828E" {
		t.Errorf("generated stack name %q", inner.StackName())
	}
	named := cdk.NewStack(app, "S3", cdk.StackProps{StackName: "custom-name"})
	if got := cdk.UniqueResourceName(cdk.NewConstruct(named, "Foo"), cdk.ResourceNameOptions{}); got != "customnameFooE43BC60E" {
		t.Errorf("UniqueResourceName %q", got)
	}
}

func TestParameterValueAsInt(t *testing.T) {
	t.Parallel()
	app := cdk.NewApp(cdk.AppProps{})
	s := cdk.NewStack(app, "S", cdk.StackProps{})
	p := cdk.NewCfnParameter(s, "Size", cdk.CfnParameterProps{Type: "Number", Default: 3})
	size := p.ValueAsInt()
	cdk.NewCfnResource(s, "R", cdk.CfnResourceProps{Type: "AWS::X::Y", Properties: map[string]any{"Size": cdk.Ptr(size)}})
	jsonEq(t, get(t, synth(t, app)["S"], "Resources", "R", "Properties", "Size"), `{"Ref":"Size"}`)
}
