// Package cfn is the map of eksforge's typed CloudFormation resources (L1):
// one generated package per CloudFormation namespace, under cfn/<service>.
// This package itself holds no code; it carries the go:generate directive
// and the tests of the generated packages.
//
// # What the packages are
//
// Each resource type of a namespace is a construct built on
// [github.com/eksforge/eksforge/cdk.CfnResource], generated from the
// CloudFormation registry schema of the type. For
// AWS::EKS::Cluster, package cfneks (directory cfn/eks) has:
//
//   - CfnCluster, the construct, embedding cdk.CfnResource (so Ref, GetAtt,
//     CfnOptions, ApplyRemovalPolicy, AddPropertyOverride, AddDependency
//     and TagManager work as on any resource), with a Props field;
//   - NewCfnCluster(scope, id, props), which adds it to the stack of scope;
//   - CfnClusterProps, the properties, one field per writable property;
//   - CfnCluster<Definition> (CfnClusterResourcesVpcConfig, ...), the
//     property types;
//   - AttrArn(), AttrEndpoint(), ...: its attributes (the schema's
//     readOnlyProperties) as tokens.
//
// Properties are rendered at synthesis from Props, with CloudFormation's own
// names; changes made to Props after construction count. Required
// properties left unset are reported by app.Synth with the construct path:
// "property RoleArn of AWS::EKS::Cluster is required; set
// CfnClusterProps.RoleArn". Taggable types receive the tags applied with
// [github.com/eksforge/eksforge/cdk.TagsOf].
//
// For what the typed props cannot express, use AddPropertyOverride (or
// AddOverride) on the resource; the Properties map of the embedded
// cdk.CfnResource is not read for typed resources, whose properties come
// from Props.
//
// These are the building blocks of the hand-written constructs in aws/* and
// eks; reach for them directly only for what those do not cover.
//
// # Packages and names
//
//   - Package: namespace AWS::<Service> is directory cfn/<service> (lower
//     case) and package cfn<service>: cfn/eks is cfneks, cfn/ec2 is cfnec2.
//     The "cfn" prefix lets a program import both the L2 package eks and
//     cfneks without an alias. Other vendors join vendor and service:
//     Alexa::ASK is cfn/alexaask, package cfnalexaask.
//   - Resource: Cfn<Resource> (AWS::EKS::Nodegroup → CfnNodegroup), props
//     Cfn<Resource>Props, constructor NewCfn<Resource>.
//   - Property types: Cfn<Resource><Definition> for a schema definition,
//     Cfn<Resource><Property> for an object written inline. When that name
//     is already taken in the package (by a resource, a props struct or an
//     earlier property type), "Property" is appended, then a number.
//   - Fields: the CloudFormation property name, with every character that
//     is not an ASCII letter or digit dropped and the letter after it
//     upper-cased ("Tag-Key" → TagKey, "name" → Name; a leading digit gets
//     an "X"). When two properties map to the same field name, the later
//     one in sorted order gets "2" (then "3", ...) appended.
//   - Attributes: "Attr" + the Go-ified path of the read-only property:
//     Arn → AttrArn(), KubernetesNetworkConfig.ServiceIpv6Cidr →
//     AttrKubernetesNetworkConfigServiceIpv6Cidr(). List attributes return
//     []string (a list token); all others a string token. A read-only
//     object property gives one attribute per scalar field.
//
// # Value types
//
//   - string → string; integer → *int; number → *float64; boolean → *bool:
//     numbers and booleans are pointers so that 0 and false can be set; use
//     [github.com/eksforge/eksforge/cdk.Ptr]: MinSize: cdk.Ptr(0).
//   - lists → []string, []int, ..., or []Cfn<Type> for lists of objects;
//     string maps (patternProperties or additionalProperties whose values
//     are strings, or may be of several types including string, as Lambda's
//     environment variables) → map[string]string.
//   - objects with properties → *Cfn<Type>: always a pointer, required or
//     not.
//   - a Tags property whose items are {Key, Value} → []cdk.CfnTag.
//   - a oneOf/anyOf whose branches are all objects (a tagged union such as
//     {"ResourceAction": ...} | {"CompareAction": ...}) → one struct with
//     every branch's properties; its doc names the alternatives.
//   - JSON (object without properties, such as IAM policy documents),
//     maps of other values, and other unions (several types, oneOf/anyOf of
//     different types) → any.
//
// Every value may hold tokens (cluster.Ref(), cdk.Fn.Join(...),
// cdk.AsNumber(...)). Unset values (empty string, nil pointer, slice or map)
// are left out of the template; an empty non-nil slice renders as [].
//
// # Regenerating
//
// The input is the CloudFormation registry resource schemas committed in
// internal/cfngen/schemas (from cfn-lint's bundle; refresh with
// `make cfn-schemas`), and, because cfn-lint strips the schemas'
// descriptions, the documentation text in
// internal/cfngen/descriptions.json.gz (from the npm package
// @aws-cdk/aws-service-spec; refresh with `make cfn-docs`). `go generate ./...` (or `make generate`) runs
// internal/cfngen for the namespaces listed in the directive below and
// rewrites their packages and samples_gen_test.go; the CI check
// (`make check-generate`) fails when that changes anything. Only the
// namespaces the library needs are generated into the module, to keep builds
// fast; the generator can emit every namespace (its tests compile them all).
// To add a namespace, add its directory name to the directive.
package cfn

//go:generate go run ../internal/cfngen/cmd/cfngen -schemas ../internal/cfngen/schemas -docs ../internal/cfngen/descriptions.json.gz -out . -samples samples_gen_test.go autoscaling cloudformation ec2 eks events iam kms lambda logs s3 sqs ssm stepfunctions
