package uniqueid

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestMakeUniqueID(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 300)
	tests := []struct {
		name       string
		components []string
		want       string
	}{
		// Pairs taken from AWS CDK synthesized templates and tests.
		{"custom resource under its construct", []string{"Cluster", "Resource", "Resource"}, "Cluster9EE0221C"},
		{"role of a cluster", []string{"Cluster", "Role", "Resource"}, "ClusterRoleFA261979"},
		{"cross-stack export", []string{"Exports", `Output{"Ref":"Cluster9EE0221C"}`}, "ExportsOutputRefCluster9EE0221C4853B4C3"},
		{"cluster output", []string{"Cluster", "ConfigCommand"}, "ClusterConfigCommand43AAE40F"},
		{"vpc subnet", []string{"Vpc", "PublicSubnet1", "Subnet"}, "VpcPublicSubnet1Subnet5C2D37C4"},
		{"vpc private subnet", []string{"Vpc", "PrivateSubnet1", "Subnet"}, "VpcPrivateSubnet1Subnet536B997A"},
		{"vpc internet gateway", []string{"Vpc", "IGW"}, "VpcIGWD7BA715C"},
		{"vpc nat gateway", []string{"VPC", "PublicSubnet1", "NATGateway"}, "VPCPublicSubnet1NATGatewayE0556630"},
		{"vpc elastic ip", []string{"VPC", "PublicSubnet1", "EIP"}, "VPCPublicSubnet1EIP6AD938E8"},
		{"vpc default route", []string{"VPC", "PublicSubnet1", "DefaultRoute"}, "VPCPublicSubnet1DefaultRoute91CEF279"},
		{"vpc second subnet", []string{"VPC", "PublicSubnet2", "Subnet"}, "VPCPublicSubnet2Subnet74179F39"},
		{
			"nested stack resource with sanitized ids",
			[]string{"@aws-cdk--aws-eks.KubectlProvider.NestedStack", "@aws-cdk--aws-eks.KubectlProvider.NestedStackResource"},
			"awscdkawseksKubectlProviderNestedStackawscdkawseksKubectlProviderNestedStackResourceA7AEBA6B",
		},
		// Corner cases, checked against aws-cdk-lib 2.276.0's makeUniqueId.
		{"single component kept as is", []string{"LaunchTemplate"}, "LaunchTemplate"},
		{"single component stripped to alphanumerics", []string{"My-Bucket.1"}, "MyBucket1"},
		{"default components dropped from hash and name", []string{"Default", "Foo", "Default", "Bar"}, "FooBarCFC0D4D9"},
		{"default alone beside one component", []string{"Foo", "Default"}, "Foo"},
		{"duplicate suffix removed from human part only", []string{"Foo", "FooBar", "Bar"}, "FooFooBar18D1D01F"},
		{"non-alphanumerics stripped", []string{"a-b.c", "d@e"}, "abcde4EC81C96"},
		{"only resources leave the hash", []string{"Resource", "Resource"}, "CF9390BA"},
		{"long single component hashed", []string{long}, strings.Repeat("x", 240) + "8A4876EA"},
		{"incomplete token marker is plain text", []string{"a${Token[", "b"}, "aTokenb2A1F3F82"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := MakeUniqueID(tt.components)
			if err != nil {
				t.Fatalf("MakeUniqueID(%q) error: %v", tt.components, err)
			}
			if got != tt.want {
				t.Errorf("MakeUniqueID(%q) = %q, want %q", tt.components, got, tt.want)
			}
		})
	}
}

func TestMakeUniqueIDErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		components []string
		wantErr    string
		wantIs     error
	}{
		{"fails on no components", nil, "empty set of components", ErrNoComponents},
		{"fails on only default components", []string{"Default", "Default"}, "empty set of components", ErrNoComponents},
		{"fails on an unresolved token", []string{"Foo", "${Token[TOKEN.12]}"}, "ID components may not include unresolved tokens: ${Token[TOKEN.12]}", nil},
		{"fails on a token inside a component", []string{"Stack-${Token[AWS.Region.5]}-x", "Bar"}, "unresolved tokens: Stack-${Token[AWS.Region.5]}-x", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := MakeUniqueID(tt.components)
			if err == nil {
				t.Fatalf("MakeUniqueID(%q) = %q, want an error", tt.components, got)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q does not contain %q", err, tt.wantErr)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("error %v is not %v", err, tt.wantIs)
			}
		})
	}
}

