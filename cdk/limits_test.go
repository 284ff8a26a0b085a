package cdk_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/cdk"
)

// TestBadStacksAreSynthesisErrors: environments AWS would not recognise,
// two stacks deploying to one CloudFormation stack, and templates over
// CloudFormation's limits fail synthesis with the stack's path and the
// offending value.
func TestBadStacksAreSynthesisErrors(t *testing.T) {
	t.Parallel()
	tag := func(key, value string) func(app *cdk.App) {
		return func(app *cdk.App) {
			s := cdk.NewStack(app, "Stack", cdk.StackProps{})
			cdk.NewCfnResource(s, "Topic", cdk.CfnResourceProps{Type: "AWS::SNS::Topic"})
			cdk.TagsOf(s).Add(key, value)
		}
	}
	env := func(account, region string) func(app *cdk.App) {
		return func(app *cdk.App) {
			cdk.NewStack(app, "Stack", cdk.StackProps{Env: cdk.Environment{Account: account, Region: region}})
		}
	}
	for _, tc := range []struct {
		name  string
		build func(app *cdk.App)
		path  string
		want  []string
	}{
		{"fails with an 11-digit account", env("12345678901", "us-east-1"), "Stack", []string{`Env.Account "12345678901" is not an AWS account ID`}},
		{"fails with a 13-digit account", env("1234567890123", "us-east-1"), "Stack", []string{`Env.Account "1234567890123"`}},
		{"fails with an account with dashes", env("1234-5678-9012", "us-east-1"), "Stack", []string{`Env.Account "1234-5678-9012"`}},
		{"fails with an account alias", env("prod", "us-east-1"), "Stack", []string{`Env.Account "prod"`}},
		{"fails with an upper-case region", env("123456789012", "US-EAST-1"), "Stack", []string{`Env.Region "US-EAST-1" is not an AWS region name`}},
		{"fails with a region name", env("123456789012", "N. Virginia"), "Stack", []string{`Env.Region "N. Virginia"`}},
		{"fails with an availability zone as region", env("123456789012", "us-east-1a"), "Stack", []string{`Env.Region "us-east-1a"`}},
		{"fails with a region without a number", env("123456789012", "eu-west"), "Stack", []string{`Env.Region "eu-west"`}},
		{"fails with two stacks of one name", func(app *cdk.App) {
			cdk.NewStack(app, "A", cdk.StackProps{StackName: "prod"})
			cdk.NewStack(app, "B", cdk.StackProps{StackName: "prod"})
		}, "B", []string{`stack name "prod" is already used by A in the same environment`}},
		{"fails with a stack named like another's id", func(app *cdk.App) {
			cdk.NewStack(app, "Prod", cdk.StackProps{Env: cdk.Environment{Account: "123456789012", Region: "eu-west-1"}})
			cdk.NewStack(app, "Other", cdk.StackProps{StackName: "Prod", Env: cdk.Environment{Account: "123456789012", Region: "eu-west-1"}})
		}, "Other", []string{`stack name "Prod" is already used by Prod`}},
		{"fails with a tag key starting with aws:", tag("aws:cost-center", "x"), "Stack", []string{`TagsOf(Stack).Add: tag key "aws:cost-center" starts with "aws:"`}},
		{"fails with a tag key starting with AWS:", tag("AWS:Owner", "x"), "Stack", []string{`tag key "AWS:Owner" starts with "aws:"`}},
		{"fails with an empty tag key", tag(" ", "x"), "Stack", []string{"TagsOf(Stack).Add: the tag key is empty"}},
		{"fails with a 129-character tag key", tag(strings.Repeat("k", 129), "x"), "Stack", []string{"is 129 characters long; AWS allows at most 128"}},
		{"fails with a 257-character tag value", tag("team", strings.Repeat("v", 257)), "Stack", []string{`the value of tag "team" is 257 characters long; AWS allows at most 256`}},
		{"fails with 501 resources", func(app *cdk.App) {
			s := cdk.NewStack(app, "Stack", cdk.StackProps{})
			for i := 0; i < 501; i++ {
				cdk.NewCfnResource(s, fmt.Sprintf("Topic%d", i), cdk.CfnResourceProps{Type: "AWS::SNS::Topic"})
			}
		}, "Stack", []string{"the stack has 501 resources; CloudFormation allows at most 500"}},
		{"fails with a template over 1 MB", func(app *cdk.App) {
			s := cdk.NewStack(app, "Stack", cdk.StackProps{})
			for i := 0; i < 6; i++ {
				cdk.NewCfnResource(s, fmt.Sprintf("Param%d", i), cdk.CfnResourceProps{Type: "AWS::SSM::Parameter", Properties: map[string]any{"Type": "String", "Value": strings.Repeat("x", 200_000+i)}})
			}
		}, "Stack", []string{"the template is", "CloudFormation accepts at most 1048576", "Stack/Param5 (200"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app := cdk.NewApp(cdk.AppProps{})
			tc.build(app)
			_, err := app.Synth(cdk.InMemory())
			var se *cdk.SynthError
			if !errors.As(err, &se) {
				t.Fatalf("got %v, want a *cdk.SynthError", err)
			}
			for _, p := range se.Problems {
				ok := p.Path == tc.path
				for _, f := range tc.want {
					ok = ok && strings.Contains(p.Message, f)
				}
				if ok {
					return
				}
			}
			t.Errorf("no problem on %s with %q in:\n%v", tc.path, tc.want, err)
		})
	}
}

