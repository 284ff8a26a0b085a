package cdk

import (
	"fmt"
	"strings"

	"github.com/eksforge/eksforge/internal/uniqueid"
)

// Construct is a node of the construct tree: an app, a stack, a resource, or
// any user-defined group of them.
type Construct interface {
	// Node returns the construct's place in the tree.
	Node() *Node
}

// Base gives a struct its place in the construct tree. Embed it in a
// construct type and call [InitConstruct] from the type's constructor:
//
//	type Website struct {
//		cdk.Base
//		Bucket *s3.Bucket
//	}
//
//	func NewWebsite(scope cdk.Construct, id string) *Website {
//		w := &Website{}
//		cdk.InitConstruct(w, scope, id)
//		w.Bucket = s3.NewBucket(w, "Bucket", s3.BucketProps{})
//		return w
//	}
type Base struct {
	node *Node
}

// Node returns the construct's node.
func (b *Base) Node() *Node {
	if b.node == nil {
		panic("cdk: construct used before cdk.InitConstruct was called on it")
	}
	return b.node
}

func (b *Base) cdkBase() *Base { return b }

type baseHolder interface {
	Construct
	cdkBase() *Base
}

// InitConstruct attaches host, a struct embedding [Base], to the tree under
// scope with the given id. It panics when the id is invalid or already used
// by a sibling: those are programming mistakes, and the message names the
// path and the fix.
func InitConstruct(host Construct, scope Construct, id string) {
	b, ok := host.(baseHolder)
	if !ok {
		panic(fmt.Sprintf("cdk: %T does not embed cdk.Base; embed it to make the type a construct", host))
	}
	if b.cdkBase().node != nil {
		panic(fmt.Sprintf("cdk: construct %q is already initialised", b.cdkBase().node.Path()))
	}
	if scope == nil {
		panic(fmt.Sprintf("cdk: construct %q needs a scope; only an App has none", id))
	}
	b.cdkBase().node = newNode(host, scope.Node(), id)
}

// NewConstruct creates a plain construct, useful to group others under a
// common path.
func NewConstruct(scope Construct, id string) Construct {
	b := &Base{}
	InitConstruct(b, scope, id)
	return b
}

// PathSep separates construct ids in a path.
const PathSep = "/"

// MetadataEntry is one piece of metadata on a node.
type MetadataEntry struct {
	// Type is the kind of the entry, e.g. "aws:cdk:warning".
	Type string `json:"type"`
	// Data is the entry's value.
	Data any `json:"data,omitempty"`
}

// Metadata types understood by the cloud assembly.
const (
	MetadataError   = "aws:cdk:error"
	MetadataWarning = "aws:cdk:warning"
	MetadataInfo    = "aws:cdk:info"
)

// Node is a construct's place in the tree: its id, scope, children,
// dependencies, metadata and validations.
type Node struct {
	id       string
	host     Construct
	scope    *Node
	children []*Node
	byID     map[string]*Node

	deps        []Construct
	metadata    []MetadataEntry
	validations []func() []string
	context     map[string]any
	locked      bool
	defaultID   string
	aspects     []Aspect
}

func newNode(host Construct, scope *Node, id string) *Node {
	n := &Node{id: id, host: host, scope: scope}
	if scope == nil {
		return n
	}
	if id == "" {
		panic(fmt.Sprintf("cdk: a construct under %q has an empty id; only the root may have one", scope.displayPath()))
	}
	if strings.Contains(id, PathSep) {
		panic(fmt.Sprintf("cdk: construct id %q under %q contains %q, which separates path components; use another character", id, scope.displayPath(), PathSep))
	}
	for s := scope; s != nil; s = s.scope {
		if s.locked {
			panic(fmt.Sprintf("cdk: cannot add %q under %q during synthesis: the tree is locked; create constructs before app.Synth()", id, scope.displayPath()))
		}
	}
	if _, dup := scope.byID[id]; dup {
		panic(fmt.Sprintf("cdk: there is already a construct named %q in %q; construct ids must be unique among siblings", id, scope.displayPath()))
	}
	if scope.byID == nil {
		scope.byID = map[string]*Node{}
	}
	scope.byID[id] = n
	scope.children = append(scope.children, n)
	return n
}

func (n *Node) displayPath() string {
	if n.scope == nil {
		return "(the app)"
	}
	return n.Path()
}

// ID is the construct's id, unique among its siblings.
func (n *Node) ID() string { return n.id }

// Path is the construct's path from the root, ids joined by "/". The root's
// path is empty.
func (n *Node) Path() string {
	if n.scope == nil {
		return ""
	}
	var parts []string
	for c := n; c.scope != nil; c = c.scope {
		parts = append(parts, c.id)
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, PathSep)
}

// Host returns the construct that owns this node.
func (n *Node) Host() Construct { return n.host }

// Scope returns the parent construct, or nil for the root.
func (n *Node) Scope() Construct {
	if n.scope == nil {
		return nil
	}
	return n.scope.host
}

