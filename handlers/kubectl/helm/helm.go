package helm

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	"helm.sh/helm/v4/pkg/action"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	"helm.sh/helm/v4/pkg/cli"
	"helm.sh/helm/v4/pkg/kube"
	"helm.sh/helm/v4/pkg/registry"
	rcommon "helm.sh/helm/v4/pkg/release/common"
	release "helm.sh/helm/v4/pkg/release/v1"
	"helm.sh/helm/v4/pkg/storage/driver"
	"k8s.io/client-go/rest"
	"oras.land/oras-go/v2/errdef"
)

// Release describes the wanted state of a release.
type Release struct {
	// Name is the release name.
	Name string
	// Namespace holds the release.
	// Default: "default".
	Namespace string
	// Chart is a chart name in Repository, or a full oci:// reference.
	// Ignored when ChartArchive is set.
	Chart string
	// ChartArchive is a packaged chart (.tgz bytes).
	// Default: fetched from Chart and Repository.
	ChartArchive []byte
	// Repository is a chart repository URL or an oci:// registry prefix.
	// Default: none (Chart must then be an oci:// reference).
	Repository string
	// Version is a chart version constraint.
	// Default: the latest.
	Version string
	// Values are the chart values.
	// Default: none.
	Values map[string]any
	// CreateNamespace creates Namespace when it is missing.
	// Default: false.
	CreateNamespace bool
	// Wait waits for the release's resources to be ready.
	// Default: false.
	Wait bool
	// Atomic rolls back (or uninstalls) on failure.
	// Default: false.
	Atomic bool
	// SkipCRDs skips the chart's crds/ directory.
	// Default: false.
	SkipCRDs bool
	// Timeout bounds Kubernetes operations and waits.
	// Default: 5 minutes.
	Timeout time.Duration
	// Owner is recorded on the release as the label [OwnerLabel]: an
	// install or upgrade by another owner takes the release over.
	// Default: none (the label is left as it is).
	Owner string
	// PreviousOwner is recorded as the label [PreviousOwnerLabel]: the
	// owner this install or upgrade takes the release over from.
	// Default: none (the label is left as it is).
	PreviousOwner string
}

// Client runs Helm actions against one cluster.
type Client struct {
	// Rest reaches the cluster.
	Rest *rest.Config
	// AWS is used for ECR registry logins.
	AWS aws.Config
	// HTTPClient fetches from OCI registries.
	// Default: Helm's.
	HTTPClient *http.Client
	// PlainHTTP talks to OCI registries over plain HTTP (tests).
	// Default: false.
	PlainHTTP bool
	// Dir holds Helm's caches.
	// Default: a new temporary directory per call.
	Dir string
	// Driver is the release storage driver.
	// Default: "secret", as the helm CLI.
	Driver string
}

func (r Release) namespace() string {
	if r.Namespace == "" {
		return "default"
	}
	return r.Namespace
}

func (r Release) timeout() time.Duration {
	if r.Timeout <= 0 {
		return 5 * time.Minute
	}
	return r.Timeout
}

// Config returns a Helm action configuration for namespace.
func (c *Client) Config(namespace string) (*action.Configuration, error) {
	g, err := newRESTGetter(c.Rest, namespace)
	if err != nil {
		return nil, err
	}
	cfg := action.NewConfiguration(action.ConfigurationSetLogger(slog.Default().Handler()))
	drv := c.Driver
	if drv == "" {
		drv = "secret"
	}
	if err := cfg.Init(g, namespace, drv); err != nil {
		return nil, fmt.Errorf("unable to set up Helm: %w", err)
	}
	return cfg, nil
}