// TestValidStacksAtTheLimits synthesize.
func TestValidStacksAtTheLimits(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		build func(app *cdk.App)
	}{
		{"regions of every partition shape", func(app *cdk.App) {
			for i, r := range []string{"us-east-1", "us-gov-west-1", "cn-northwest-1", "ap-southeast-7", "us-isob-east-1", "eusc-de-east-1"} {
				cdk.NewStack(app, fmt.Sprintf("S%d", i), cdk.StackProps{Env: cdk.Environment{Account: "012345678901", Region: r}})
			}
		}},
		{"one stack name in two environments", func(app *cdk.App) {
			cdk.NewStack(app, "A", cdk.StackProps{StackName: "prod", Env: cdk.Environment{Account: "123456789012", Region: "us-east-1"}})
			cdk.NewStack(app, "B", cdk.StackProps{StackName: "prod", Env: cdk.Environment{Account: "123456789012", Region: "eu-west-1"}})
		}},
		{"tags at AWS's limits", func(app *cdk.App) {
			s := cdk.NewStack(app, "Stack", cdk.StackProps{})
			cdk.NewCfnResource(s, "Topic", cdk.CfnResourceProps{Type: "AWS::SNS::Topic"})
			cdk.TagsOf(s).Add(strings.Repeat("k", 128), strings.Repeat("v", 256))
			cdk.TagsOf(s).Add("aws-cdk:subnet-name", "")
			cdk.TagsOf(s).Add("awsome:team", "x")
		}},
		{"500 resources", func(app *cdk.App) {
			s := cdk.NewStack(app, "Stack", cdk.StackProps{})
			for i := 0; i < 500; i++ {
				cdk.NewCfnResource(s, fmt.Sprintf("Topic%d", i), cdk.CfnResourceProps{Type: "AWS::SNS::Topic"})
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app := cdk.NewApp(cdk.AppProps{})
			tc.build(app)
			if _, err := app.Synth(cdk.InMemory()); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestWithOutdirEmptyMeansTheAppsOutdir: WithOutdir("") writes where Synth()
// would, not to the current directory.
func TestWithOutdirEmptyMeansTheAppsOutdir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	app := cdk.NewApp(cdk.AppProps{Outdir: dir})
	cdk.NewStack(app, "Stack", cdk.StackProps{})
	if _, err := app.Synth(cdk.WithOutdir("")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "manifest.json")); err != nil {
		t.Fatalf("no manifest.json in the app's outdir: %v", err)
	}
}

// bigParam is a TemplateOffloader for the tests: an SSM parameter whose
// value leaves the template when offloaded (or cannot, when stuck).
type bigParam struct {
	cdk.Base
	res   *cdk.CfnResource
	stuck bool
	moved bool
}

func newBigParam(scope cdk.Construct, id string, size int, stuck bool) *bigParam {
	p := &bigParam{stuck: stuck}
	cdk.InitConstruct(p, scope, id)
	p.res = cdk.NewCfnResource(p, "Resource", cdk.CfnResourceProps{Type: "AWS::SSM::Parameter", Properties: map[string]any{"Type": "String", "Value": strings.Repeat("x", size)}})
	return p
}

func (p *bigParam) OffloadableResource() (*cdk.CfnResource, string) {
	switch {
	case p.moved:
		return nil, ""
	case p.stuck:
		return p.res, "it is stuck"
	}
	return p.res, ""
}

func (p *bigParam) OffloadFromTemplate(int) {
	p.res.AddPropertyOverride("Value", "moved")
	p.moved = true
}

// TestOversizedTemplatesAreMeasuredAndOffloaded: a template over 1 MB as
// rendered has its largest TemplateOffloaders offloaded until it fits, in
// a top-level and in a nested stack; what cannot move is named, with its
// size, in the error.
func TestOversizedTemplatesAreMeasuredAndOffloaded(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		nested    bool
		wantMoved []int
	}{
		{"a top-level stack", false, []int{0, 1}},
		{"a nested stack", true, []int{0, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			app := cdk.NewApp(cdk.AppProps{})
			s := cdk.NewStack(app, "Stack", cdk.StackProps{})
			var scope cdk.Construct = s
			tmpl := s
			if tc.nested {
				ns := cdk.NewNestedStack(s, "Inner", cdk.NestedStackProps{})
				scope, tmpl = ns, &ns.Stack
			}
			// 6 × ~210 KB: 1.26 MB; the two largest must go.
			var params []*bigParam
			for i := range 6 {
				params = append(params, newBigParam(scope, fmt.Sprintf("P%d", i), 210_000-i*100, false))
			}
			asm, err := app.Synth(cdk.InMemory())
			if err != nil {
				t.Fatal(err)
			}
			b, _ := asm.TemplateOf(tmpl)
			if len(b) > cdk.MaxTemplateBytes {
				t.Errorf("template is %d bytes", len(b))
			}
			var moved []int
			for i, p := range params {
				if p.moved {
					moved = append(moved, i)
				}
			}
			if fmt.Sprint(moved) != fmt.Sprint(tc.wantMoved) {
				t.Errorf("moved %v, want %v (the largest, no more than needed)", moved, tc.wantMoved)
			}
		})
	}
	t.Run("fails naming what cannot move", func(t *testing.T) {
		t.Parallel()
		app := cdk.NewApp(cdk.AppProps{})
		s := cdk.NewStack(app, "Stack", cdk.StackProps{})
		for i := range 6 {
			newBigParam(s, fmt.Sprintf("P%d", i), 210_000-i*100, i < 5)
		}
		_, err := app.Synth(cdk.InMemory())
		if err == nil || !strings.Contains(err.Error(), "these cannot leave the template: Stack/P0 (210") ||
			!strings.Contains(err.Error(), "Stack/P4 (209") || !strings.Contains(err.Error(), "because it is stuck") {
			t.Fatalf("got %v, want the stuck parameters named with their sizes", err)
		}
	})
}
