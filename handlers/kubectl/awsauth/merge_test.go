package awsauth_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eksforge/eksforge/handlers/kubectl/awsauth"
)

func role(n string) map[string]any {
	return map[string]any{"rolearn": "arn:aws:iam::123456789012:role/" + n, "username": n, "groups": []any{"system:masters"}}
}

func TestMerge(t *testing.T) {
	t.Parallel()
	foreign := "# nodes\n- rolearn: arn:aws:iam::123456789012:role/nodes   # comment kept\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:nodes]\n"
	// Someone else's entry equal to role("a"), in their own words, and ours.
	theirsA := "- rolearn: arn:aws:iam::123456789012:role/a # theirs\n  username: a\n  groups: [system:masters]\n"
	oursA := "- groups:\n    - system:masters\n  rolearn: arn:aws:iam::123456789012:role/a\n  username: a\n"
	tests := []struct {
		name       string
		data       map[string]string
		prev, next awsauth.Entries
		want       map[string]string
	}{
		{
			name: "adds after foreign entries, keeping their bytes",
			data: map[string]string{"mapRoles": foreign},
			next: awsauth.Entries{MapRoles: []map[string]any{role("a")}},
			want: map[string]string{"mapRoles": foreign + "- groups:\n    - system:masters\n  rolearn: arn:aws:iam::123456789012:role/a\n  username: a\n"},
		},
		{
			name: "removes only its own entries",
			data: map[string]string{"mapRoles": foreign + "- groups:\n    - system:masters\n  rolearn: arn:aws:iam::123456789012:role/a\n  username: a\n"},
			prev: awsauth.Entries{MapRoles: []map[string]any{role("a")}},
			want: map[string]string{"mapRoles": foreign},
		},
		{
			name: "an identical entry of another owner stays",
			data: map[string]string{"mapAccounts": "- \"111\"\n- \"111\"\n"},
			prev: awsauth.Entries{MapAccounts: []string{"111"}},
			want: map[string]string{"mapAccounts": "- \"111\"\n"},
		},
		{
			name: "a replayed add meeting an identical foreign entry keeps the foreign text",
			data: map[string]string{"mapRoles": theirsA + oursA},
			prev: awsauth.Entries{MapRoles: []map[string]any{role("a")}},
			next: awsauth.Entries{MapRoles: []map[string]any{role("a")}},
			want: map[string]string{"mapRoles": theirsA + oursA},
		},
		{
			name: "a flow list is rewritten as a block list",
			data: map[string]string{"mapAccounts": "[\"111\", \"222\"]"},
			prev: awsauth.Entries{MapAccounts: []string{"111"}},
			want: map[string]string{"mapAccounts": "- \"222\"\n"},
		},
		{
			name: "other keys are untouched and empty lists go",
			data: map[string]string{"other": "x", "mapUsers": "- userarn: u\n  username: u\n"},
			prev: awsauth.Entries{MapUsers: []map[string]any{{"userarn": "u", "username": "u"}}},
			want: map[string]string{"other": "x"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := awsauth.Merge(tt.data, tt.prev, tt.next)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestMergeFailsOnAMapThatIsNotAList(t *testing.T) {
	t.Parallel()
	if _, err := awsauth.Merge(map[string]string{"mapRoles": "a: b"}, awsauth.Entries{}, awsauth.Entries{MapRoles: []map[string]any{role("a")}}); err == nil {
		t.Error("no error")
	}
}

func TestAnnotationKey(t *testing.T) {
	t.Parallel()
	k := awsauth.AnnotationKey("aws-auth/c/X-1234")
	if len(k) != len(awsauth.AnnotationPrefix)+16 || k == awsauth.AnnotationKey("other") {
		t.Errorf("AnnotationKey = %q", k)
	}
}
