// Package cfngen generates the typed CloudFormation resources under cfn/
// (the L1 layer) from the CloudFormation registry resource schemas.
//
// [LoadSchemas] reads the schemas committed in internal/cfngen/schemas (as
// bundled in cfn-lint, so the generated types and the linter the tests run
// agree) and [LoadDocs] the documentation text from descriptions.json.gz
// (from the npm package @aws-cdk/aws-service-spec, because cfn-lint strips
// descriptions). [BuildWithDocs] turns them into one [Package] per
// namespace, with Go names from [GoName]; [Generate] writes the packages,
// gofmt'd, deterministic and marked DO NOT EDIT, and [Samples] a test file
// that builds one of every type. The go:generate directive in cfn/doc.go runs
// it through internal/cfngen/cmd/cfngen; make check-generate fails when
// regenerating changes anything. docs/architecture.md ("L1 resources")
// describes the mapping from schema to Go.
package cfngen
