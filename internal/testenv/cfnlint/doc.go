// Package cfnlint checks CloudFormation templates in tests with cfn-lint, the
// AWS CloudFormation linter, so every template eksforge synthesizes is held to
// the resource specifications CloudFormation itself uses.
//
// It is test tooling only; nothing in the library imports it.
//
// [Lint], [LintFiles] and [LintDir] fail the test with every error-level
// finding (rule id, message, path in the template) and only log warnings
// and informational findings. [Findings] returns the raw list.
//
// # Finding cfn-lint
//
// The linter is looked up once per process: the command in EKSFORGE_CFN_LINT
// ([EnvVar]) if set, else cfn-lint on PATH, else the cfnlint module of
// python3 (1.x has no `python3 -m cfnlint` entry, so it is run as
// `python3 -c "from cfnlint.runner import main; main()"`). When none is found
// the test fails with a message saying how to install it
// (`pip install cfn-lint`).
//
// # Cost
//
// Measured with cfn-lint 1.51 on 2 cores: about 1.2 s to start (1.3 s for a
// one-resource template), then about 0.5 s per template of 90 resources
// (20 such templates: 11 s in one run). Lint many templates in one call
// ([LintFiles], [LintDir]) rather than one call each; one run uses one core.
//
// # What cfn-lint reports
//
// It is run as `cfn-lint --format json -- FILE...`; its output is a JSON array
// of matches:
//
//	[{"Filename": "bad.template.json", "Level": "Error",
//	  "Location": {"Path": ["Resources", "Topic", "Properties", "Bogus"],
//	               "Start": {"LineNumber": 1, "ColumnNumber": 63}, "End": {...}},
//	  "Message": "Additional properties are not allowed ('Bogus' was unexpected)",
//	  "Rule": {"Id": "E3002", "ShortDescription": "Resource properties are invalid", ...}}]
//
// Level is "Error", "Warning" or "Informational" (rule ids E*, W*, I*). A file
// that does not parse is an E0000 finding; a path it cannot open, E0003 (with
// no Filename), and then cfn-lint lints none of the other files. The
// exit status is a bit set (2 errors, 4 warnings, 8 informational) and is not
// used here: the JSON is.
//
// The AWS CDK's bootstrap check, a Parameters.BootstrapVersion of type
// AWS::SSM::Parameter::Value<String> and Rules.CheckBootstrapVersion with
// Fn::Contains, lints clean: no error, no warning.
package cfnlint