// Upgrade installs the release or upgrades it (`helm upgrade --install`),
// after recovering it from a pending state. It returns the revision.
func (c *Client) Upgrade(ctx context.Context, r Release) (int, error) {
	ns := r.namespace()
	cfg, err := c.Config(ns)
	if err != nil {
		return 0, err
	}
	if err := c.Recover(ctx, cfg, r.Name, r.timeout()); err != nil {
		return 0, err
	}
	dir, cleanup, err := c.dir()
	if err != nil {
		return 0, err
	}
	defer cleanup()
	ch, rc, err := c.loadChart(ctx, r, dir)
	if err != nil {
		return 0, err
	}
	wait := kube.HookOnlyStrategy
	if r.Wait {
		wait = kube.StatusWatcherStrategy
	}
	exists, err := c.exists(cfg, r.Name)
	if err != nil {
		return 0, err
	}
	if exists {
		// A replayed request: the deployed revision already has this chart
		// and these values.
		if rev, same := c.unchanged(cfg, r.Name, ch, r.Values, r.Owner); same {
			return rev, nil
		}
	}
	var rel any
	if !exists {
		in := action.NewInstall(cfg)
		in.ReleaseName = r.Name
		in.Namespace = ns
		in.CreateNamespace = r.CreateNamespace
		in.WaitStrategy = wait
		in.Timeout = r.timeout()
		in.RollbackOnFailure = r.Atomic
		in.SkipCRDs = r.SkipCRDs
		in.ServerSideApply = true
		in.Labels = r.labels()
		if rc != nil {
			in.SetRegistryClient(rc)
		}
		rel, err = in.RunWithContext(ctx, ch, r.Values)
	} else {
		up := action.NewUpgrade(cfg)
		up.Namespace = ns
		up.WaitStrategy = wait
		up.Timeout = r.timeout()
		up.RollbackOnFailure = r.Atomic
		up.SkipCRDs = r.SkipCRDs
		up.MaxHistory = 10
		up.ServerSideApply = "auto"
		up.Labels = r.labels()
		if rc != nil {
			up.SetRegistryClient(rc)
		}
		rel, err = up.RunWithContext(ctx, r.Name, ch, r.Values)
	}
	if err != nil {
		return 0, fmt.Errorf("unable to install or upgrade Helm release %s/%s: %w", ns, r.Name, err)
	}
	if v, ok := rel.(*release.Release); ok {
		return v.Version, nil
	}
	return 0, nil
}

func (c *Client) exists(cfg *action.Configuration, name string) (bool, error) {
	h, err := cfg.Releases.History(name)
	if errors.Is(err, driver.ErrReleaseNotFound) || (err == nil && len(h) == 0) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("unable to read the history of Helm release %s: %w", name, err)
	}
	// A release whose every revision is uninstalled (kept history) counts
	// as absent for install.
	for _, x := range h {
		if v, ok := x.(*release.Release); ok && v.Info != nil && v.Info.Status != rcommon.StatusUninstalled {
			return true, nil
		}
	}
	return false, nil
}

// Recover brings a release stuck in pending-install, pending-upgrade or
// pending-rollback (its handler died mid-operation) back to a state Helm
// can act on: rolled back to its last deployed revision, or uninstalled
// when it never deployed. Other states are left alone.
func (c *Client) Recover(ctx context.Context, cfg *action.Configuration, name string, timeout time.Duration) error {
	last, err := cfg.Releases.Last(name)
	if errors.Is(err, driver.ErrReleaseNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("unable to read Helm release %s: %w", name, err)
	}
	cur, ok := last.(*release.Release)
	if !ok || cur.Info == nil || !cur.Info.Status.IsPending() {
		return nil
	}
	slog.WarnContext(ctx, "recovering a Helm release stuck in a pending state", "release", name, "revision", cur.Version, "status", cur.Info.Status)
	hist, err := cfg.Releases.History(name)
	if err != nil {
		return fmt.Errorf("unable to read the history of Helm release %s: %w", name, err)
	}
	deployed := 0
	for _, x := range hist {
		if v, ok := x.(*release.Release); ok && v.Version != cur.Version && v.Info != nil &&
			(v.Info.Status == rcommon.StatusDeployed || v.Info.Status == rcommon.StatusSuperseded) && v.Version > deployed {
			deployed = v.Version
		}
	}
	// Mark the stuck revision failed so that Helm accepts the next action.
	cur.Info.Status = rcommon.StatusFailed
	cur.Info.Description = "marked failed by eksforge: stuck in a pending state"
	if err := cfg.Releases.Update(cur); err != nil {
		return fmt.Errorf("unable to mark stuck Helm release %s revision %d failed: %w", name, cur.Version, err)
	}
	if deployed == 0 {
		un := action.NewUninstall(cfg)
		un.Timeout = timeout
		un.WaitStrategy = kube.HookOnlyStrategy
		un.IgnoreNotFound = true
		if _, err := un.Run(name); err != nil {
			return fmt.Errorf("unable to uninstall Helm release %s stuck in %s: %w", name, "pending-install", err)
		}
		return nil
	}
	rb := action.NewRollback(cfg)
	rb.Version = deployed
	rb.Timeout = timeout
	rb.WaitStrategy = kube.HookOnlyStrategy
	rb.ServerSideApply = "auto"
	if err := rb.Run(name); err != nil {
		return fmt.Errorf("unable to roll stuck Helm release %s back to revision %d: %w", name, deployed, err)
	}
	return nil
}

