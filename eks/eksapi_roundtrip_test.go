package eks_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awseks "github.com/aws/aws-sdk-go-v2/service/eks"
	ekstypes "github.com/aws/aws-sdk-go-v2/service/eks/types"
	"github.com/google/go-cmp/cmp"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/eks"
	"github.com/eksforge/eksforge/internal/testenv/synthtest"
)

// eksWire is a small EKS endpoint for the APIs moto (5.2) does not serve:
// CreateAddon/DescribeAddon and AssociateIdentityProviderConfig/
// DescribeIdentityProviderConfig, in the REST-JSON shapes of the EKS API
// (what aws-sdk-go-v2 sends and parses). It keeps what it is given and
// answers with it, and refuses what EKS refuses: a request without its
// required members, a second identity provider on a cluster, a non-https
// issuer.
type eksWire struct {
	mu     sync.Mutex
	addons map[string]map[string]any // cluster/name -> addon
	idps   map[string]map[string]any // cluster -> oidc config
}

func (e *eksWire) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	reply := func(code int, v any) {
		w.Header().Set("Content-Type", "application/json")
		if code != http.StatusOK {
			w.Header().Set("X-Amzn-Errortype", v.(map[string]any)["__type"].(string))
		}
		w.WriteHeader(code)
		json.NewEncoder(w).Encode(v)
	}
	invalid := func(msg string) {
		reply(http.StatusBadRequest, map[string]any{"__type": "InvalidParameterException", "message": msg})
	}
	var body map[string]any
	if r.Method == http.MethodPost {
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			invalid("body: " + err.Error())
			return
		}
	}
	if len(parts) < 3 || parts[0] != "clusters" {
		http.NotFound(w, r)
		return
	}
	cluster := parts[1]
	switch {
	case r.Method == http.MethodPost && len(parts) == 3 && parts[2] == "addons":
		name, _ := body["addonName"].(string)
		if name == "" {
			invalid("addonName is required")
			return
		}
		a := map[string]any{"clusterName": cluster, "status": "ACTIVE", "addonArn": "arn:aws:eks:us-east-1:123456789012:addon/" + cluster + "/" + name + "/1"}
		for k, v := range body {
			if k != "clientRequestToken" && k != "resolveConflicts" {
				a[k] = v
			}
		}
		if v, ok := a["addonVersion"]; !ok || v == "" {
			a["addonVersion"] = "v1.0.0-eksbuild.1" // EKS's default for the cluster
		}
		if ns, ok := body["namespaceConfig"].(map[string]any); ok {
			a["namespaceConfig"] = ns
		}
		if pias, ok := body["podIdentityAssociations"].([]any); ok {
			var arns []any
			for i := range pias {
				arns = append(arns, fmt.Sprintf("arn:aws:eks:us-east-1:123456789012:podidentityassociation/%s/a-%d", cluster, i))
			}
			a["podIdentityAssociations"] = arns
		}
		e.addons[cluster+"/"+name] = a
		reply(http.StatusOK, map[string]any{"addon": a})
	case r.Method == http.MethodGet && len(parts) == 4 && parts[2] == "addons":
		a, ok := e.addons[cluster+"/"+parts[3]]
		if !ok {
			reply(http.StatusNotFound, map[string]any{"__type": "ResourceNotFoundException", "message": "no add-on " + parts[3]})
			return
		}
		reply(http.StatusOK, map[string]any{"addon": a})
	case r.Method == http.MethodPost && len(parts) == 4 && parts[2] == "identity-provider-configs" && parts[3] == "associate":
		oidc, _ := body["oidc"].(map[string]any)
		for _, k := range []string{"identityProviderConfigName", "issuerUrl", "clientId"} {
			if s, _ := oidc[k].(string); s == "" {
				invalid("oidc." + k + " is required")
				return
			}
		}
		if !strings.HasPrefix(oidc["issuerUrl"].(string), "https://") {
			invalid("issuerUrl must be https")
			return
		}
		if _, ok := e.idps[cluster]; ok {
			reply(http.StatusBadRequest, map[string]any{"__type": "InvalidRequestException", "message": "an identity provider is already associated with the cluster"})
			return
		}
		c := map[string]any{"clusterName": cluster, "status": "ACTIVE",
			"identityProviderConfigArn": "arn:aws:eks:us-east-1:123456789012:identityproviderconfig/" + cluster + "/oidc/" + oidc["identityProviderConfigName"].(string) + "/1"}
		for k, v := range oidc {
			c[k] = v
		}
		if t, ok := body["tags"]; ok {
			c["tags"] = t
		}
		e.idps[cluster] = c
		reply(http.StatusOK, map[string]any{"update": map[string]any{"id": "1", "status": "InProgress", "type": "AssociateIdentityProviderConfig"}})
	case r.Method == http.MethodPost && len(parts) == 4 && parts[2] == "identity-provider-configs" && parts[3] == "describe":
		ref, _ := body["identityProviderConfig"].(map[string]any)
		c, ok := e.idps[cluster]
		if !ok || ref["type"] != "oidc" || ref["name"] != c["identityProviderConfigName"] {
			reply(http.StatusNotFound, map[string]any{"__type": "ResourceNotFoundException", "message": fmt.Sprintf("no identity provider %v", ref)})
			return
		}
		reply(http.StatusOK, map[string]any{"identityProviderConfig": map[string]any{"oidc": c}})
	default:
		http.NotFound(w, r)
	}
}

