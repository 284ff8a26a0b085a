package cfngen

// Samples renders a Go test file of package cfn_test with a function
// addSamples(app *cdk.App) that adds, for every resource type of pkgs, one
// resource with its required properties set to placeholder values.
func Samples(pkgs []*Package, importBase string) ([]byte, error) {
	return nil, nil
}
