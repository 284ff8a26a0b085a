// Package graph turns a cloud assembly into a picture of the app: the
// construct tree (tree.json), one node per CloudFormation resource, grouped
// by stack and construct, and one edge per dependency between resources
// (DependsOn, Ref, Fn::GetAtt, Fn::Sub, and Fn::ImportValue across stacks). EKS clusters, node groups, Fargate
// profiles, Kubernetes manifests and Helm charts are marked so renderers
// can emphasise them.
//
// Renderers draw the dependencies bundled: one arrow between two
// constructs (the two sibling constructs below the deepest construct that
// holds both resources), however many resource-level dependencies join
// them, labelled with their count ([Bundle]); and one arrow between two
// stacks joined by exports and imports ([StackLink]).
//
// [Build] makes the model; [WriteDOT] writes Graphviz input and [WriteSVG]
// draws the graph itself with a simple layered layout (no Graphviz
// needed). It is used by `eksforge graph`; it is not a general graph
// library.
package graph
