package lambdaruntime

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Function is a bootstrap binary and the environment Lambda would give it.
type Function struct {
	// Binary is the path of the bootstrap executable.
	Binary string
	// Env holds the process's environment ("KEY=value"), besides
	// AWS_LAMBDA_RUNTIME_API, which Invoke sets. Nothing is inherited from
	// the test's own environment.
	// Default: none.
	Env []string
	// Timeout bounds the invocation: the Lambda-Runtime-Deadline-Ms given
	// to the function, and how long Invoke waits for its answers.
	// Default: 5 minutes.
	Timeout time.Duration
}

// Invocation is what one invocation of a Function did.
type Invocation struct {
	// Ready is the time from the process's start to its first request for
	// an event (the runtime API's /next): start-up.
	Ready time.Duration
	// Served is the time from the process's start to its answer to the
	// runtime (a response or an error).
	Served time.Duration
	// Result is "response" or "error": how the function answered the
	// runtime.
	Result string
	// Response is the body of that answer.
	Response []byte
	// CloudFormation is the body the function PUT to the event's
	// ResponseURL, when Invoke gave the event its own (see Invoke); nil
	// otherwise.
	CloudFormation []byte
	// PeakRSSKiB is the process's peak resident set in KiB: VmHWM of
	// /proc/<pid>/status, read once it has answered and before it is
	// stopped. (Not wait4's ru_maxrss: Linux carries the high-water mark
	// of the memory a process replaced by exec into it, and Go's fork
	// shares the parent's memory until exec, so a child's ru_maxrss is at
	// least its parent's peak.)
	PeakRSSKiB int64
	// Logs are the process's stdout and stderr.
	Logs string
}

// CloudFormationStatus is the Status of the answer PUT to CloudFormation
// ("SUCCESS" or "FAILED"), or "" when there was none.
func (i Invocation) CloudFormationStatus() string {
	var r struct{ Status string }
	_ = json.Unmarshal(i.CloudFormation, &r)
	return r.Status
}

// PeakRSSMB is PeakRSSKiB in MiB.
func (i Invocation) PeakRSSMB() float64 { return float64(i.PeakRSSKiB) / 1024 }

// Invoke starts the function as a new process, hands it event as its one
// invocation, waits for its answer to the runtime (and to CloudFormation
// when the event has no ResponseURL: Invoke then sets one that it serves
// itself), stops the process and returns what it did. It fails tb when
// the process does not start or answer in time. The process is stopped
// once it has answered: a later request for an event never returns.
func (f Function) Invoke(tb testing.TB, event map[string]any) Invocation {
	tb.Helper()
	timeout := f.Timeout
	if timeout == 0 {
		timeout = 5 * time.Minute
	}
	api, err := start(timeout)
	if err != nil {
		tb.Fatal(err)
	}
	defer api.close()
	ev := make(map[string]any, len(event)+1)
	for k, v := range event {
		ev[k] = v
	}
	wantCFN := ev["ResponseURL"] == nil
	if wantCFN {
		ev["ResponseURL"] = "http://" + api.addr + "/cloudformation"
	}
	if api.event, err = json.Marshal(ev); err != nil {
		tb.Fatal(err)
	}

	var logs strings.Builder
	cmd := exec.Command(f.Binary)
	cmd.Env = append([]string{"AWS_LAMBDA_RUNTIME_API=" + api.addr}, f.Env...)
	cmd.Stdout, cmd.Stderr = &logs, &logs
	start := time.Now()
	if err := cmd.Start(); err != nil {
		tb.Fatalf("unable to start %s: %v", f.Binary, err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	stop := func() {
		_ = cmd.Process.Kill()
		<-exited
	}

	var inv Invocation
	var readyAt, servedAt time.Time
	deadline := time.After(timeout + 10*time.Second)
	for readyAt.IsZero() || servedAt.IsZero() || (wantCFN && inv.CloudFormation == nil) {
		select {
		case readyAt = <-api.ready:
		case a := <-api.answer:
			servedAt, inv.Result, inv.Response = a.at, a.kind, a.body
		case inv.CloudFormation = <-api.cfn:
		case <-exited:
			tb.Fatalf("%s exited before answering (runtime answer %q, CloudFormation %q):\n%s", f.Binary, inv.Result, inv.CloudFormation, logs.String())
		case <-deadline:
			stop()
			tb.Fatalf("%s did not answer its invocation within %v (runtime answer %q, CloudFormation %q):\n%s", f.Binary, timeout, inv.Result, inv.CloudFormation, logs.String())
		}
	}
	inv.PeakRSSKiB, err = peakRSS(cmd.Process.Pid)
	stop()
	if err != nil {
		tb.Fatal(err)
	}
	inv.Ready, inv.Served, inv.Logs = readyAt.Sub(start), servedAt.Sub(start), logs.String()
	return inv
}

// api is the runtime API stand-in of one invocation.
type api struct {
	addr   string
	srv    *http.Server
	event  []byte
	ready  chan time.Time
	answer chan answer
	cfn    chan []byte
}

type answer struct {
	at   time.Time
	kind string
	body []byte
}

func start(timeout time.Duration) (*api, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("unable to listen for the runtime API: %w", err)
	}
	a := &api{addr: l.Addr().String(), ready: make(chan time.Time, 1), answer: make(chan answer, 1), cfn: make(chan []byte, 1)}
	var once sync.Once
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", func(w http.ResponseWriter, r *http.Request) {
		select {
		case a.ready <- time.Now():
		default:
		}
		served := false
		once.Do(func() {
			served = true
			w.Header().Set("Lambda-Runtime-Aws-Request-Id", "req-1")
			w.Header().Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(timeout).UnixMilli(), 10))
			w.Header().Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:bench")
			_, _ = w.Write(a.event)
		})
		if !served {
			<-r.Context().Done() // one invocation per process
		}
	})
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/req-1/{kind}", func(w http.ResponseWriter, r *http.Request) {
		at := time.Now()
		b, _ := io.ReadAll(r.Body)
		w.WriteHeader(http.StatusAccepted)
		select {
		case a.answer <- answer{at: at, kind: r.PathValue("kind"), body: b}:
		default:
		}
	})
	mux.HandleFunc("PUT /cloudformation", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		select {
		case a.cfn <- b:
		default:
		}
	})
	a.srv = &http.Server{Handler: mux}
	go func() { _ = a.srv.Serve(l) }()
	return a, nil
}

// peakRSS reads the VmHWM of a running process, in KiB.
func peakRSS(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("unable to read the peak resident set of process %d: %w", pid, err)
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(v)
			if len(f) == 2 && f[1] == "kB" {
				return strconv.ParseInt(f[0], 10, 64)
			}
		}
	}
	return 0, fmt.Errorf("no VmHWM in kB in /proc/%d/status:\n%s", pid, b)
}

func (a *api) close() { _ = a.srv.Close() }