// Uninstall removes the release; a missing release is success.
func (c *Client) Uninstall(ctx context.Context, name, namespace string, timeout time.Duration) error {
	if namespace == "" {
		namespace = "default"
	}
	cfg, err := c.Config(namespace)
	if err != nil {
		return err
	}
	if timeout <= 0 {
		timeout = 5 * time.Minute
	}
	un := action.NewUninstall(cfg)
	un.Timeout = timeout
	un.WaitStrategy = kube.HookOnlyStrategy
	un.IgnoreNotFound = true
	if _, err := un.Run(name); err != nil && !errors.Is(err, driver.ErrReleaseNotFound) {
		return fmt.Errorf("unable to uninstall Helm release %s/%s: %w", namespace, name, err)
	}
	return nil
}

func (c *Client) dir() (string, func(), error) {
	if c.Dir != "" {
		return c.Dir, func() {}, nil
	}
	d, err := os.MkdirTemp("", "eksforge-helm-")
	if err != nil {
		return "", nil, err
	}
	return d, func() { os.RemoveAll(d) }, nil
}

func settings(dir string) *cli.EnvSettings {
	s := cli.New()
	s.RepositoryConfig = filepath.Join(dir, "repositories.yaml")
	s.RepositoryCache = filepath.Join(dir, "repository")
	s.ContentCache = filepath.Join(dir, "content")
	s.RegistryConfig = filepath.Join(dir, "registry", "config.json")
	s.PluginsDirectory = filepath.Join(dir, "plugins")
	return s
}

// chartReferences returns the references to try, in order, to locate a
// chart given as Repository and Chart, and the repository URL for a chart
// repository. An oci:// Repository is a registry prefix joined with Chart
// ("oci://host/charts" + "app"). When its last path segment is Chart's name
// it may also be the chart's own reference, as the AWS CDK reads it
// ("oci://host/charts/app" with Chart "app"): that is tried second, when
// the joined reference is not in the registry.
func chartReferences(repository, chart string) (refs []string, repoURL string) {
	if !strings.HasPrefix(repository, "oci://") {
		return []string{chart}, repository
	}
	repo := strings.TrimSuffix(repository, "/")
	chart = strings.Trim(chart, "/")
	switch {
	case strings.HasPrefix(chart, "oci://"):
		return []string{chart}, ""
	case chart == "":
		return []string{repo}, ""
	case path.Base(strings.TrimPrefix(repo, "oci://")) == chart:
		return []string{repo + "/" + chart, repo}, ""
	default:
		return []string{repo + "/" + chart}, ""
	}
}

// loadChart returns the chart and, for OCI, the registry client used.
func (c *Client) loadChart(ctx context.Context, r Release, dir string) (*chart.Chart, *registry.Client, error) {
	if len(r.ChartArchive) > 0 {
		ch, err := loader.LoadArchive(bytes.NewReader(r.ChartArchive))
		if err != nil {
			return nil, nil, fmt.Errorf("unable to load the packaged chart of release %s: %w", r.Name, err)
		}
		return ch, nil, nil
	}
	refs, repoURL := chartReferences(r.Repository, r.Chart)
	if refs[0] == "" {
		return nil, nil, fmt.Errorf("release %s has no Chart or ChartAsset", r.Name)
	}
	var err error
	for i, name := range refs {
		var ch *chart.Chart
		var rc *registry.Client
		ch, rc, err = c.pullChart(ctx, r, name, repoURL, filepath.Join(dir, fmt.Sprint(i)))
		if err == nil {
			return ch, rc, nil
		}
		if !isNotFound(err) {
			break
		}
		if i < len(refs)-1 {
			slog.Info("chart not found, trying the repository as the chart's own reference", "release", r.Name, "reference", name)
		}
	}
	return nil, nil, err
}

// isNotFound tells whether a chart pull failed because the registry has no
// such repository or tag.
func isNotFound(err error) bool {
	return errors.Is(err, errdef.ErrNotFound) || strings.Contains(err.Error(), "not found")
}

// pullChart downloads and loads the chart at reference name.
func (c *Client) pullChart(ctx context.Context, r Release, name, repoURL, dir string) (*chart.Chart, *registry.Client, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, err
	}
	opts := action.ChartPathOptions{RepoURL: repoURL, Version: r.Version, PlainHTTP: c.PlainHTTP}
	var rc *registry.Client
	if registry.IsOCI(name) {
		var err error
		if rc, err = c.registryClient(ctx, name, dir); err != nil {
			return nil, nil, err
		}
	}
	// LocateChart wants the registry client through an action; Pull does
	// exactly the locate-and-download part.
	pull := action.NewPull(action.WithConfig(&action.Configuration{RegistryClient: rc}))
	pull.ChartPathOptions = opts
	pull.Settings = settings(dir)
	pull.DestDir = filepath.Join(dir, "charts")
	if err := os.MkdirAll(pull.DestDir, 0o755); err != nil {
		return nil, nil, err
	}
	if rc != nil {
		pull.SetRegistryClient(rc)
	}
	if _, err := pull.Run(name); err != nil {
		return nil, nil, fmt.Errorf("unable to fetch chart %s (repository %q, version %q): %w", name, r.Repository, r.Version, err)
	}
	files, err := filepath.Glob(filepath.Join(pull.DestDir, "*.tgz"))
	if err != nil || len(files) != 1 {
		return nil, nil, fmt.Errorf("unable to fetch chart %s: %d archives downloaded", name, len(files))
	}
	ch, err := loader.Load(files[0])
	if err != nil {
		return nil, nil, fmt.Errorf("unable to load chart %s: %w", name, err)
	}
	return ch, rc, nil
}

