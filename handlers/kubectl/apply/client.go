package apply

import (
	"context"
	"fmt"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
)

// DefaultFieldManager is the server-side apply field manager of every
// object the handler applies.
const DefaultFieldManager = "eksforge"

// Client applies and deletes objects in one cluster. It is safe for
// concurrent use.
type Client struct {
	// Dynamic reaches any resource.
	Dynamic dynamic.Interface
	// Discovery is the cached discovery client behind Mapper.
	Discovery discovery.CachedDiscoveryInterface
	// Mapper maps kinds to resources; reset when a kind is not found.
	Mapper *restmapper.DeferredDiscoveryRESTMapper
	// FieldManager names the applier.
	// Default: [DefaultFieldManager].
	FieldManager string
	// PollInterval is the pause between checks while waiting (CRDs
	// established, objects gone).
	// Default: 500 ms.
	PollInterval time.Duration
	// ForegroundGrace is how long Delete waits for an object held only by
	// the garbage collector's foregroundDeletion finalizer (its dependents
	// being deleted); other finalizers are waited for as long as the
	// context allows.
	// Default: 30 s.
	ForegroundGrace time.Duration
	// RetryFor bounds the retries of one API call on transient errors (the
	// API server unreachable, 5xx, 429).
	// Default: 2 minutes (and never past the context's deadline).
	RetryFor time.Duration
	// DiscoveryWait is how long an unknown kind is looked for again (with
	// the discovery cache reset) before the apply fails: a CRD applied by
	// someone else a moment ago takes a little while to be served.
	// Default: 10 s.
	DiscoveryWait time.Duration
	// CloudResourceGone, when set, is called after a cloud-backed object
	// (see [CloudBacked]) is deleted, and returns once the cloud resources
	// its controller made for it are gone (the handler asks the ELBv2 API),
	// or an error when they are not by the context's end.
	// Default: the object's own finalizers are trusted.
	CloudResourceGone func(ctx context.Context, u *unstructured.Unstructured) error

	resetMu sync.Mutex
}

// New returns a Client for the cluster rc points at.
func New(rc *rest.Config) (*Client, error) {
	dc, err := discovery.NewDiscoveryClientForConfig(rc)
	if err != nil {
		return nil, fmt.Errorf("unable to create a discovery client: %w", err)
	}
	dyn, err := dynamic.NewForConfig(rc)
	if err != nil {
		return nil, fmt.Errorf("unable to create a dynamic client: %w", err)
	}
	cached := memory.NewMemCacheClient(dc)
	return &Client{
		Dynamic:   dyn,
		Discovery: cached,
		Mapper:    restmapper.NewDeferredDiscoveryRESTMapper(cached),
	}, nil
}

func (c *Client) fieldManager() string {
	if c.FieldManager == "" {
		return DefaultFieldManager
	}
	return c.FieldManager
}

func (c *Client) pollInterval() time.Duration {
	if c.PollInterval <= 0 {
		return 500 * time.Millisecond
	}
	return c.PollInterval
}

func (c *Client) foregroundGrace() time.Duration {
	if c.ForegroundGrace <= 0 {
		return 30 * time.Second
	}
	return c.ForegroundGrace
}

func (c *Client) retryFor() time.Duration {
	if c.RetryFor <= 0 {
		return 2 * time.Minute
	}
	return c.RetryFor
}

// Mapping returns how to reach objects of gvk. When the kind is unknown the
// discovery cache is reset and asked again, for up to DiscoveryWait.
func (c *Client) Mapping(ctx context.Context, gvk schema.GroupVersionKind) (*meta.RESTMapping, error) {
	wait := c.DiscoveryWait
	if wait <= 0 {
		wait = 10 * time.Second
	}
	deadline := time.Now().Add(wait)
	var m *meta.RESTMapping
	err := c.retry(ctx, func() error {
		var err error
		for {
			m, err = c.Mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
			if err == nil || !meta.IsNoMatchError(err) || time.Now().After(deadline) {
				return err
			}
			c.Reset()
			if err := sleep(ctx, c.pollInterval()); err != nil {
				return err
			}
		}
	})
	if err != nil {
		return nil, fmt.Errorf("unable to find the resource of %s: %w", gvkString(gvk), err)
	}
	return m, nil
}

// Resource resolves a kubectl-style resource type (kind, plural, singular
// or short name, optionally ".group") to its mapping.
func (c *Client) Resource(ctx context.Context, typ string) (*meta.RESTMapping, error) {
	gr := schema.ParseGroupResource(typ)
	var m *meta.RESTMapping
	try := func() error {
		expander := restmapper.NewShortcutExpander(c.Mapper, c.Discovery, nil)
		gvr, err := expander.ResourceFor(gr.WithVersion(""))
		if err != nil {
			return err
		}
		gvk, err := expander.KindFor(gvr)
		if err != nil {
			return err
		}
		m, err = c.Mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
		return err
	}
	err := c.retry(ctx, func() error {
		err := try()
		if meta.IsNoMatchError(err) {
			c.Reset()
			err = try()
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("unable to find resource type %q: %w", typ, err)
	}
	return m, nil
}

// Reset forgets what discovery found, so that new kinds are seen.
func (c *Client) Reset() {
	c.resetMu.Lock()
	defer c.resetMu.Unlock()
	c.Mapper.Reset()
}

func gvkString(gvk schema.GroupVersionKind) string {
	if gvk.Group == "" {
		return gvk.Version + " " + gvk.Kind
	}
	return gvk.Group + "/" + gvk.Version + " " + gvk.Kind
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-t.C:
		return nil
	}
}
