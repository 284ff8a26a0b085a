package cli

import "context"

func (r *Runner) graph(ctx context.Context, args []string) error {
	return usagef("graph: not yet")
}
