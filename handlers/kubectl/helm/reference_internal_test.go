package helm

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"oras.land/oras-go/v2/errdef"
)

func TestChartReferences(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, repository, chart string
		wantRefs                []string
		wantRepoURL             string
	}{
		{"https repository keeps the chart name", "https://charts.example.com", "app", []string{"app"}, "https://charts.example.com"},
		{"oci registry prefix joined with the chart", "oci://registry.example.com/charts", "app", []string{"oci://registry.example.com/charts/app"}, ""},
		{"oci prefix with a trailing slash", "oci://registry.example.com/charts/", "/app", []string{"oci://registry.example.com/charts/app"}, ""},
		{"prefix named like the chart tries the join first (Karpenter's registry)", "oci://public.ecr.aws/karpenter", "karpenter", []string{"oci://public.ecr.aws/karpenter/karpenter", "oci://public.ecr.aws/karpenter"}, ""},
		{"the AWS CDK's form: Repository is the chart's reference", "oci://public.ecr.aws/aws-ec2/helm/aws-node-termination-handler", "aws-node-termination-handler", []string{"oci://public.ecr.aws/aws-ec2/helm/aws-node-termination-handler/aws-node-termination-handler", "oci://public.ecr.aws/aws-ec2/helm/aws-node-termination-handler"}, ""},
		{"oci repository without a chart name", "oci://registry.example.com/charts/app", "", []string{"oci://registry.example.com/charts/app"}, ""},
		{"full oci reference in Chart wins", "oci://registry.example.com/other", "oci://registry.example.com/charts/app", []string{"oci://registry.example.com/charts/app"}, ""},
		{"no repository", "", "oci://registry.example.com/charts/app", []string{"oci://registry.example.com/charts/app"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			refs, repoURL := chartReferences(tc.repository, tc.chart)
			if !slices.Equal(refs, tc.wantRefs) || repoURL != tc.wantRepoURL {
				t.Errorf("chartReferences(%q, %q) = %q, %q; want %q, %q", tc.repository, tc.chart, refs, repoURL, tc.wantRefs, tc.wantRepoURL)
			}
		})
	}
}

func TestIsNotFound(t *testing.T) {
	t.Parallel()
	if !isNotFound(fmt.Errorf("unable to fetch chart: %w", errdef.ErrNotFound)) {
		t.Error("a wrapped errdef.ErrNotFound is not found")
	}
	if isNotFound(errors.New("unable to fetch chart: 401 Unauthorized")) {
		t.Error("an authorization failure must not fall back to another reference")
	}
}
