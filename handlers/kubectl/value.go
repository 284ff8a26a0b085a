package kubectl

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/util/jsonpath"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/provider"
)

// DefaultValueTimeout is how long an object value is waited for when
// TimeoutSeconds is not set.
const DefaultValueTimeout = 300 * time.Second

func (h *Handler) objectValue(ctx context.Context, e provider.Event) (provider.OnEventResult, error) {
	id, _ := physicalIDFor(kindValue, e)
	if e.RequestType == cfnresponse.Delete {
		return provider.OnEventResult{PhysicalResourceId: id}, nil
	}
	p := props(e.ResourceProperties)
	typ, err := p.required("ObjectType")
	if err != nil {
		return provider.OnEventResult{}, err
	}
	name, err := p.required("ObjectName")
	if err != nil {
		return provider.OnEventResult{}, err
	}
	path, err := p.required("JsonPath")
	if err != nil {
		return provider.OnEventResult{}, err
	}
	ns := normNS(p.str("ObjectNamespace"))
	timeout := DefaultValueTimeout
	if s := p.str("TimeoutSeconds"); s != "" {
		n, err := strconv.ParseFloat(s, 64)
		if err != nil || n <= 0 {
			return provider.OnEventResult{}, fmt.Errorf("property TimeoutSeconds %q is not a positive number", s)
		}
		timeout = time.Duration(n * float64(time.Second))
	}
	jp := jsonpath.New("value")
	expr := path
	if !strings.HasPrefix(strings.TrimSpace(expr), "{") {
		expr = "{" + expr + "}"
	}
	if err := jp.Parse(expr); err != nil {
		return provider.OnEventResult{}, fmt.Errorf("property JsonPath %q is not a valid JSONPath: %w", path, err)
	}
	cl, err := h.connect(ctx, p)
	if err != nil {
		return provider.OnEventResult{}, err
	}
	m, err := cl.apply.Resource(ctx, typ)
	if err != nil {
		return provider.OnEventResult{}, err
	}
	ri := cl.apply.Dynamic.Resource(m.Resource)
	what := m.GroupVersionKind.Kind + " " + name
	namespaced := m.Scope.Name() == meta.RESTScopeNameNamespace
	if namespaced {
		what = m.GroupVersionKind.Kind + " " + ns + "/" + name
	}
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	interval := h.ValuePollInterval
	if interval <= 0 {
		interval = 5 * time.Second
	}
	var last error
	for {
		var val string
		err := cl.apply.Retry(wctx, func() error {
			var err error
			g := ri.Get
			if namespaced {
				g = ri.Namespace(ns).Get
			}
			obj, err := g(wctx, name, metav1.GetOptions{})
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := jp.Execute(&buf, obj.Object); err != nil {
				return fmt.Errorf("%w: %w", errNoValue, err)
			}
			val = buf.String()
			return nil
		})
		if err == nil && val != "" {
			return provider.OnEventResult{PhysicalResourceId: id, Data: map[string]any{"Value": val}}, nil
		}
		if err != nil {
			last = err
		} else {
			last = errors.New("the value is empty")
		}
		t := time.NewTimer(interval)
		select {
		case <-wctx.Done():
			t.Stop()
			return provider.OnEventResult{}, fmt.Errorf("timed out after %s waiting for %s of %s: %w", timeout, path, what, last)
		case <-t.C:
		}
	}
}

var errNoValue = errors.New("no value at the path")
