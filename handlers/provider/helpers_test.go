package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/aws/aws-sdk-go-v2/aws"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
)

// cloudFormation stands in for CloudFormation's side of the contract: a real
// HTTP server at the pre-signed response URL, recording every answer.
type cloudFormation struct {
	srv     *httptest.Server
	mu      sync.Mutex
	answers []answer
}

type answer struct {
	path  string
	raw   []byte
	resp  cfnresponse.Response
	ctype []string
}

func newCloudFormation(t *testing.T) *cloudFormation {
	t.Helper()
	cf := &cloudFormation{}
	cf.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPut {
			http.Error(w, "only PUT", http.StatusMethodNotAllowed)
			return
		}
		body, _ := io.ReadAll(r.Body)
		var resp cfnresponse.Response
		if err := json.Unmarshal(body, &resp); err != nil {
			http.Error(w, "bad JSON", http.StatusBadRequest)
			return
		}
		cf.mu.Lock()
		cf.answers = append(cf.answers, answer{r.URL.Path, body, resp, r.Header["Content-Type"]})
		cf.mu.Unlock()
	}))
	t.Cleanup(cf.srv.Close)
	return cf
}

// event returns a request of the given type whose answer goes to cf under a
// path named after the request ID.
func (cf *cloudFormation) event(rt cfnresponse.RequestType, requestID, physicalID string, props map[string]any) Event {
	e := Event{
		RequestType:        rt,
		ServiceToken:       "arn:aws:lambda:us-east-1:123456789012:function:provider-framework-onEvent",
		ResponseURL:        cf.srv.URL + "/responses/" + requestID + "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc",
		StackId:            "arn:aws:cloudformation:us-east-1:123456789012:stack/app/5b7a0c50-1a2b-11f0-9c3e-0a1b2c3d4e5f",
		RequestId:          requestID,
		ResourceType:       "Custom::Thing",
		LogicalResourceId:  "Thing",
		PhysicalResourceId: physicalID,
		ResourceProperties: props,
	}
	if rt == cfnresponse.Update {
		e.OldResourceProperties = map[string]any{"Size": "1"}
	}
	return e
}

// only returns the single answer for requestID, failing the test if there is
// not exactly one.
func (cf *cloudFormation) only(t *testing.T, requestID string) cfnresponse.Response {
	t.Helper()
	cf.mu.Lock()
	defer cf.mu.Unlock()
	var got []answer
	for _, a := range cf.answers {
		if a.path == "/responses/"+requestID {
			got = append(got, a)
		}
	}
	if len(got) != 1 {
		t.Fatalf("CloudFormation got %d answers for %s, want 1", len(got), requestID)
	}
	a := got[0]
	if len(a.raw) > cfnresponse.MaxResponseSize {
		t.Errorf("answer is %d bytes, over CloudFormation's limit", len(a.raw))
	}
	if len(a.ctype) != 1 || a.ctype[0] != "" {
		t.Errorf("Content-Type = %q, want empty", a.ctype)
	}
	if a.resp.RequestId != requestID || a.resp.LogicalResourceId != "Thing" || !strings.HasPrefix(a.resp.StackId, "arn:aws:cloudformation:") {
		t.Errorf("answer identity fields wrong: %+v", a.resp)
	}
	if a.resp.PhysicalResourceId == "" {
		t.Errorf("answer has no PhysicalResourceId")
	}
	return a.resp
}

// none fails the test if requestID was answered.
func (cf *cloudFormation) none(t *testing.T, requestID string) {
	t.Helper()
	cf.mu.Lock()
	defer cf.mu.Unlock()
	for _, a := range cf.answers {
		if a.path == "/responses/"+requestID {
			t.Fatalf("CloudFormation got an answer for %s: %+v", requestID, a.resp)
		}
	}
}

// lambdaService runs user functions in process behind the Lambda Invoke API
// shape: our own Go handlers, called as the framework calls any user
// function, JSON in and JSON (or an error payload) out.
type lambdaService struct {
	mu    sync.Mutex
	fns   map[string]func(ctx context.Context, payload []byte) (any, error)
	calls map[string]int
}

func newLambdaService() *lambdaService {
	return &lambdaService{fns: map[string]func(context.Context, []byte) (any, error){}, calls: map[string]int{}}
}

func (l *lambdaService) addOnEvent(arn string, h Handler) {
	l.fns[arn] = func(ctx context.Context, payload []byte) (any, error) {
		var e Event
		if err := json.Unmarshal(payload, &e); err != nil {
			return nil, err
		}
		return h.OnEvent(ctx, e)
	}
}

func (l *lambdaService) addIsComplete(arn string, h IsCompleteHandler) {
	l.fns[arn] = func(ctx context.Context, payload []byte) (any, error) {
		var r IsCompleteRequest
		if err := json.Unmarshal(payload, &r); err != nil {
			return nil, err
		}
		return h.IsComplete(ctx, r)
	}
}

