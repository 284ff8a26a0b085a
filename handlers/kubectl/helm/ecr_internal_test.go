package helm

import (
	"testing"

	"github.com/eksforge/eksforge/internal/testenv/motoserver"
)

func TestECRHost(t *testing.T) {
	t.Parallel()
	tests := []struct {
		host, region string
	}{
		{"123456789012.dkr.ecr.eu-west-1.amazonaws.com", "eu-west-1"},
		{"123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com", "us-gov-west-1"},
		{"123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn", "cn-north-1"},
		{"public.ecr.aws", ""},
		{"ghcr.io", ""},
	}
	for _, tt := range tests {
		m := ecrHost.FindStringSubmatch(tt.host)
		got := ""
		if m != nil {
			got = m[2]
		}
		if got != tt.region {
			t.Errorf("%s: region %q, want %q", tt.host, got, tt.region)
		}
	}
}

func TestECRLoginAgainstMoto(t *testing.T) {
	t.Parallel()
	srv := motoserver.Start(t)
	cfg, err := srv.AWSConfig(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	c := &Client{AWS: cfg}
	user, pass, err := c.ecrLogin(t.Context(), "eu-west-1")
	if err != nil {
		t.Fatal(err)
	}
	if user != "AWS" || pass == "" {
		t.Errorf("login %q / %q, want user AWS and a password", user, pass)
	}
	rc, err := c.registryClient(t.Context(), "oci://123456789012.dkr.ecr.eu-west-1.amazonaws.com/charts/x", t.TempDir())
	if err != nil || rc == nil {
		t.Errorf("registryClient: %v", err)
	}
}
