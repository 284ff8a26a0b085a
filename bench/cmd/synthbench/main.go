package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"
)

// app is one program measured on both sides.
type app struct {
	name   string // example or scale case
	goPkg  string // ./examples/<name> or ./bench/scale/<name>
	jsFile string // bench/cdk/<name>/app.js or bench/cdk/scale/<name>/app.js
}

// sample is one run of one side.
type sample struct {
	wall   time.Duration
	maxRSS int64 // bytes
	err    error
}

func main() {
	runs := flag.Int("runs", 3, "measured runs of each side")
	modules := flag.String("node-modules", os.Getenv("EKSFORGE_BENCH_CDK"), "node_modules with bench/cdk's packages")
	out := flag.String("out", "", "also write the markdown table to this file")
	only := flag.String("only", "", "comma-separated apps to measure (default: all)")
	goCmd := flag.String("go", "go", "the go command")
	sameOutdir := flag.Bool("same-outdir", false, "synthesize every run of a side into the same cloud assembly directory (a repeated synth: assets already staged there are kept), after one unmeasured run of each side")
	flag.Parse()
	if *modules == "" {
		fail("-node-modules is required (scripts/bench-synth.sh passes it)")
	}
	apps, err := listApps(*only)
	if err != nil {
		fail(err.Error())
	}
	bin, err := os.MkdirTemp("", "synthbench-bin-")
	if err != nil {
		fail(err.Error())
	}
	defer os.RemoveAll(bin)
	args := []string{"build", "-o", bin + string(filepath.Separator)}
	for _, a := range apps {
		args = append(args, a.goPkg)
	}
	fmt.Fprintf(os.Stderr, "synthbench: %s %s\n", *goCmd, strings.Join(args, " "))
	build := exec.Command(*goCmd, args...)
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fail("go build: " + err.Error())
	}
	node, err := exec.LookPath("node")
	if err != nil {
		fail("node not found in PATH")
	}
	nodeVersion, _ := exec.Command(node, "--version").Output()
	goVersion, _ := exec.Command(*goCmd, "env", "GOVERSION").Output()

	var rows []string
	var sumTimeRatio, sumMemRatio []float64
	for _, a := range apps {
		fmt.Fprintf(os.Stderr, "synthbench: %s ", a.name)
		prog := filepath.Join(bin, filepath.Base(a.goPkg))
		runOurs := func() sample { return run(prog, nil, "") }
		runTheirs := func() sample { return run(node, []string{a.jsFile}, *modules) }
		if *sameOutdir {
			oursDir, err1 := os.MkdirTemp("", "synthbench-ours-")
			theirsDir, err2 := os.MkdirTemp("", "synthbench-cdk-")
			if err1 != nil || err2 != nil {
				fail("unable to make temporary directories")
			}
			defer os.RemoveAll(oursDir)
			defer os.RemoveAll(theirsDir)
			runOurs = func() sample { return runInto(prog, nil, "", oursDir) }
			runTheirs = func() sample { return runInto(node, []string{a.jsFile}, *modules, theirsDir) }
		}
		first := runOurs()
		if *sameOutdir {
			runTheirs()
		}
		var ours, theirs []sample
		for i := 0; i < *runs; i++ {
			ours = append(ours, runOurs())
			theirs = append(theirs, runTheirs())
			fmt.Fprint(os.Stderr, ".")
		}
		fmt.Fprintln(os.Stderr)
		o, oerr := median(ours)
		c, cerr := median(theirs)
		res := resourceCounts(a, bin, *modules)
		row := fmt.Sprintf("| %s | %s | %s | %s | %s | %s | %s |", a.name, res, fmtFirst(first), fmtSide(o, oerr), fmtSide(c, cerr), ratio(c.wall.Seconds(), o.wall.Seconds(), oerr, cerr), ratio(float64(c.maxRSS), float64(o.maxRSS), oerr, cerr))
		if oerr == nil && cerr == nil {
			sumTimeRatio = append(sumTimeRatio, c.wall.Seconds()/o.wall.Seconds())
			sumMemRatio = append(sumMemRatio, float64(c.maxRSS)/float64(o.maxRSS))
		}
		rows = append(rows, row)
		fmt.Fprintln(os.Stderr, row)
	}
	var b strings.Builder
	mode := "each run into a fresh cloud assembly directory"
	if *sameOutdir {
		mode = "every run of a side into the same cloud assembly directory (repeated synth)"
	}
	fmt.Fprintf(&b, "Measured %s on %s: %d runs of each side per app (medians), %s; eksforge built with %s, aws-cdk-lib 2.276.0 on Node.js %s.\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 MST"), machine(), *runs, mode, strings.TrimSpace(string(goVersion)), strings.TrimPrefix(strings.TrimSpace(string(nodeVersion)), "v"))
	b.WriteString("| app | resources (eksforge / aws-cdk-lib) | eksforge first run | eksforge (wall, peak RSS) | aws-cdk-lib `node app.js` (wall, peak RSS) | time ratio | memory ratio |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- | --- |\n")
	for _, r := range rows {
		b.WriteString(r + "\n")
	}
	if len(sumTimeRatio) > 0 {
		fmt.Fprintf(&b, "\nMedian over the apps: aws-cdk-lib takes %.0f× the time and %.0f× the memory of eksforge (time ratios %.0f× to %.0f×, memory ratios %.0f× to %.0f×).\n",
			medianFloat(sumTimeRatio), medianFloat(sumMemRatio), minFloat(sumTimeRatio), maxFloat(sumTimeRatio), minFloat(sumMemRatio), maxFloat(sumMemRatio))
	}
	fmt.Print(b.String())
	if *out != "" {
		if err := os.WriteFile(*out, []byte(b.String()), 0o644); err != nil {
			fail(err.Error())
		}
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "synthbench:", msg)
	os.Exit(1)
}

