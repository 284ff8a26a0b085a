package customresources_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eksforge/eksforge/aws/customresources"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/testenv/cdklib"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

// TestParityWithAwsCdk compares our template with aws-cdk-lib 2.276's for a
// provider with isComplete and two custom resources
// (testdata/parity/customresources.js): the custom resources must render
// identically, and every resource must have the AWS CDK's logical ID and
// type. The framework functions' properties differ by design (Go runtime,
// handler names, no lambda:GetFunction, no log level settings), and so do
// the waiter definition and the policies built from them.
func TestParityWithAwsCdk(t *testing.T) {
	t.Parallel()
	_, s := synthtest.NewStack()
	provider := customresources.NewProvider(s, "Provider", customresources.ProviderProps{
		OnEventHandler: userFunction(s, "OnEvent"), IsCompleteHandler: userFunction(s, "IsComplete"),
	})
	thing := customresources.NewCustomResource(s, "Thing", customresources.CustomResourceProps{
		ServiceToken: provider.ServiceToken(),
		ResourceType: "Custom::Thing",
		Properties:   map[string]any{"Name": "thing", "Size": 3},
	})
	customresources.NewCustomResource(s, "Generic", customresources.CustomResourceProps{
		ServiceToken:         provider.ServiceToken(),
		Properties:           map[string]any{"bucketName": thing.GetAttString("Bucket"), "id": thing.Ref()},
		PascalCaseProperties: true,
		RemovalPolicy:        cdk.RemovalPolicyRetain,
		ServiceTimeout:       cdk.Minutes(5),
	})
	asm, err := s.Node().Root().(*cdk.App).Synth(cdk.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := asm.TemplateOf(s)
	cdklib.CheckParity(t, "customresources", body, func(t testing.TB, want, got map[string]any) {
		t.Helper()
		if diff := cmp.Diff(typesByID(want), typesByID(got)); diff != "" {
			t.Errorf("logical IDs and types (-aws-cdk-lib +eksforge):\n%s", diff)
		}
		for _, id := range []string{"Thing", "Generic"} {
			if diff := cmp.Diff(cdklib.Resources(want)[id], cdklib.Resources(got)[id]); diff != "" {
				t.Errorf("%s (-aws-cdk-lib +eksforge):\n%s", id, diff)
			}
		}
	})
}

func typesByID(tmpl map[string]any) map[string]any {
	out := map[string]any{}
	for id, r := range tmpl["Resources"].(map[string]any) {
		if typ := r.(map[string]any)["Type"]; typ != "AWS::CDK::Metadata" {
			out[id] = typ
		}
	}
	return out
}