// ecrHost matches private ECR registries: account.dkr.ecr[-fips].region.amazonaws.com[.cn].
var ecrHost = regexp.MustCompile(`^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$`)

// registryClient returns an OCI registry client, logged in to a private
// ECR registry with a token from ecr:GetAuthorizationToken in the
// registry's region.
func (c *Client) registryClient(ctx context.Context, ref, dir string) (*registry.Client, error) {
	opts := []registry.ClientOption{
		registry.ClientOptCredentialsFile(filepath.Join(dir, "registry", "config.json")),
		registry.ClientOptWriter(io.Discard),
	}
	if c.PlainHTTP {
		opts = append(opts, registry.ClientOptPlainHTTP())
	}
	if c.HTTPClient != nil {
		opts = append(opts, registry.ClientOptHTTPClient(c.HTTPClient))
	}
	host := strings.SplitN(strings.TrimPrefix(ref, "oci://"), "/", 2)[0]
	if m := ecrHost.FindStringSubmatch(host); m != nil {
		user, pass, err := c.ecrLogin(ctx, m[2])
		if err != nil {
			return nil, fmt.Errorf("unable to log in to ECR registry %s: %w", host, err)
		}
		opts = append(opts, registry.ClientOptBasicAuth(user, pass))
	}
	rc, err := registry.NewClient(opts...)
	if err != nil {
		return nil, fmt.Errorf("unable to create an OCI registry client: %w", err)
	}
	return rc, nil
}

func (c *Client) ecrLogin(ctx context.Context, region string) (string, string, error) {
	out, err := ecr.NewFromConfig(c.AWS, func(o *ecr.Options) { o.Region = region }).GetAuthorizationToken(ctx, &ecr.GetAuthorizationTokenInput{})
	if err != nil {
		return "", "", err
	}
	if len(out.AuthorizationData) == 0 {
		return "", "", errors.New("ecr:GetAuthorizationToken returned no token")
	}
	b, err := base64.StdEncoding.DecodeString(aws.ToString(out.AuthorizationData[0].AuthorizationToken))
	if err != nil {
		return "", "", err
	}
	user, pass, ok := strings.Cut(string(b), ":")
	if !ok {
		return "", "", errors.New("ECR token is not user:password")
	}
	return user, pass, nil
}

// unchanged reports whether the release's last revision is deployed with
// the same chart (name, version, digest of templates) and values.
func (c *Client) unchanged(cfg *action.Configuration, name string, ch *chart.Chart, values map[string]any, owner string) (int, bool) {
	last, err := cfg.Releases.Last(name)
	if err != nil {
		return 0, false
	}
	cur, ok := last.(*release.Release)
	if !ok || cur.Info == nil || cur.Info.Status != rcommon.StatusDeployed || cur.Chart == nil || cur.Chart.Metadata == nil {
		return 0, false
	}
	if cur.Chart.Metadata.Name != ch.Metadata.Name || cur.Chart.Metadata.Version != ch.Metadata.Version {
		return 0, false
	}
	if !reflect.DeepEqual(normalize(cur.Config), normalize(values)) {
		return 0, false
	}
	if owner != "" && cur.Labels[OwnerLabel] != owner {
		return 0, false // a takeover: record the new owner
	}
	return cur.Version, true
}

func normalize(v map[string]any) any {
	if len(v) == 0 {
		return nil
	}
	b, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

// Manifest returns the rendered manifest of the release's last revision,
// or "" when there is no release.
func (c *Client) Manifest(name, namespace string) (string, error) {
	if namespace == "" {
		namespace = "default"
	}
	cfg, err := c.Config(namespace)
	if err != nil {
		return "", err
	}
	last, err := cfg.Releases.Last(name)
	if errors.Is(err, driver.ErrReleaseNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("unable to read Helm release %s/%s: %w", namespace, name, err)
	}
	if r, ok := last.(*release.Release); ok {
		return r.Manifest, nil
	}
	return "", nil
}
