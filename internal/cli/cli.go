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
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/eksforge/eksforge/internal/bootstrap"
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
		{"synth", "[STACK...] [-a CMD] [-o DIR] [-c KEY=VALUE] [--json] [--build-assets] [-q]", "run the app and write the cloud assembly", synthHelp, (*Runner).synth},
		{"ls", "[--app CMD] [-l]", "list the app's stacks", lsHelp, (*Runner).ls},
		{"diff", "[STACK...] [--template FILE] [--fail]", "compare the app's templates with the deployed stacks", diffHelp, (*Runner).diff},
		{"deploy", "[STACK...|--all] [--require-approval LEVEL] [--parameters K=V]", "publish assets and deploy stacks through change sets", deployHelp, (*Runner).deploy},
		{"drift", "[STACK...] [--kubeconfig FILE] [--fail]", "compare deployed stacks with the live cluster and AWS", driftHelp, (*Runner).drift},
		{"upgrade-plan", "[STACK...] --to 1.NN [--kubeconfig FILE] [--fail]", "check and order what upgrading the app's clusters takes", upgradePlanHelp, (*Runner).upgradePlan},
		{"destroy", "[STACK...|--all] [--force]", "delete deployed stacks", destroyHelp, (*Runner).destroy},
		{"kubeconfig", "[STACK...] [--cluster-name NAME] [--kubeconfig FILE] [--alias NAME]", "write a kubeconfig entry for deployed EKS clusters (no AWS CLI)", kubeconfigHelp, (*Runner).kubeconfig},
		{"token", "--cluster-name NAME", "print an EKS bearer token (kubectl's exec plugin)", tokenHelp, (*Runner).token},
		{"graph", "[STACK...] [--format dot|svg] [--file FILE]", "draw the construct tree and resource dependencies", graphHelp, (*Runner).graph},
		{"version", "", "print eksforge's version (also --version)", "", (*Runner).version},
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
	// Flags every command takes may come before the command's name.
	var global []string
	for len(args) > 0 && (args[0] == "--verbose" || args[0] == "-v" || args[0] == "--no-color") {
		global, args = append(global, args[0]), args[1:]
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
	case "--version", "-version":
		name = "version"
	}
	args = append(args, global...)
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

	-a, --app CMD    the command that runs the app (it writes the cloud assembly
	                 to $CDK_OUTDIR), or the directory of an existing cloud
	                 assembly. Default: "app" of ./cdk.json, else "go run ."
	-o, --output DIR where the app writes the cloud assembly. Default: cdk.out
	-c, --context KEY=VALUE
	                 a context value for the app (repeatable), over the
	                 "context" of ./cdk.json and ./cdk.context.json
	-v, --verbose    say what runs (the app, its context, the AWS account)
	--no-color       no colors (eksforge prints none; the app gets NO_COLOR=1)

AWS flags (bootstrap, diff, deploy, drift, upgrade-plan, destroy); the default configuration chain of the AWS
SDK applies (environment, shared config and credentials files, SSO):

	--profile NAME   the shared configuration profile
	--region REGION  the region (for stacks whose environment names none)
	--endpoint-url URL  send every AWS call to URL (moto, LocalStack)

Run 'eksforge help <command>' for a command's flags, 'eksforge --version' for
the version.
`)
}

// Version returns eksforge's version: the module version it was built at
// (go install ...@v1.2.3), else "(devel)" with the VCS revision when known.
func Version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = ", modified"
			}
		}
	}
	if rev != "" {
		v += fmt.Sprintf(" (commit %.12s%s)", rev, dirty)
	}
	return v
}

func (r *Runner) version(_ context.Context, args []string) error {
	if len(args) > 0 && args[0] != "--verbose" && args[0] != "-v" && args[0] != "--no-color" {
		return usagef("version takes no arguments; got %q", args)
	}
	fmt.Fprintf(r.Stdout, "eksforge %s\n%s, %s/%s\nbootstrap template: aws-cdk %s (bootstrap version %d)\n", Version(), runtime.Version(), runtime.GOOS, runtime.GOARCH, bootstrap.CDKVersion, bootstrap.Version())
	return nil
}

func (r *Runner) help(_ context.Context, args []string) error {
	if len(args) == 0 || args[0] == "help" {
		r.writeUsage(r.Stdout)
		return nil
	}
	for _, c := range commands {
		if c.name == args[0] && c.name != "help" && c.name != "version" {
			fmt.Fprintf(r.Stdout, "usage: eksforge %s %s\n\n%s", c.name, c.args, c.long)
			var o options
			fmt.Fprintln(r.Stdout, "\nFlags:")
			printFlags(r.Stdout, o.flags(c.name))
			return nil
		}
	}
	return usagef("unknown command %q", args[0])
}

// parseArgs parses flags anywhere on the line (Go's flag package stops at
// the first argument) and returns the positional arguments. Errors name
// flags as they were typed (--foo, -f).
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	all := args
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usagef("%s", flagError(err.Error(), all))
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

// flagError rewrites the flag package's messages, which spell every flag
// "-name", with the flag as typed.
func flagError(msg string, args []string) string {
	typed := func(name string) string {
		for _, a := range args {
			bare := strings.TrimLeft(a, "-")
			if n, _, _ := strings.Cut(bare, "="); n == name && strings.HasPrefix(a, "-") {
				return a[:len(a)-len(bare)] + name
			}
		}
		if len(name) == 1 {
			return "-" + name
		}
		return "--" + name
	}
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return "unknown flag " + typed(name)
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return typed(name) + " needs a value"
	}
	// invalid value "x" for flag -name: reason / invalid boolean value "x" for -name: reason
	if i := strings.Index(msg, " -"); i >= 0 && strings.HasPrefix(msg, "invalid ") {
		rest := msg[i+2:]
		name, reason, _ := strings.Cut(rest, ": ")
		return msg[:i+1] + typed(name) + ": " + reason
	}
	return msg
}

// printFlags writes the flags of fs as eksforge's users type them:
// "-o, --output DIR". A flag whose usage is "short for --X" is shown with
// X; one whose usage starts "same as" is an old spelling and is not shown.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	short := map[string]string{}
	fs.VisitAll(func(f *flag.Flag) {
		if long, ok := strings.CutPrefix(f.Usage, "short for --"); ok {
			short[long] = f.Name
		}
	})
	fs.VisitAll(func(f *flag.Flag) {
		if strings.HasPrefix(f.Usage, "short for --") || strings.HasPrefix(f.Usage, "same as ") {
			return
		}
		name, usage := flag.UnquoteUsage(f)
		line := "  "
		if s := short[f.Name]; s != "" {
			line += "-" + s + ", "
		}
		if len(f.Name) == 1 {
			line += "-" + f.Name
		} else {
			line += "--" + f.Name
		}
		if _, isBool := f.Value.(interface{ IsBoolFlag() bool }); !isBool {
			if name == "" || name == "value" {
				name = "VALUE"
			}
			line += " " + name
		}
		fmt.Fprintln(w, line)
		fmt.Fprintf(w, "        %s", usage)
		if f.DefValue != "" && f.DefValue != "false" && !strings.Contains(usage, "default") {
			fmt.Fprintf(w, " (default %q)", f.DefValue)
		}
		fmt.Fprintln(w)
	})
}

// verbosef prints a line on Stderr when --verbose is set.
func (r *Runner) verbosef(o *options, format string, a ...any) {
	if o.verbose {
		fmt.Fprintf(r.Stderr, "[verbose] "+format+"\n", a...)
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
