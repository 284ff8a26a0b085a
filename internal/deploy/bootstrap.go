package deploy

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

// BootstrapParameter returns the SSM parameter name that the template's
// BootstrapVersion parameter reads (its default), or "" when the template
// has no such parameter.
func BootstrapParameter(template map[string]any) string {
	params, _ := template["Parameters"].(map[string]any)
	p, _ := params["BootstrapVersion"].(map[string]any)
	typ, _ := p["Type"].(string)
	def, _ := p["Default"].(string)
	if !strings.HasPrefix(typ, "AWS::SSM::Parameter::Value") {
		return ""
	}
	return def
}

// CheckBootstrap reads the bootstrap version from the SSM parameter name
// and returns it; a missing parameter is an error wrapping
// ErrNotBootstrapped that says how to bootstrap, and a version below
// minVersion an error saying to bootstrap again.
func CheckBootstrap(ctx context.Context, client SSMAPI, env Env, name string, minVersion int) (int, error) {
	out, err := client.GetParameter(ctx, &ssm.GetParameterInput{Name: &name})
	if err != nil {
		if apiCode(err) == "ParameterNotFound" {
			return 0, fmt.Errorf("%w: the SSM parameter %s does not exist in %s; run 'eksforge bootstrap %s' (or 'cdk bootstrap') once for this account and region", ErrNotBootstrapped, name, env, env)
		}
		return 0, fmt.Errorf("unable to read the bootstrap version (SSM parameter %s): %w", name, err)
	}
	v, err := strconv.Atoi(aws.ToString(out.Parameter.Value))
	if err != nil {
		return 0, fmt.Errorf("the bootstrap version in SSM parameter %s is %q, not a number", name, aws.ToString(out.Parameter.Value))
	}
	if v < minVersion {
		return v, fmt.Errorf("%w: %s has bootstrap version %d; this app needs at least %d: run 'eksforge bootstrap %s' again", ErrNotBootstrapped, env, v, minVersion, env)
	}
	return v, nil
}
