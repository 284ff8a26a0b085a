package eks

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/eksforge/eksforge/cdk"
)

// HelmChartResourceType is the custom resource type of Helm releases.
const HelmChartResourceType = "Custom::AWSCDK-EKS-HelmChart"

// MaxReleaseNameLength is Helm's limit on release names.
const MaxReleaseNameLength = 53

var releasePattern = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)

// HelmChartOptions are the settings of a Helm release besides its cluster.
type HelmChartOptions struct {
	// Chart is the chart's name in Repository, or a full "oci://"
	// reference. Required unless ChartAsset is set.
	Chart string
	// Repository is the chart repository's URL ("https://…") or an OCI
	// registry ("oci://…").
	// Default: none (Chart must then be a full reference, or use ChartAsset).
	Repository string
	// ChartAsset is a local chart directory (with Chart.yaml), packaged at
	// synthesis into a deterministic .tgz and uploaded as an asset. Every
	// file is packaged except version-control directories; .helmignore is
	// not read.
	// Default: none.
	ChartAsset string
	// Version is the chart version (constraint).
	// Default: the latest.
	Version string
	// Values are the chart's values; they may hold tokens.
	// Default: the chart's own.
	Values map[string]any
	// Namespace of the release.
	// Default: "default".
	Namespace string
	// DisableCreateNamespace makes the release fail if its namespace is
	// missing (the AWS CDK's createNamespace: false); by default the
	// namespace is created.
	// Default: false, a missing namespace is created.
	DisableCreateNamespace bool
	// Wait waits until the release's resources are ready.
	// Default: false.
	Wait bool
	// Timeout bounds the install or upgrade, waiting included. Up to the
	// kubectl handler's timeout less a minute (14 minutes by default) it
	// runs in one invocation; a longer one, with Wait, continues in the
	// handler's waiter, invocation after invocation, up to
	// MaxKubernetesOperationSeconds (59 minutes: CloudFormation waits at
	// most an hour for a custom resource). See
	// docs/guide/long-operations.md.
	// Default: Helm's (5 minutes).
	Timeout cdk.Duration
	// Atomic rolls the release back when an install or upgrade fails.
	// Default: false.
	Atomic bool
	// SkipCrds skips the chart's CRDs.
	// Default: false.
	SkipCrds bool
	// Release is the release name, at most 53 characters.
	// Default: the last 53 characters of the construct's unique ID,
	// lower-cased (the AWS CDK's).
	Release string
	// RemovalPolicy: cdk.RemovalPolicyRetain keeps the release when the
	// chart leaves the stack.
	// Default: cdk.RemovalPolicyDestroy (uninstalled).
	RemovalPolicy cdk.RemovalPolicy
}

// HelmChartProps define a HelmChart.
type HelmChartProps struct {
	HelmChartOptions
	// Cluster is where the release goes. Required.
	Cluster ICluster
}

// HelmChart is a Helm release in a cluster (custom resource
// Custom::AWSCDK-EKS-HelmChart, installed with the Helm Go SDK by the
// cluster's kubectl handler). Charts install concurrently unless ordered
// with Node().AddDependency.
type HelmChart struct {
	cdk.Base
	// Resource is the custom resource.
	Resource  *cdk.CfnResource
	release   string
	namespace string
	uses      manifestRefs
	// controls says which cloud resources the chart's controller deletes
	// (eks/teardown_order.go).
	controls cloudNeeds
}