// listApps finds the examples (examples/<name>/main.go with
// bench/cdk/<name>/app.js) and the scale cases (bench/scale/<name>/main.go
// with bench/cdk/scale/<name>/app.js).
func listApps(only string) ([]app, error) {
	var apps []app
	for _, src := range []struct{ goGlob, jsDir string }{
		{"examples/*/main.go", "bench/cdk"},
		{"bench/scale/*/main.go", "bench/cdk/scale"},
	} {
		m, err := filepath.Glob(src.goGlob)
		if err != nil {
			return nil, err
		}
		sort.Strings(m)
		for _, p := range m {
			dir := filepath.Dir(p)
			name := filepath.Base(dir)
			js := filepath.Join(src.jsDir, name, "app.js")
			if _, err := os.Stat(js); err != nil {
				fmt.Fprintf(os.Stderr, "synthbench: %s has no %s; skipped\n", dir, js)
				continue
			}
			apps = append(apps, app{name: name, goPkg: "./" + dir, jsFile: js})
		}
	}
	if only != "" {
		want := map[string]bool{}
		for _, n := range strings.Split(only, ",") {
			want[n] = true
		}
		var sel []app
		for _, a := range apps {
			if want[a.name] {
				sel = append(sel, a)
			}
		}
		apps = sel
	}
	if len(apps) == 0 {
		return nil, fmt.Errorf("no app to measure (run from the module root)")
	}
	return apps, nil
}

// run runs one synthesis into a fresh CDK_OUTDIR and measures it.
func run(prog string, args []string, nodePath string) sample {
	dir, err := os.MkdirTemp("", "synthbench-out-")
	if err != nil {
		return sample{err: err}
	}
	defer os.RemoveAll(dir)
	return runInto(prog, args, nodePath, dir)
}

func runInto(prog string, args []string, nodePath, dir string) sample {
	cmd := exec.Command(prog, args...)
	cmd.Env = append(os.Environ(), "CDK_OUTDIR="+dir, "CDK_DISABLE_VERSION_CHECK=1", "JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION=1", "JSII_DEPRECATED=quiet")
	if nodePath != "" {
		cmd.Env = append(cmd.Env, "NODE_PATH="+nodePath)
	}
	var stderr strings.Builder
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	start := time.Now()
	err := cmd.Run()
	s := sample{wall: time.Since(start)}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.maxRSS = ru.Maxrss * 1024 // kilobytes on Linux
	}
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if i := strings.Index(msg, "\n  ["); i >= 0 {
			msg = msg[i+3:] // the first problem synthesis reports
		}
		if len(msg) > 160 {
			msg = msg[:160] + "…"
		}
		s.err = fmt.Errorf("%v: %s", err, msg)
	}
	return s
}

// resourceCounts synthesizes once more on each side and counts the
// resources of the top-level stacks.
func resourceCounts(a app, bin, modules string) string {
	count := func(prog string, args []string, nodePath string) string {
		dir, err := os.MkdirTemp("", "synthbench-count-")
		if err != nil {
			return "?"
		}
		defer os.RemoveAll(dir)
		if s := runInto(prog, args, nodePath, dir); s.err != nil {
			return "?"
		}
		m, _ := filepath.Glob(filepath.Join(dir, "*.template.json"))
		n := 0
		for _, f := range m {
			if strings.HasSuffix(f, ".nested.template.json") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			var t struct {
				Resources map[string]json.RawMessage `json:"Resources"`
			}
			if json.Unmarshal(b, &t) == nil {
				n += len(t.Resources)
			}
		}
		return fmt.Sprint(n)
	}
	node, _ := exec.LookPath("node")
	return count(filepath.Join(bin, filepath.Base(a.goPkg)), nil, "") + " / " + count(node, []string{a.jsFile}, modules)
}

func median(ss []sample) (sample, error) {
	var ok []sample
	for _, s := range ss {
		if s.err != nil {
			return sample{}, s.err
		}
		ok = append(ok, s)
	}
	sort.Slice(ok, func(i, j int) bool { return ok[i].wall < ok[j].wall })
	w := ok[len(ok)/2].wall
	sort.Slice(ok, func(i, j int) bool { return ok[i].maxRSS < ok[j].maxRSS })
	return sample{wall: w, maxRSS: ok[len(ok)/2].maxRSS}, nil
}

func fmtFirst(s sample) string {
	if s.err != nil {
		return "failed"
	}
	return fmtDur(s.wall)
}

func fmtSide(s sample, err error) string {
	if err != nil {
		return "failed: " + strings.ReplaceAll(strings.ReplaceAll(err.Error(), "\n", " "), "|", "/")
	}
	return fmt.Sprintf("%s, %.0f MB", fmtDur(s.wall), float64(s.maxRSS)/1e6)
}

func fmtDur(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

func ratio(cdk, ours float64, errs ...error) string {
	for _, e := range errs {
		if e != nil {
			return "–"
		}
	}
	if ours == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f×", cdk/ours)
}

func medianFloat(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}

func minFloat(xs []float64) float64 {
	m := xs[0]
	for _, x := range xs {
		m = min(m, x)
	}
	return m
}

func maxFloat(xs []float64) float64 {
	m := xs[0]
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}

// machine describes the CPU count and load, as the figures depend on them.
func machine() string {
	load := ""
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) > 0 {
			load = ", load average " + f[0]
		}
	}
	return fmt.Sprintf("%d CPUs%s", numCPU(), load)
}
