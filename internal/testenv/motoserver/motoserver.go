package motoserver

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/eksforge/eksforge/internal/testenv/unavailable"
)

// launcher is the Python program the server runs: moto's server, started
// after patching the gaps of moto's CloudFormation that the tests meet
// (listed in the package documentation and in docs/cli.md).
//
//go:embed launcher.py
var launcher []byte

// PythonEnvVar names the environment variable that, when set, holds the
// Python interpreter that runs moto (a path or a name on PATH).
// Default: python3.
const PythonEnvVar = "EKSFORGE_MOTO_PYTHON"

// Region, AccessKeyID and SecretAccessKey are what [Server.AWSConfig] puts
// in the aws.Config. moto accepts any credentials; its default account is
// [AccountID].
const (
	Region          = "us-east-1"
	AccessKeyID     = "testing"
	SecretAccessKey = "testing"
	// AccountID is the account moto reports for any credentials
	// (sts:GetCallerIdentity, ARNs).
	AccountID = "123456789012"
)

// StartTimeout bounds the wait for a new server to answer.
const StartTimeout = 60 * time.Second

// ErrUnavailable is wrapped by the error of [New] when moto cannot be run
// on this machine (no python3, or moto is not importable). [Start] and
// [Shared] then skip the test, or fail it when CI=true.
var ErrUnavailable = errors.New("moto is not available")

// Server is a running moto server on 127.0.0.1. Its methods are safe for
// concurrent use.
type Server struct {
	endpoint string
	dir      string // temporary directory holding the log
	logPath  string
	cmd      *exec.Cmd
	startup  time.Duration
	exited   chan struct{} // closed when the process has exited
	waitErr  error         // valid after exited is closed
	stopOnce sync.Once
	stopErr  error
}

// Endpoint returns the server's base URL, http://127.0.0.1:PORT, for any AWS
// service: moto routes by the request's signing name and target.
func (s *Server) Endpoint() string { return s.endpoint }

// StartupTime returns how long the server took from start to its first
// answer.
func (s *Server) StartupTime() time.Duration { return s.startup }

// LogPath returns the file holding the server's output.
func (s *Server) LogPath() string { return s.logPath }

// Log returns the last n lines of the server's output (all of it when n <= 0).
func (s *Server) Log(n int) string {
	b, err := os.ReadFile(s.logPath)
	if err != nil {
		return fmt.Sprintf("(unable to read %s: %v)", s.logPath, err)
	}
	return tail(string(b), n)
}

// AWSConfig returns an aws.Config for the server: static credentials
// [AccessKeyID]/[SecretAccessKey], region [Region], BaseEndpoint set to
// [Server.Endpoint], at most 3 attempts per call, and response checksums
// validated only when required (moto sends none; the SDK would log each
// GET that lacks one). It is made by hand rather than by
// config.LoadDefaultConfig, so nothing comes from the environment, ~/.aws
// or instance metadata: a developer's own credentials, profile, region or
// AWS_ENDPOINT_URL_<SERVICE> can never send a test to real AWS. The error is
// always nil today; ctx is for future use.
//
// S3 clients must use path-style addressing, because virtual-hosted bucket
// names cannot resolve under 127.0.0.1:
//
//	s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
func (s *Server) AWSConfig(ctx context.Context) (aws.Config, error) {
	return aws.Config{
		Region:                     Region,
		Credentials:                aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(AccessKeyID, SecretAccessKey, "")),
		BaseEndpoint:               aws.String(s.endpoint),
		RetryMaxAttempts:           3,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
	}, nil
}

// Reset drops every resource in every service (POST /moto-api/reset). Do
// not call it on a server that parallel tests share.
func (s *Server) Reset() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.endpoint+"/moto-api/reset", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("unable to reset moto at %s: %w", s.endpoint, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("unable to reset moto at %s: %s: %s", s.endpoint, resp.Status, body)
	}
	return nil
}