// NewHelmChart adds a Helm release to scope.
func NewHelmChart(scope cdk.Construct, id string, props HelmChartProps) *HelmChart {
	h := &HelmChart{}
	cdk.InitConstruct(h, scope, id)
	requiredCluster(h.Node().Path(), "HelmChartProps.Cluster", props.Cluster)
	o := props.HelmChartOptions
	if o.Chart == "" && o.ChartAsset == "" {
		h.Node().AddError("the chart has neither Chart nor ChartAsset: set Chart (with Repository, or a full oci:// reference) or ChartAsset (a local chart directory)")
	}
	if o.Chart != "" && o.ChartAsset != "" {
		h.Node().AddError("Chart and ChartAsset are both set: use one")
	}
	if o.ChartAsset != "" && (o.Repository != "" || o.Version != "") {
		h.Node().AddError("Repository and Version cannot be used with ChartAsset: the chart directory is packaged as is")
	}
	if o.Repository != "" && !cdk.IsUnresolved(o.Repository) && !strings.HasPrefix(o.Repository, "https://") && !strings.HasPrefix(o.Repository, "http://") && !strings.HasPrefix(o.Repository, "oci://") {
		h.Node().AddError("Repository %q must be an https:// chart repository or an oci:// registry", o.Repository)
	}
	h.release = o.Release
	if h.release == "" {
		u := cdk.UniqueID(h)
		if len(u) > MaxReleaseNameLength {
			u = u[len(u)-MaxReleaseNameLength:]
		}
		h.release = strings.ToLower(u)
	} else if !cdk.IsUnresolved(h.release) {
		if len(h.release) > MaxReleaseNameLength {
			h.Node().AddError("Release %q is %d characters long; Helm allows at most %d", h.release, len(h.release), MaxReleaseNameLength)
		} else if !releasePattern.MatchString(h.release) {
			h.Node().AddError("Release %q is not a valid Helm release name: use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit", h.release)
		}
	}
	ns := o.Namespace
	if ns == "" {
		ns = "default"
	}
	h.checkHelmChart(props.Cluster, o, ns)
	createNS := !o.DisableCreateNamespace
	props2 := map[string]any{
		"Release":         h.release,
		"Namespace":       ns,
		"Chart":           nilIfEmpty(o.Chart),
		"Repository":      nilIfEmpty(o.Repository),
		"Version":         nilIfEmpty(o.Version),
		"CreateNamespace": boolProp(createNS),
		"Wait":            boolProp(o.Wait),
		"Atomic":          boolProp(o.Atomic),
		"SkipCrds":        boolProp(o.SkipCrds),
	}
	total, timeoutOK := h.helmTimeout(props.Cluster, o)
	if timeoutOK && !o.Timeout.IsZero() {
		secs, _ := o.Timeout.ToSeconds()
		props2["Timeout"] = (time.Duration(secs) * time.Second).String()
	}
	if o.Values != nil {
		values, err := jsonObject(o.Values)
		if err != nil {
			h.Node().AddError("Values: %v", err)
		} else if warnSecretValues(h, values); tokenKey(values, "") != "" {
			k := tokenKey(values, "")
			h.Node().AddError("Values has a late-bound value (token) in the map key %s: keys must be known at synthesis; move the value into a map value", k)
		} else {
			props2["Values"] = cdk.Fn.ToJsonString(values)
		}
	}
	prov := KubectlProviderOf(props.Cluster)
	if o.ChartAsset != "" {
		data, err := packageChart(o.ChartAsset)
		if err != nil {
			h.Node().AddError("ChartAsset: %v", err)
		} else {
			loc := cdk.StackOf(h).AddFileAsset(cdk.FileAssetSource{Data: data, Extension: ".tgz", DisplayName: h.Node().Path() + " chart"})
			props2["ChartAsset"] = map[string]any{"Bucket": loc.BucketName, "Key": loc.ObjectKey}
			grantAssetRead(h, prov, loc.BucketName, loc.ObjectKey)
		}
	}
	grantEcrPull(h, prov, o.Repository, o.Chart)
	h.namespace = ns
	declareStackObjects(h, props.Cluster, declaresReleases, props2)
	h.Resource = newKubectlResource(h, kubectlResourceProps{
		cluster:       props.Cluster,
		helm:          true,
		typ:           HelmChartResourceType,
		properties:    props2,
		removalPolicy: o.RemovalPolicy,
		totalSeconds:  total,
	})
	if total > 0 {
		// The wait continues in the provider's waiter, which the Helm
		// handler must be allowed to start first.
		kp := prov.(*KubectlProvider)
		h.Resource.Node().AddDependency(kp.startsWaiter(kp.HelmHandler()))
	}
	h.namespace = ns
	h.uses = newRefs()
	if !createNS {
		h.uses.namespaces[ns] = true
	}
	st := stateOf(props.Cluster)
	for _, m := range st.manifests {
		if needs(h.uses, m.provides) {
			order(h, m)
		}
	}
	st.charts = append(st.charts, h)
	if o.Chart != "" {
		h.controls = chartControls(o.Chart)
		orderControllerTeardown(props.Cluster, h, h.controls)
	}
	return h
}

// Release is the release name.
func (h *HelmChart) Release() string { return h.release }

// AddHelmChart installs a Helm chart in the cluster, as a HelmChart with id
// "chart-<id>" under the cluster.
func (c *Cluster) AddHelmChart(id string, opts HelmChartOptions) *HelmChart {
	return AddHelmChart(c, id, opts)
}

// AddHelmChart installs a chart in any cluster, owned or imported (see
// [Cluster.AddHelmChart]).
func AddHelmChart(c ICluster, id string, opts HelmChartOptions) *HelmChart {
	return NewHelmChart(c, "chart-"+id, HelmChartProps{HelmChartOptions: opts, Cluster: c})
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// packageChart makes a deterministic .tgz of a chart directory: entries
// sorted, under "<chart name>/", with zero times, owners and fixed modes,
// and a gzip header without name or time, so the same directory gives the
// same bytes (and asset hash) on every machine.
func packageChart(dir string) ([]byte, error) {
	meta, err := os.ReadFile(filepath.Join(dir, "Chart.yaml"))
	if err != nil {
		return nil, fmt.Errorf("%s is not a Helm chart directory: %w", dir, err)
	}
	var chart struct {
		Name string `json:"name"`
	}
	if err := yaml.Unmarshal(meta, &chart); err != nil || chart.Name == "" {
		return nil, fmt.Errorf("%s/Chart.yaml has no name", dir)
	}
	var files []string
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == ".hg" || d.Name() == ".svn") {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var buf bytes.Buffer
	gz, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	tw := tar.NewWriter(gz)
	for _, p := range files {
		rel, _ := filepath.Rel(dir, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		hdr := &tar.Header{Name: chart.Name + "/" + filepath.ToSlash(rel), Mode: 0o644, Size: int64(len(b)), Typeflag: tar.TypeReg, ModTime: time.Unix(0, 0)}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, err
		}
		if _, err := tw.Write(b); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := gz.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
