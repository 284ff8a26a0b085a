package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/provider/spec"
)

// These tests run the built bootstrap binary under a local Lambda Runtime API
// (the protocol the provided.al2023 runtime speaks), with the AWS SDK pointed
// at local Lambda and Step Functions endpoints and CloudFormation's response
// URL served locally: the wiring the unit tests cannot see — environment,
// entry selection, SDK calls, and the error type the waiter retries on.

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

func bootstrap(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "eksforge-framework-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "bootstrap")
		cmd := exec.Command("go", "build", "-trimpath", "-tags", "lambda.norpc", "-o", binPath, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// invocation is one event handed to the function and what it answered.
type invocation struct {
	event   []byte
	outcome chan result
}

type result struct {
	kind string // "response" or "error"
	body []byte
}

// runtimeAPI serves the Lambda Runtime API for one invocation.
func runtimeAPI(t *testing.T, inv invocation) *httptest.Server {
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/2018-06-01/runtime/invocation/next":
			served := false
			once.Do(func() {
				served = true
				w.Header().Set("Lambda-Runtime-Aws-Request-Id", "lambda-req-1")
				w.Header().Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(time.Minute).UnixMilli(), 10))
				w.Header().Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:framework")
				w.Header().Set("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000")
				_, _ = w.Write(inv.event)
			})
			if !served {
				<-r.Context().Done() // no second invocation
			}
		case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/response"):
			b, _ := io.ReadAll(r.Body)
			inv.outcome <- result{"response", b}
			w.WriteHeader(http.StatusAccepted)
		case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/error"):
			b, _ := io.ReadAll(r.Body)
			inv.outcome <- result{"error", b}
			w.WriteHeader(http.StatusAccepted)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// awsAPIs serves Lambda Invoke for user functions and Step Functions
// StartExecution.
type awsAPIs struct {
	srv        *httptest.Server
	mu         sync.Mutex
	userResult map[string]string // function name -> JSON result
	started    []map[string]any
	parameters []map[string]any
}

func newAWSAPIs(t *testing.T) *awsAPIs {
	a := &awsAPIs{userResult: map[string]string{}}
	a.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get("X-Amz-Target") == "AmazonSSM.PutParameter" {
			var in map[string]any
			_ = json.Unmarshal(body, &in)
			a.mu.Lock()
			a.parameters = append(a.parameters, in)
			a.mu.Unlock()
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			_, _ = io.WriteString(w, `{"Version":1,"Tier":"Standard"}`)
			return
		}
		if r.Header.Get("X-Amz-Target") == "AWSStepFunctions.StartExecution" {
			var in map[string]any
			_ = json.Unmarshal(body, &in)
			a.mu.Lock()
			a.started = append(a.started, in)
			a.mu.Unlock()
			w.Header().Set("Content-Type", "application/x-amz-json-1.0")
			fmt.Fprintf(w, `{"executionArn":"%s:%s","startDate":%d}`, in["stateMachineArn"], in["name"], time.Now().Unix())
			return
		}
		const prefix = "/2015-03-31/functions/"
		if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, prefix) && strings.HasSuffix(r.URL.Path, "/invocations") {
			name := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, prefix), "/invocations")
			if i := strings.Index(name, ":function:"); i >= 0 { // an ARN
				name = name[i+len(":function:"):]
			}
			a.mu.Lock()
			res, ok := a.userResult[name]
			a.mu.Unlock()
			if !ok {
				w.Header().Set("X-Amzn-Errortype", "ResourceNotFoundException")
				w.WriteHeader(http.StatusNotFound)
				fmt.Fprintf(w, `{"Type":"User","message":"Function not found: %s"}`, name)
				return
			}
			if strings.Contains(res, `"errorMessage"`) {
				w.Header().Set("X-Amz-Function-Error", "Unhandled")
			}
			_, _ = io.WriteString(w, res)
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(a.srv.Close)
	return a
}

// cfnServer records the answers PUT to the response URL.
func cfnServer(t *testing.T) (*httptest.Server, chan cfnresponse.Response) {
	answers := make(chan cfnresponse.Response, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var resp cfnresponse.Response
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &resp); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		answers <- resp
	}))
	t.Cleanup(srv.Close)
	return srv, answers
}

// run starts the binary for one invocation and returns the runtime outcome.
func run(t *testing.T, env []string, event []byte) result {
	t.Helper()
	inv := invocation{event: event, outcome: make(chan result, 1)}
	rt := runtimeAPI(t, inv)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bootstrap(t))
	cmd.Env = append([]string{
		"PATH=" + os.Getenv("PATH"),
		"AWS_LAMBDA_RUNTIME_API=" + strings.TrimPrefix(rt.URL, "http://"),
		"AWS_LAMBDA_FUNCTION_NAME=framework",
		"AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/framework",
		"AWS_LAMBDA_LOG_STREAM_NAME=2026/11/25/[$LATEST]feedface",
		"AWS_REGION=us-east-1",
		"AWS_ACCESS_KEY_ID=AKIDEXAMPLE",
		"AWS_SECRET_ACCESS_KEY=secret",
		"AWS_EC2_METADATA_DISABLED=true",
		"HOME=" + t.TempDir(),
	}, env...)
	var logs strings.Builder
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("function logs:\n%s", logs.String())
		}
	}()
	select {
	case r := <-inv.outcome:
		return r
	case <-ctx.Done():
		t.Fatal("the function did not finish its invocation")
		return result{}
	}
}