// Stop ends the server (SIGTERM, then SIGKILL after 10 s) and removes its
// temporary directory, log included. Calling Stop again returns the first
// result.
func (s *Server) Stop() error {
	s.stopOnce.Do(func() {
		s.stopErr = stopProcess(s.cmd, s.exited, 10*time.Second)
		if err := os.RemoveAll(s.dir); err != nil && s.stopErr == nil {
			s.stopErr = err
		}
	})
	return s.stopErr
}

// New starts a moto server on a free port of 127.0.0.1 and waits, at most
// [StartTimeout], until it answers. The caller must call [Server.Stop].
// When moto cannot be run the error wraps [ErrUnavailable].
func New() (*Server, error) {
	python, err := checkMoto()
	if err != nil {
		return nil, err
	}
	var lastErr error
	// A free port can be taken by someone else before moto binds it: retry.
	for range 3 {
		s, err := start(python)
		if err == nil {
			return s, nil
		}
		lastErr = err
		if !errors.Is(err, errPortInUse) {
			break
		}
	}
	return nil, lastErr
}

// Start starts a server for this test with [New] and stops it when the test
// ends, printing the server's log first if the test failed. When moto cannot
// be run the test is skipped, or fails when CI=true.
func Start(t testing.TB) *Server {
	t.Helper()
	s, err := New()
	if err != nil {
		fail(t, err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("motoserver: log of %s (last 50 lines):\n%s", s.endpoint, s.Log(50))
		}
		if err := s.Stop(); err != nil {
			t.Logf("motoserver: stop %s: %v", s.endpoint, err)
		}
	})
	return s
}

var shared struct {
	mu  sync.Mutex
	s   *Server
	err error
}

// Shared returns the server shared by the tests of this process, starting
// it on first use. Use it to pay moto's start-up (about 1 s) once per test
// package, and call [StopShared] from TestMain after m.Run. Tests that share
// it must not depend on an empty account: give resources unique names and
// do not call [Server.Reset]. When moto cannot be run the test is skipped,
// or fails when CI=true.
func Shared(t testing.TB) *Server {
	t.Helper()
	shared.mu.Lock()
	if shared.s == nil && shared.err == nil {
		shared.s, shared.err = New()
	}
	s, err := shared.s, shared.err
	shared.mu.Unlock()
	if err != nil {
		fail(t, err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("motoserver: log of the shared server %s (last 50 lines):\n%s", s.endpoint, s.Log(50))
		}
	})
	return s
}

// StopShared stops the server [Shared] started, if any. Call it from
// TestMain after m.Run; a later [Shared] starts a new server. Without it the
// server is still ended when the test process exits (on Linux, by the
// parent-death signal), but its temporary directory is left behind.
func StopShared() error {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	s := shared.s
	shared.s, shared.err = nil, nil
	if s == nil {
		return nil
	}
	return s.Stop()
}

// fail skips t (fails it when CI=true) for ErrUnavailable, else fails it.
func fail(t testing.TB, err error) {
	t.Helper()
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("motoserver: %v", err)
	}
	unavailable.SkipOrFail(t, unavailable.Tool{
		Source:  "motoserver",
		What:    "moto is not available",
		Reason:  err.Error(),
		Skipped: "Tests that need moto",
		Remedy:  "Install it with `pip install 'moto[server]'`.",
		CINeeds: "have moto installed",
	})
}

var checks struct {
	mu     sync.Mutex
	byName map[string]error // interpreter as configured -> result
	paths  map[string]string
}

// checkMoto checks, once per interpreter and process, that the Python of
// [PythonEnvVar] can import moto and its server (which needs flask), and
// returns the interpreter's path.
func checkMoto() (string, error) {
	python := os.Getenv(PythonEnvVar)
	if python == "" {
		python = "python3"
	}
	checks.mu.Lock()
	defer checks.mu.Unlock()
	if err, ok := checks.byName[python]; ok {
		return checks.paths[python], err
	}
	path, err := lookMoto(python)
	if checks.byName == nil {
		checks.byName, checks.paths = map[string]error{}, map[string]string{}
	}
	checks.byName[python], checks.paths[python] = err, path
	return path, err
}