func TestMakeUniqueResourceName(t *testing.T) {
	t.Parallel()
	as := strings.Repeat("A", 100)
	bs := strings.Repeat("B", 100)
	// Every expectation was produced by aws-cdk-lib 2.276.0's makeUniqueResourceName.
	tests := []struct {
		name       string
		components []string
		opts       ResourceNameOptions
		want       string
	}{
		{"separator and allowed characters", []string{"MyStack", "Bucket", "Resource"}, ResourceNameOptions{MaxLength: 63, Separator: "-", AllowedSpecialCharacters: "-_."}, "MyStack-Bucket-8A5C3A6B"},
		{"prefix and middle cut", []string{as, bs}, ResourceNameOptions{MaxLength: 63, Separator: "-", Prefix: "pre"}, "preAAAAAAAAAAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBBBBBBBBBBB-9BDEFB28"},
		{"even middle cut", []string{as, bs}, ResourceNameOptions{MaxLength: 64}, "AAAAAAAAAAAAAAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBBBBBBBBBBBBB9BDEFB28"},
		{"defaults", []string{"Stack", "My_Role.x", "Default"}, ResourceNameOptions{}, "StackMyRolex6956D562"},
		{"allowed special characters kept", []string{"Stack", "My_Role.x"}, ResourceNameOptions{AllowedSpecialCharacters: "_."}, "StackMy_Role.x6956D562"},
		{"single component with prefix", []string{"Only-One"}, ResourceNameOptions{Prefix: "p-"}, "p-OnlyOne"},
		{"single component too long with negative half", []string{"Only-One"}, ResourceNameOptions{Separator: "-", MaxLength: 5}, "OnlyOnenlyOne-55565605"},
		{"zero half keeps whole human part", []string{"Foo", "Bar"}, ResourceNameOptions{MaxLength: 9}, "FooBarCFC0D4D9"},
		{"odd half truncated", []string{"Foo", "Bar"}, ResourceNameOptions{MaxLength: 11}, "FrCFC0D4D9"},
		{"empty components skipped", []string{"X", "--", "Y"}, ResourceNameOptions{Separator: "/"}, "X/Y/5BA9473E"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := MakeUniqueResourceName(tt.components, tt.opts); got != tt.want {
				t.Errorf("MakeUniqueResourceName(%q, %+v) = %q, want %q", tt.components, tt.opts, got, tt.want)
			}
		})
	}
}

func TestMakeUniqueResourceNamePanics(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		components []string
		opts       ResourceNameOptions
		wantPanic  string
	}{
		{"fails on no components", []string{"Default"}, ResourceNameOptions{}, "empty set of components"},
		{"fails on an invalid character class", []string{"A", "B"}, ResourceNameOptions{AllowedSpecialCharacters: "z-a"}, "does not form a character class"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			defer func() {
				r := recover()
				msg, _ := r.(string)
				if !strings.Contains(msg, tt.wantPanic) {
					t.Errorf("panic = %v, want one containing %q", r, tt.wantPanic)
				}
			}()
			MakeUniqueResourceName(tt.components, tt.opts)
		})
	}
}

func TestAddr(t *testing.T) {
	t.Parallel()
	// Expectations from constructs 10.x's addressOf over node.scopes ids.
	tests := []struct {
		name string
		path []string
		want string
	}{
		{"path from an app root", []string{"", "Stack", "Foo"}, "c8d490f0feebf4ac91a3740c79852f47324b974c27"},
		{"default skipped", []string{"Stack", "Default", "Foo"}, "c8f059fc736ca2c284a4734b76a5af36944908fbfc"},
		{"default skipped equals path without it", []string{"Stack", "Foo"}, "c8f059fc736ca2c284a4734b76a5af36944908fbfc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Addr(tt.path)
			if got != tt.want {
				t.Errorf("Addr(%q) = %q, want %q", tt.path, got, tt.want)
			}
			if len(got) != 42 {
				t.Errorf("len(Addr(%q)) = %d, want 42", tt.path, len(got))
			}
		})
	}
}

func ExampleMakeUniqueID() {
	// The role of an EKS cluster, at Stack/Cluster/Role/Resource.
	id, err := MakeUniqueID([]string{"Cluster", "Role", "Resource"})
	fmt.Println(id, err)
	// A top-level construct keeps its id.
	id, _ = MakeUniqueID([]string{"LaunchTemplate"})
	fmt.Println(id)
	// Output:
	// ClusterRoleFA261979 <nil>
	// LaunchTemplate
}

func ExampleAddr() {
	// node.addr of App/Stack/Foo: the App's id is "".
	fmt.Println(Addr([]string{"", "Stack", "Foo"}))
	// Output: c8d490f0feebf4ac91a3740c79852f47324b974c27
}

func TestMakeStackName(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("S", 130)
	// Stack names and artifact ids aws-cdk-lib 2.276.0 generated for stacks
	// at these paths (Prod is a Stage).
	tests := []struct {
		name       string
		components []string
		prefix     string
		want       string
	}{
		{"top-level stack keeps its id", []string{"my-stack"}, "", "my-stack"},
		{"stack inside a construct", []string{"Parent", "My-Stack"}, "", "ParentMyStackFD86828E"},
		{"too long an id is hashed", []string{long}, "", long[:120] + "47C908E1"},
		{"stack name in a stage", []string{"api-stack"}, "Prod-", "Prod-api-stack"},
		{"stack name inside a construct in a stage", []string{"Group", "Db"}, "Prod-", "Prod-GroupDbC9355E40"},
		{"artifact id of a stack in a stage", []string{"Prod", "api-stack"}, "", "Prodapistack42DE726C"},
		{"artifact id of a nested path in a stage", []string{"Prod", "Group", "Db"}, "", "ProdGroupDbEC733813"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := MakeStackName(tt.components, tt.prefix); got != tt.want {
				t.Errorf("MakeStackName(%q, %q) = %q, want %q", tt.components, tt.prefix, got, tt.want)
			}
		})
	}
}
