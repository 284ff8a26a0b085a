package kubectl

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/util/jsonpath"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/kubectl/apply"
	"github.com/eksforge/eksforge/handlers/provider"
)

// DefaultValueTimeout is how long an object value is waited for when
// TimeoutSeconds is not set.
const DefaultValueTimeout = 300 * time.Second

func (h *Handler) objectValue(ctx context.Context, e provider.Event) (provider.OnEventResult, error) {
	start := h.now()
	id, _ := physicalIDFor(kindValue, e)
	if e.RequestType == cfnresponse.Delete {
		return provider.OnEventResult{PhysicalResourceId: id}, nil
	}
	q, cl, err := h.valueQueryOf(ctx, props(e.ResourceProperties))
	if err != nil {
		return provider.OnEventResult{}, err
	}
	if h.longer(ctx, q.timeout) {
		// Longer than this invocation can wait: read once, and let
		// IsComplete read again, invocation after invocation, until
		// start + Timeout.
		if val, _ := q.read(ctx, cl.apply); val != "" {
			return provider.OnEventResult{PhysicalResourceId: id, Data: map[string]any{"Value": val}}, nil
		}
		w := longWait{Kind: waitValue, Deadline: start.Add(q.timeout), Timeout: q.timeout.String()}
		slog.InfoContext(ctx, "waiting for the value past this invocation", "object", q.what, "path", q.path, "deadline", w.Deadline)
		return provider.OnEventResult{PhysicalResourceId: id, Extra: w.extra()}, nil
	}
	wctx, cancel := context.WithTimeout(ctx, q.timeout)
	defer cancel()
	interval := h.ValuePollInterval
	if interval <= 0 {
		interval = 5 * time.Second
	}
	for {
		val, last := q.read(wctx, cl.apply)
		if val != "" {
			return provider.OnEventResult{PhysicalResourceId: id, Data: map[string]any{"Value": val}}, nil
		}
		t := time.NewTimer(interval)
		select {
		case <-wctx.Done():
			t.Stop()
			return provider.OnEventResult{}, q.timedOut(last)
		case <-t.C:
		}
	}
}

// valueIsComplete reads an object value once for IsComplete: complete with
// the value once it is not empty, failed once the deadline has passed.
func (h *Handler) valueIsComplete(ctx context.Context, req provider.IsCompleteRequest, w longWait) (provider.IsCompleteResult, error) {
	q, cl, err := h.valueQueryOf(ctx, props(req.ResourceProperties))
	if err != nil {
		return provider.IsCompleteResult{}, err
	}
	val, last := q.read(ctx, cl.apply)
	if val != "" {
		return provider.IsCompleteResult{IsComplete: true, Data: map[string]any{"Value": val}}, nil
	}
	if h.now().Before(w.Deadline) {
		slog.InfoContext(ctx, "no value yet", "object", q.what, "path", q.path, "error", last, "deadline", w.Deadline)
		return provider.IsCompleteResult{}, nil
	}
	return provider.IsCompleteResult{}, q.timedOut(last)
}

// valueQuery is what an object value reads.
type valueQuery struct {
	path    string
	jp      *jsonpath.JSONPath
	what    string // "Kind namespace/name", for messages
	name    string
	ri      dynamic.ResourceInterface
	timeout time.Duration
}

// valueQueryOf reads and checks an object value's properties.
func (h *Handler) valueQueryOf(ctx context.Context, p props) (*valueQuery, *cluster, error) {
	typ, err := p.required("ObjectType")
	if err != nil {
		return nil, nil, err
	}
	name, err := p.required("ObjectName")
	if err != nil {
		return nil, nil, err
	}
	path, err := p.required("JsonPath")
	if err != nil {
		return nil, nil, err
	}
	ns := normNS(p.str("ObjectNamespace"))
	q := &valueQuery{path: path, name: name, timeout: DefaultValueTimeout}
	if s := p.str("TimeoutSeconds"); s != "" {
		n, err := strconv.ParseFloat(s, 64)
		if err != nil || n <= 0 {
			return nil, nil, fmt.Errorf("property TimeoutSeconds %q is not a positive number", s)
		}
		q.timeout = time.Duration(n * float64(time.Second))
	}
	q.jp = jsonpath.New("value")
	expr := path
	if !strings.HasPrefix(strings.TrimSpace(expr), "{") {
		expr = "{" + expr + "}"
	}
	if err := q.jp.Parse(expr); err != nil {
		return nil, nil, fmt.Errorf("property JsonPath %q is not a valid JSONPath: %w", path, err)
	}
	cl, err := h.connect(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	m, err := cl.apply.Resource(ctx, typ)
	if err != nil {
		return nil, nil, err
	}
	q.what = m.GroupVersionKind.Kind + " " + name
	if m.Scope.Name() == meta.RESTScopeNameNamespace {
		q.what = m.GroupVersionKind.Kind + " " + ns + "/" + name
		q.ri = cl.apply.Dynamic.Resource(m.Resource).Namespace(ns)
	} else {
		q.ri = cl.apply.Dynamic.Resource(m.Resource)
	}
	return q, cl, nil
}

// read reads the value once: not empty, or "" and why.
func (q *valueQuery) read(ctx context.Context, c *apply.Client) (string, error) {
	var val string
	err := c.Retry(ctx, func() error {
		obj, err := q.ri.Get(ctx, q.name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := q.jp.Execute(&buf, obj.Object); err != nil {
			return fmt.Errorf("%w: %w", errNoValue, err)
		}
		val = buf.String()
		return nil
	})
	if err != nil {
		return "", err
	}
	if val == "" {
		return "", errors.New("the value is empty")
	}
	return val, nil
}

// timedOut is the error of a value not read within its timeout.
func (q *valueQuery) timedOut(last error) error {
	return fmt.Errorf("timed out after %s waiting for %s of %s: %w", q.timeout, q.path, q.what, last)
}

var errNoValue = errors.New("no value at the path")