// resolveForDeploy replaces the template's tokens with deploy-time values:
// a Ref to the cluster is "test", a role's Arn is a role ARN named after its
// logical ID, Fn::Join is joined.
func resolveForDeploy(t *testing.T, v any) any {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		if r, ok := x["Ref"].(string); ok {
			if strings.HasPrefix(r, "Cluster") {
				return "test"
			}
			t.Fatalf("no deploy-time value for Ref %s", r)
		}
		if ga, ok := x["Fn::GetAtt"].([]any); ok {
			if ga[1] == "Arn" {
				return fmt.Sprintf("arn:aws:iam::123456789012:role/%v", ga[0])
			}
			t.Fatalf("no deploy-time value for %v", ga)
		}
		if j, ok := x["Fn::Join"].([]any); ok {
			var parts []string
			for _, p := range j[1].([]any) {
				parts = append(parts, fmt.Sprint(resolveForDeploy(t, p)))
			}
			return strings.Join(parts, j[0].(string))
		}
		out := map[string]any{}
		for k, e := range x {
			out[k] = resolveForDeploy(t, e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = resolveForDeploy(t, e)
		}
		return out
	}
	return v
}

// strictInto decodes the CloudFormation properties p into the SDK input
// *in: every property must be a member of the API request (names match up
// to case, as CloudFormation's EKS provider maps them), so a property the
// API does not have fails the test instead of being lost.
func strictInto(t *testing.T, what string, p map[string]any, in any) {
	t.Helper()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(in); err != nil {
		t.Fatalf("%s: the template's properties are not an EKS API request: %v\n%s", what, err, b)
	}
}