func (l *lambdaService) count(arn string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.calls[arn]
}

// Invoke behaves like the Lambda API for a synchronous invocation: a handler
// error is a 200 with FunctionError "Unhandled" and the runtime's error
// payload; a panic is reported the same way, as the Go runtime does.
func (l *lambdaService) Invoke(ctx context.Context, in *awslambda.InvokeInput, _ ...func(*awslambda.Options)) (out *awslambda.InvokeOutput, err error) {
	name := aws.ToString(in.FunctionName)
	fn, ok := l.fns[name]
	if !ok {
		return nil, fmt.Errorf("ResourceNotFoundException: Function not found: %s", name)
	}
	l.mu.Lock()
	l.calls[name]++
	l.mu.Unlock()
	fail := func(typ, msg string) (*awslambda.InvokeOutput, error) {
		b, _ := json.Marshal(map[string]any{"errorType": typ, "errorMessage": msg})
		return &awslambda.InvokeOutput{StatusCode: 200, FunctionError: aws.String("Unhandled"), Payload: b}, nil
	}
	defer func() {
		if v := recover(); v != nil {
			out, err = fail("Runtime.ExitError", fmt.Sprint(v))
		}
	}()
	res, ferr := fn(ctx, in.Payload)
	if ferr != nil {
		return fail(errorType(ferr), ferr.Error())
	}
	b, err := json.Marshal(res)
	if err != nil {
		return nil, err
	}
	return &awslambda.InvokeOutput{StatusCode: 200, Payload: b}, nil
}

// errorType names an error as aws-lambda-go does in a function's error
// payload.
func errorType(err error) string {
	if ive, ok := err.(messages.InvokeResponse_Error); ok {
		return ive.Type
	}
	t := reflect.TypeOf(err)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name()
}

// executions records waiter executions instead of starting them.
type executions struct {
	mu      sync.Mutex
	started []*sfn.StartExecutionInput
	names   map[string]string // name -> input
}

func (x *executions) StartExecution(_ context.Context, in *sfn.StartExecutionInput, _ ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.names == nil {
		x.names = map[string]string{}
	}
	if prev, ok := x.names[aws.ToString(in.Name)]; ok && prev != aws.ToString(in.Input) {
		return nil, &sfntypes.ExecutionAlreadyExists{Message: aws.String("Execution Already Exists: '" + aws.ToString(in.Name) + "'")}
	}
	x.names[aws.ToString(in.Name)] = aws.ToString(in.Input)
	x.started = append(x.started, in)
	arn := aws.ToString(in.StateMachineArn) + ":" + aws.ToString(in.Name)
	return &sfn.StartExecutionOutput{ExecutionArn: aws.String(arn)}, nil
}

func (x *executions) last(t *testing.T) string {
	t.Helper()
	x.mu.Lock()
	defer x.mu.Unlock()
	if len(x.started) == 0 {
		t.Fatal("no waiter was started")
	}
	return aws.ToString(x.started[len(x.started)-1].Input)
}

// parameters keeps Parameter Store parameters in memory.
type parameters struct {
	mu     sync.Mutex
	values map[string]string
	puts   int
}

func (p *parameters) PutParameter(_ context.Context, in *ssm.PutParameterInput, _ ...func(*ssm.Options)) (*ssm.PutParameterOutput, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.values == nil {
		p.values = map[string]string{}
	}
	name := aws.ToString(in.Name)
	if _, ok := p.values[name]; ok && !aws.ToBool(in.Overwrite) {
		return nil, &ssmtypes.ParameterAlreadyExists{Message: aws.String(name)}
	}
	if !strings.HasPrefix(name, "/") {
		return nil, &ssmtypes.ValidationException{Message: aws.String("a fully qualified parameter name must begin with a forward slash")}
	}
	p.values[name] = aws.ToString(in.Value)
	p.puts++
	return &ssm.PutParameterOutput{Version: 1}, nil
}

func (p *parameters) GetParameter(_ context.Context, in *ssm.GetParameterInput, _ ...func(*ssm.Options)) (*ssm.GetParameterOutput, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	v, ok := p.values[aws.ToString(in.Name)]
	if !ok {
		return nil, &ssmtypes.ParameterNotFound{Message: in.Name}
	}
	return &ssm.GetParameterOutput{Parameter: &ssmtypes.Parameter{Name: in.Name, Value: aws.String(v)}}, nil
}

func (p *parameters) DeleteParameter(_ context.Context, in *ssm.DeleteParameterInput, _ ...func(*ssm.Options)) (*ssm.DeleteParameterOutput, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.values[aws.ToString(in.Name)]; !ok {
		return nil, &ssmtypes.ParameterNotFound{Message: in.Name}
	}
	delete(p.values, aws.ToString(in.Name))
	return &ssm.DeleteParameterOutput{}, nil
}

func (p *parameters) len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.values)
}