func event(t *testing.T, responseURL string, rt cfnresponse.RequestType, physicalID string) []byte {
	b, err := json.Marshal(cfnresponse.Event{
		RequestType: rt, ResponseURL: responseURL + "/r?X-Amz-Signature=s",
		StackId: "arn:aws:cloudformation:us-east-1:123456789012:stack/app/1", RequestId: "cfn-req-1",
		ResourceType: "Custom::Thing", LogicalResourceId: "Thing", PhysicalResourceId: physicalID,
		ResourceProperties: map[string]any{"ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:framework", "Size": "3"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBinaryOnEventAnswers(t *testing.T) {
	t.Parallel()
	cfn, answers := cfnServer(t)
	apis := newAWSAPIs(t)
	apis.userResult["user-onEvent"] = `{"PhysicalResourceId":"thing-1","Data":{"Arn":"arn:thing"}}`
	out := run(t, []string{
		"AWS_ENDPOINT_URL_LAMBDA=" + apis.srv.URL,
		spec.EnvOnEventFunctionARN + "=arn:aws:lambda:us-east-1:123456789012:function:user-onEvent",
		"_HANDLER=framework.onEvent",
	}, event(t, cfn.URL, cfnresponse.Create, ""))
	if out.kind != "response" {
		t.Fatalf("invocation ended with %s: %s", out.kind, out.body)
	}
	got := <-answers
	if got.Status != cfnresponse.Success || got.PhysicalResourceId != "thing-1" || got.Data["Arn"] != "arn:thing" {
		t.Errorf("answer = %+v", got)
	}
}

func TestBinaryOnEventStartsTheWaiter(t *testing.T) {
	t.Parallel()
	cfn, answers := cfnServer(t)
	apis := newAWSAPIs(t)
	apis.userResult["user-onEvent"] = `{"PhysicalResourceId":"cluster-1","EksUpdateId":"u-1"}`
	out := run(t, []string{
		"AWS_ENDPOINT_URL_LAMBDA=" + apis.srv.URL,
		"AWS_ENDPOINT_URL_SFN=" + apis.srv.URL,
		spec.EnvOnEventFunctionARN + "=arn:aws:lambda:us-east-1:123456789012:function:user-onEvent",
		spec.EnvIsCompleteFunctionARN + "=arn:aws:lambda:us-east-1:123456789012:function:user-isComplete",
		spec.EnvWaiterStateMachineARN + "=arn:aws:states:us-east-1:123456789012:stateMachine:waiter",
		spec.EnvResponseURLParameterPrefix + "=/eksforge/provider/Thing",
		"AWS_ENDPOINT_URL_SSM=" + apis.srv.URL,
		spec.EnvEntry + "=onEvent",
	}, event(t, cfn.URL, cfnresponse.Update, "cluster-1"))
	if out.kind != "response" {
		t.Fatalf("invocation ended with %s: %s", out.kind, out.body)
	}
	select {
	case a := <-answers:
		t.Errorf("onEvent answered although the waiter should: %+v", a)
	default:
	}
	apis.mu.Lock()
	defer apis.mu.Unlock()
	if len(apis.started) != 1 || apis.started[0]["name"] != "cfn-req-1" || !strings.Contains(apis.started[0]["input"].(string), `"EksUpdateId":"u-1"`) {
		t.Fatalf("StartExecution calls = %v", apis.started)
	}
	if input := apis.started[0]["input"].(string); strings.Contains(input, "X-Amz-Signature") || !strings.Contains(input, `"ResponseURLParameterName":"/eksforge/provider/Thing/cfn-req-1"`) {
		t.Errorf("the waiter input exposes the response URL or lacks the parameter: %s", input)
	}
	if len(apis.parameters) != 1 || apis.parameters[0]["Name"] != "/eksforge/provider/Thing/cfn-req-1" || !strings.Contains(apis.parameters[0]["Value"].(string), "X-Amz-Signature") {
		t.Errorf("PutParameter calls = %v", apis.parameters)
	}
}

func TestBinaryIsCompleteSignalsRetry(t *testing.T) {
	t.Parallel()
	cfn, answers := cfnServer(t)
	apis := newAWSAPIs(t)
	apis.userResult["user-isComplete"] = `{"IsComplete":false}`
	var req map[string]any
	_ = json.Unmarshal(event(t, cfn.URL, cfnresponse.Create, ""), &req)
	req["PhysicalResourceId"] = "cluster-1"
	in, _ := json.Marshal(req)
	out := run(t, []string{
		"AWS_ENDPOINT_URL_LAMBDA=" + apis.srv.URL,
		spec.EnvOnEventFunctionARN + "=user-onEvent",
		spec.EnvIsCompleteFunctionARN + "=user-isComplete",
		spec.EnvEntry + "=isComplete",
	}, in)
	var e struct{ ErrorType, ErrorMessage string }
	_ = json.Unmarshal(out.body, &e)
	if out.kind != "error" || e.ErrorType != spec.NotCompleteError {
		t.Fatalf("invocation ended with %s %s, want the error type %s", out.kind, out.body, spec.NotCompleteError)
	}
	select {
	case a := <-answers:
		t.Errorf("isComplete answered while not complete: %+v", a)
	default:
	}
}

func TestBinaryMisconfiguredAnswersFailed(t *testing.T) {
	t.Parallel()
	cfn, answers := cfnServer(t)
	out := run(t, []string{"_HANDLER=onEvent"}, event(t, cfn.URL, cfnresponse.Create, ""))
	if out.kind != "error" {
		t.Errorf("invocation ended with %s, want error", out.kind)
	}
	got := <-answers
	if got.Status != cfnresponse.Failed || !strings.Contains(got.Reason, spec.EnvOnEventFunctionARN) {
		t.Errorf("answer = %+v", got)
	}
}
