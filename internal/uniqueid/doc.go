// Package uniqueid implements the AWS CDK's naming algorithms, byte for byte:
// logical IDs of CloudFormation elements ([MakeUniqueID], the CDK's
// makeUniqueId), physical-name helpers ([MakeUniqueResourceName], the CDK's
// makeUniqueResourceName behind Names.uniqueResourceName), generated stack
// names and artifact ids ([MakeStackName]) and construct addresses ([Addr],
// the constructs library's node.addr).
//
// It is for the cdk package, which feeds it construct paths; it knows nothing
// of constructs, stacks or tokens beyond recognising an encoded string token
// ("${Token[...]}") so that an unresolved value never ends up in a logical
// ID.
//
// It is not for choosing which path components to pass: excluding the stack's
// own scopes, using the path inside a nested stack, or overriding logical IDs
// are decisions of the cdk package. Users should not import it.
package uniqueid
