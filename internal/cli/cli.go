package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
)

// Runner runs eksforge commands with its own standard streams and
// environment, so tests can run the CLI in-process.
type Runner struct {
	// Stdin answers confirmation prompts.
	Stdin io.Reader
	// Stdout receives results (stack lists, diffs, outputs, graphs).
	Stdout io.Writer
	// Stderr receives progress, warnings and errors.
	Stderr io.Writer
	// Interactive says a person is at a terminal: prompts may be asked and
	// the progress bar is redrawn in place. Without it, a deployment that
	// needs approval, or a destroy without --force, is refused.
	// Default: false.
	Interactive bool
	// Dir is the directory the app runs in and cdk.out is relative to.
	// Default: the current directory.
	Dir string
	// AWSOptions are appended to the options of
	// config.LoadDefaultConfig (tests pin credentials with them).
	AWSOptions []func(*config.LoadOptions) error
	// PollInterval is how often stacks are read while they change.
	// Default: 2s.
	PollInterval time.Duration
	// Env is added to the environment of the app's process
	// ("KEY=VALUE").
	Env []string

	stdin *bufio.Reader
}

// Run runs the command line args (without the program name) with the
// process's standard input and returns the exit code. Prompts and the live
// progress bar (both on standard error) are used when standard input and
// standard error are terminals; standard output may go to a file.
func Run(args []string, stdout, stderr io.Writer) int {
	r := &Runner{Stdin: os.Stdin, Stdout: stdout, Stderr: stderr, Interactive: isTerminal(os.Stdin) && isTerminal(os.Stderr)}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return r.Run(ctx, args)
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// usageError is a mistake on the command line (exit code 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

// exitError carries an exit code without a message of its own (the
// command has already printed what happened).
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

type command struct {
	name, args, short, long string
	run                     func(r *Runner, ctx context.Context, args []string) error
}

var commands []*command

func init() {
	commands = []*command{
		{"bootstrap", "[aws://ACCOUNT/REGION...] [--qualifier Q] [--trust ACCOUNT] [--cloudformation-execution-policies ARN]", "deploy the CDK bootstrap stack (asset bucket, roles, version)", bootstrapHelp, (*Runner).bootstrap},
		{"synth", "[--app CMD] [--out DIR] [--build-assets] [-q]", "run the app and write the cloud assembly", synthHelp, (*Runner).synth},
		{"ls", "[--app CMD] [-l]", "list the app's stacks", lsHelp, (*Runner).ls},
		{"diff", "[STACK...] [--template FILE] [--fail]", "compare the app's templates with the deployed stacks", diffHelp, (*Runner).diff},
		{"deploy", "[STACK...|--all] [--require-approval LEVEL] [--parameters K=V]", "publish assets and deploy stacks through change sets", deployHelp, (*Runner).deploy},
		{"drift", "[STACK...] [--kubeconfig FILE] [--fail]", "compare deployed stacks with the live cluster and AWS", driftHelp, (*Runner).drift},
		{"upgrade-plan", "[STACK...] --to 1.NN [--kubeconfig FILE] [--fail]", "check and order what upgrading the app's clusters takes", upgradePlanHelp, (*Runner).upgradePlan},
		{"destroy", "[STACK...|--all] [--force]", "delete deployed stacks", destroyHelp, (*Runner).destroy},
		{"graph", "[STACK...] [--format dot|svg] [-o FILE]", "draw the construct tree and resource dependencies", graphHelp, (*Runner).graph},
		{"help", "[COMMAND]", "show help for eksforge or a command", "", (*Runner).help},
	}
}

// Run runs one command line and returns the exit code.
func (r *Runner) Run(ctx context.Context, args []string) int {
	if r.Stdin == nil {
		r.Stdin = strings.NewReader("")
	}
	if r.Stdout == nil {
		r.Stdout = io.Discard
	}
	if r.Stderr == nil {
		r.Stderr = io.Discard
	}
	if len(args) == 0 {
		r.writeUsage(r.Stderr)
		return 2
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help":
		name = "help"
	case "list":
		name = "ls"
	}
	for _, c := range commands {
		if c.name != name {
			continue
		}
		err := c.run(r, ctx, args[1:])
		var ue *usageError
		var ee *exitError
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			_ = r.help(ctx, []string{c.name})
			return 0
		case errors.As(err, &ue):
			fmt.Fprintf(r.Stderr, "eksforge %s: %s\nRun 'eksforge help %s' for usage.\n", c.name, ue.msg, c.name)
			return 2
		case errors.As(err, &ee):
			return ee.code
		default:
			fmt.Fprintf(r.Stderr, "eksforge %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(r.Stderr, "eksforge: unknown command %q\nRun 'eksforge help' for the commands.\n", args[0])
	return 2
}

func (r *Runner) writeUsage(w io.Writer) {
	fmt.Fprint(w, `eksforge synthesizes, compares, deploys and draws CloudFormation stacks
written with eksforge (or any AWS CDK app), without Node.js.

Usage:

	eksforge <command> [arguments]

Commands:

`)
	for _, c := range commands {
		fmt.Fprintf(w, "	%-13s %s\n", c.name, c.short)
	}
	fmt.Fprint(w, `
Common flags (every command that reads the app):

	--app CMD        the command that runs the app (it writes the cloud assembly
	                 to $CDK_OUTDIR), or the directory of an existing cloud
	                 assembly. Default: "app" of ./cdk.json, else "go run ."
	--out DIR        where the app writes the cloud assembly. Default: cdk.out

AWS flags (diff, deploy, drift, upgrade-plan, destroy); the default configuration chain of the AWS
SDK applies (environment, shared config and credentials files, SSO):

	--profile NAME   the shared configuration profile
	--region REGION  the region (for stacks whose environment names none)
	--endpoint-url URL  send every AWS call to URL (moto, LocalStack)

Run 'eksforge help <command>' for a command's flags.
`)
}

func (r *Runner) help(_ context.Context, args []string) error {
	if len(args) == 0 || args[0] == "help" {
		r.writeUsage(r.Stdout)
		return nil
	}
	for _, c := range commands {
		if c.name == args[0] && c.name != "help" {
			fmt.Fprintf(r.Stdout, "usage: eksforge %s %s\n\n%s", c.name, c.args, c.long)
			var o options
			fs := o.flags(c.name)
			fmt.Fprintln(r.Stdout, "\nFlags:")
			fs.SetOutput(r.Stdout)
			fs.PrintDefaults()
			return nil
		}
	}
	return usagef("unknown command %q", args[0])
}

// parseArgs parses flags anywhere on the line (Go's flag package stops at
// the first argument) and returns the positional arguments.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usagef("%v", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// confirm asks a yes/no question on Stderr and reads the answer.
func (r *Runner) confirm(question string) bool {
	fmt.Fprintf(r.Stderr, "%s (y/n) ", question)
	if r.stdin == nil {
		r.stdin = bufio.NewReader(r.Stdin)
	}
	line, _ := r.stdin.ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true
	}
	return false
}
