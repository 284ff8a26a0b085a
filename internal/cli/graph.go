package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"

	"github.com/eksforge/eksforge/internal/assembly"
	"github.com/eksforge/eksforge/internal/graph"
)

func (r *Runner) graph(ctx context.Context, args []string) error {
	var o options
	pos, err := o.parse("graph", args)
	if err != nil {
		return err
	}
	asm, err := r.load(ctx, &o)
	if err != nil {
		return err
	}
	stacks, err := asm.Select(pos, assembly.ExtendNone)
	if err != nil {
		return err
	}
	g, err := graph.Build(asm, stacks)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if o.format == "dot" {
		err = graph.WriteDOT(&b, g)
	} else {
		err = graph.WriteSVG(&b, g)
	}
	if err != nil {
		return err
	}
	if o.file == "" {
		_, err = r.Stdout.Write(b.Bytes())
		return err
	}
	if err := os.WriteFile(r.abs(o.file), b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("unable to write the graph: %w", err)
	}
	fmt.Fprintf(r.Stderr, "wrote %s (%d resources, %d dependencies drawn as %d arrows between constructs, %d stack links)\n", o.file, len(g.Nodes), len(g.Edges), len(g.Bundles), len(g.StackLinks))
	return nil
}