// Scopes returns every construct from the root down to this one, inclusive.
func (n *Node) Scopes() []Construct {
	var out []Construct
	for c := n; c != nil; c = c.scope {
		out = append(out, c.host)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// Root returns the root of the tree (usually the [App]).
func (n *Node) Root() Construct {
	c := n
	for c.scope != nil {
		c = c.scope
	}
	return c.host
}

// Children returns the direct children in the order they were added.
func (n *Node) Children() []Construct {
	out := make([]Construct, len(n.children))
	for i, c := range n.children {
		out[i] = c.host
	}
	return out
}

// TryFindChild returns the direct child with the given id, or nil.
func (n *Node) TryFindChild(id string) Construct {
	if c, ok := n.byID[id]; ok {
		return c.host
	}
	return nil
}

// FindChild returns the direct child with the given id; it panics, naming
// the path, when there is none.
func (n *Node) FindChild(id string) Construct {
	c := n.TryFindChild(id)
	if c == nil {
		panic(fmt.Sprintf("cdk: no construct named %q in %q", id, n.displayPath()))
	}
	return c
}

// FindAll returns this construct and all below it, depth first in the order
// they were added (pre-order).
func (n *Node) FindAll() []Construct {
	var out []Construct
	var walk func(*Node)
	walk = func(c *Node) {
		out = append(out, c.host)
		for _, ch := range c.children {
			walk(ch)
		}
	}
	walk(n)
	return out
}

// TryRemoveChild removes the direct child with the given id, reporting
// whether there was one.
func (n *Node) TryRemoveChild(id string) bool {
	c, ok := n.byID[id]
	if !ok {
		return false
	}
	delete(n.byID, id)
	for i, ch := range n.children {
		if ch == c {
			n.children = append(n.children[:i:i], n.children[i+1:]...)
			break
		}
	}
	return true
}

// DefaultChild returns the child named "Resource" or "Default" (or the one
// set with SetDefaultChild), the construct's main resource; nil if none.
func (n *Node) DefaultChild() Construct {
	if n.defaultID != "" {
		return n.TryFindChild(n.defaultID)
	}
	if c := n.TryFindChild("Resource"); c != nil {
		return c
	}
	return n.TryFindChild("Default")
}

// SetDefaultChild names the child returned by DefaultChild.
func (n *Node) SetDefaultChild(c Construct) { n.defaultID = c.Node().ID() }

// AddDependency records that this construct depends on each of deps: every
// resource below this construct is deployed after every resource below the
// dependencies (DependsOn inside a stack, stack ordering between stacks).
func (n *Node) AddDependency(deps ...Construct) {
	for _, d := range deps {
		if d == nil {
			panic(fmt.Sprintf("cdk: nil dependency added to %q", n.displayPath()))
		}
		n.deps = append(n.deps, d)
	}
}

// Dependencies returns the constructs this one was made to depend on.
func (n *Node) Dependencies() []Construct { return append([]Construct(nil), n.deps...) }

// AddMetadata adds an entry of the given type to this node's metadata,
// which is written to the cloud assembly.
func (n *Node) AddMetadata(typ string, data any) {
	n.metadata = append(n.metadata, MetadataEntry{Type: typ, Data: data})
}

// Metadata returns the node's metadata entries.
func (n *Node) Metadata() []MetadataEntry { return append([]MetadataEntry(nil), n.metadata...) }

// AddError records a configuration problem on this construct. Synthesis
// fails and reports it with the construct's path.
func (n *Node) AddError(format string, args ...any) {
	n.AddMetadata(MetadataError, fmt.Sprintf(format, args...))
}

// AddWarning records a warning, printed by synthesis and written to the
// cloud assembly.
func (n *Node) AddWarning(format string, args ...any) {
	n.AddMetadata(MetadataWarning, fmt.Sprintf(format, args...))
}

// AddInfo records an informational message in the cloud assembly.
func (n *Node) AddInfo(format string, args ...any) {
	n.AddMetadata(MetadataInfo, fmt.Sprintf(format, args...))
}

// AddValidation registers a check that runs at synthesis, after the whole
// tree is built. It returns one message per problem (none when valid);
// synthesis fails with every message, each prefixed by this path.
func (n *Node) AddValidation(validate func() []string) {
	n.validations = append(n.validations, validate)
}

// Validate runs this node's validations and returns their messages.
func (n *Node) Validate() []string {
	var out []string
	for _, v := range n.validations {
		out = append(out, v()...)
	}
	return out
}

// SetContext sets a context value visible to this node and all below it.
// It must be called before children are added.
func (n *Node) SetContext(key string, value any) {
	if len(n.children) > 0 {
		panic(fmt.Sprintf("cdk: cannot set context %q on %q after children were added", key, n.displayPath()))
	}
	if n.context == nil {
		n.context = map[string]any{}
	}
	n.context[key] = value
}

// TryGetContext returns the context value for key from this node or the
// nearest scope that has it, or nil.
func (n *Node) TryGetContext(key string) any {
	for c := n; c != nil; c = c.scope {
		if v, ok := c.context[key]; ok {
			return v
		}
	}
	return nil
}

// Addr is a unique, stable address of the construct: "c8" followed by 40
// hex digits of a SHA-1 of its path, as in the constructs library.
func (n *Node) Addr() string {
	var ids []string
	for _, s := range n.Scopes() {
		ids = append(ids, s.Node().ID())
	}
	return uniqueid.Addr(ids)
}

// Lock forbids adding children below this node (synthesis locks the tree).
func (n *Node) lock() { n.locked = true }