// TestAddonsAndIdentityProviderRoundTripTheEksApi sends the synthesized
// AWS::EKS::Addon and AWS::EKS::IdentityProviderConfig resources to an EKS
// endpoint as CloudFormation's EKS provider does (CreateAddon,
// AssociateIdentityProviderConfig) and reads them back (DescribeAddon,
// DescribeIdentityProviderConfig): every property the library writes is a
// member of the API request, of the API's type, and comes back as written.
// moto 5.2 serves neither API (nor the AWS::EKS::* types in its
// CloudFormation), so the endpoint is eksWire, speaking the API's REST-JSON
// wire shapes through aws-sdk-go-v2.
func TestAddonsAndIdentityProviderRoundTripTheEksApi(t *testing.T) {
	t.Parallel()
	_, stack := synthtest.NewStack()
	c := eks.NewCluster(stack, "Cluster", eks.ClusterProps{Version: eks.V1_34, DefaultCapacity: cdk.Ptr(0)})
	c.AddAddon("VpcCni", eks.AddonOptions{
		AddonName:     eks.AddonNameVpcCni,
		AddonVersion:  "v1.20.4-eksbuild.1",
		BeforeCompute: true,
		PodIdentityAssociations: []eks.AddonPodIdentityAssociation{{
			ServiceAccount:  "aws-node",
			ManagedPolicies: []iam.IManagedPolicy{iam.ManagedPolicyFromAwsManagedPolicyName("AmazonEKS_CNI_Policy")},
		}},
		ConfigurationValues: map[string]any{"env": map[string]any{"ENABLE_PREFIX_DELEGATION": "true"}},
		ResolveConflicts:    eks.ResolveConflictsOverwrite,
		PreserveOnDelete:    true,
	})
	c.AddAddon("Metrics", eks.AddonOptions{AddonName: "metrics-server", Namespace: "monitoring"})
	c.AddOidcIdentityProvider("Okta", eks.OidcIdentityProviderOptions{
		IssuerUrl: "https://example.okta.com/oauth2/default", ClientId: "kubernetes",
		UsernameClaim: "email", UsernamePrefix: "okta:", GroupsClaim: "groups", GroupsPrefix: "okta:",
		RequiredClaims: map[string]string{"tenant": "example", "hd": "example.com"},
	})
	tmpl := synthtest.Template(t, stack)

	wire := &eksWire{addons: map[string]map[string]any{}, idps: map[string]map[string]any{}}
	srv := httptest.NewServer(wire)
	t.Cleanup(srv.Close)
	client := awseks.New(awseks.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  aws.AnonymousCredentials{},
	})
	ctx := context.Background()

	var addons, idps int
	for id, r := range tmpl["Resources"].(map[string]any) {
		rm := r.(map[string]any)
		typ := rm["Type"]
		if typ != "AWS::EKS::Addon" && typ != "AWS::EKS::IdentityProviderConfig" {
			continue
		}
		props, _ := resolveForDeploy(t, rm["Properties"]).(map[string]any)
		switch typ {
		case "AWS::EKS::Addon":
			addons++
			// PreserveOnDelete is DeleteAddon's "preserve"; Tags are a map
			// in the API.
			delete(props, "PreserveOnDelete")
			delete(props, "Tags")
			var in awseks.CreateAddonInput
			strictInto(t, id, props, &in)
			if _, err := client.CreateAddon(ctx, &in); err != nil {
				t.Fatalf("%s: CreateAddon: %v", id, err)
			}
			out, err := client.DescribeAddon(ctx, &awseks.DescribeAddonInput{ClusterName: in.ClusterName, AddonName: in.AddonName})
			if err != nil {
				t.Fatalf("%s: DescribeAddon: %v", id, err)
			}
			got := out.Addon
			if aws.ToString(got.AddonName) != aws.ToString(in.AddonName) || aws.ToString(got.ConfigurationValues) != aws.ToString(in.ConfigurationValues) ||
				(in.AddonVersion != nil && aws.ToString(got.AddonVersion) != *in.AddonVersion) {
				t.Errorf("%s: read back %+v, created with %+v", id, got, in)
			}
			if in.NamespaceConfig != nil && (got.NamespaceConfig == nil || aws.ToString(got.NamespaceConfig.Namespace) != aws.ToString(in.NamespaceConfig.Namespace)) {
				t.Errorf("%s: namespace %v, want %v", id, got.NamespaceConfig, in.NamespaceConfig)
			}
			if len(got.PodIdentityAssociations) != len(in.PodIdentityAssociations) {
				t.Errorf("%s: %d Pod Identity associations read back, %d created", id, len(got.PodIdentityAssociations), len(in.PodIdentityAssociations))
			}
			if in.ConfigurationValues != nil && !json.Valid([]byte(*in.ConfigurationValues)) {
				t.Errorf("%s: configuration values are not JSON: %s", id, *in.ConfigurationValues)
			}
		case "AWS::EKS::IdentityProviderConfig":
			idps++
			// CloudFormation's provider moves the name into the OIDC
			// request and turns the claims list into the API's map; Type
			// picks the request member.
			oidc := props["Oidc"].(map[string]any)
			oidc["IdentityProviderConfigName"] = props["IdentityProviderConfigName"]
			claims := map[string]any{}
			for _, c := range oidc["RequiredClaims"].([]any) {
				cm := c.(map[string]any)
				claims[cm["Key"].(string)] = cm["Value"]
			}
			oidc["RequiredClaims"] = claims
			if props["Type"] != "oidc" {
				t.Errorf("%s: Type %v", id, props["Type"])
			}
			var in awseks.AssociateIdentityProviderConfigInput
			strictInto(t, id, map[string]any{"ClusterName": props["ClusterName"], "Oidc": oidc}, &in)
			if _, err := client.AssociateIdentityProviderConfig(ctx, &in); err != nil {
				t.Fatalf("%s: AssociateIdentityProviderConfig: %v", id, err)
			}
			out, err := client.DescribeIdentityProviderConfig(ctx, &awseks.DescribeIdentityProviderConfigInput{
				ClusterName:            in.ClusterName,
				IdentityProviderConfig: &ekstypes.IdentityProviderConfig{Type: aws.String("oidc"), Name: in.Oidc.IdentityProviderConfigName},
			})
			if err != nil {
				t.Fatalf("%s: DescribeIdentityProviderConfig: %v", id, err)
			}
			got := out.IdentityProviderConfig.Oidc
			want := in.Oidc
			if diff := cmp.Diff(
				[]string{aws.ToString(want.IssuerUrl), aws.ToString(want.ClientId), aws.ToString(want.UsernameClaim), aws.ToString(want.UsernamePrefix), aws.ToString(want.GroupsClaim), aws.ToString(want.GroupsPrefix)},
				[]string{aws.ToString(got.IssuerUrl), aws.ToString(got.ClientId), aws.ToString(got.UsernameClaim), aws.ToString(got.UsernamePrefix), aws.ToString(got.GroupsClaim), aws.ToString(got.GroupsPrefix)},
			); diff != "" {
				t.Errorf("%s: read back differs (-created +read):\n%s", id, diff)
			}
			if diff := cmp.Diff(map[string]string{"tenant": "example", "hd": "example.com"}, got.RequiredClaims); diff != "" {
				t.Errorf("%s: required claims (-want +got):\n%s", id, diff)
			}
			// EKS keeps one provider per cluster, as the library checks at
			// synthesis.
			if _, err := client.AssociateIdentityProviderConfig(ctx, &in); err == nil {
				t.Errorf("%s: a second provider was associated", id)
			}
		}
	}
	// The Pod Identity Agent, the two add-ons, one provider.
	if addons != 3 || idps != 1 {
		t.Errorf("round-tripped %d add-ons and %d identity providers, want 3 and 1", addons, idps)
	}
}