func lookMoto(python string) (string, error) {
	path, err := exec.LookPath(python)
	if err != nil {
		return "", fmt.Errorf("%w: %s not found: %v", ErrUnavailable, python, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, "-c", "import moto, moto.server, sys; print(moto.__version__)").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("%w: `%s -c 'import moto, moto.server'` failed: %v\n%s", ErrUnavailable, path, err, tail(string(out), 10))
	}
	return path, nil
}

var errPortInUse = errors.New("port in use")

func start(python string) (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "eksforge-moto-")
	if err != nil {
		return nil, fmt.Errorf("unable to start moto: %w", err)
	}
	logPath := filepath.Join(dir, "moto.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("unable to start moto: %w", err)
	}
	defer logFile.Close() // the child holds its own descriptor

	script := filepath.Join(dir, "launcher.py")
	if err := os.WriteFile(script, launcher, 0o600); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("unable to start moto: %w", err)
	}
	cmd := exec.Command(python, script, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.Dir = dir
	cmd.Env = append(serverEnv(os.Environ()), "PYTHONUNBUFFERED=1")
	setProcAttr(cmd)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("unable to start moto: %s: %w", strings.Join(cmd.Args, " "), err)
	}
	s := &Server{
		endpoint: "http://127.0.0.1:" + strconv.Itoa(port),
		dir:      dir,
		logPath:  logPath,
		cmd:      cmd,
		exited:   make(chan struct{}),
	}
	go func() {
		s.waitErr = cmd.Wait()
		close(s.exited)
	}()
	if err := s.waitReady(StartTimeout); err != nil {
		log := s.Log(30)
		s.Stop()
		if strings.Contains(log, "Address already in use") {
			err = fmt.Errorf("%w: %w", errPortInUse, err)
		}
		return nil, fmt.Errorf("unable to start moto (%s): %w\n%s", strings.Join(cmd.Args, " "), err, log)
	}
	s.startup = time.Since(start)
	return s, nil
}

// serverEnv returns env without AWS_* variables: moto runs boto3 inside,
// and a developer's AWS_PROFILE naming a profile moto cannot find, say,
// makes it answer 500 to every CloudFormation or EKS call.
func serverEnv(env []string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		if !strings.HasPrefix(kv, "AWS_") {
			out = append(out, kv)
		}
	}
	return out
}

// waitReady polls GET /moto-api/ until it answers 200, the process exits or
// the timeout passes.
func (s *Server) waitReady(timeout time.Duration) error {
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(timeout)
	for {
		resp, err := client.Get(s.endpoint + "/moto-api/")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("GET /moto-api/: %s", resp.Status)
		}
		select {
		case <-s.exited:
			return fmt.Errorf("moto exited before answering: %v", s.waitErr)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("moto did not answer within %s: %v", timeout, err)
		}
	}
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("unable to find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// stopProcess sends SIGTERM (os.Kill where unsupported), waits up to grace
// for exited to close, then kills the process.
func stopProcess(cmd *exec.Cmd, exited <-chan struct{}, grace time.Duration) error {
	select {
	case <-exited:
		return nil
	default:
	}
	if err := terminate(cmd.Process); err != nil {
		cmd.Process.Kill()
	}
	select {
	case <-exited:
		return nil
	case <-time.After(grace):
	}
	cmd.Process.Kill()
	select {
	case <-exited:
		return fmt.Errorf("%s did not exit within %s of SIGTERM; killed", filepath.Base(cmd.Path), grace)
	case <-time.After(10 * time.Second):
		return fmt.Errorf("%s (pid %d) did not exit after SIGKILL", filepath.Base(cmd.Path), cmd.Process.Pid)
	}
}

// tail returns the last n lines of s (all of s when n <= 0).
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if n > 0 && len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
