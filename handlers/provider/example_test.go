package provider_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/provider"
)

// configMaps is a resource handler of our own: it implements provider.Handler
// directly, in Go.
type configMaps struct{}

func (configMaps) OnEvent(_ context.Context, e provider.Event) (provider.OnEventResult, error) {
	name, _ := e.ResourceProperties["Name"].(string) // scalars arrive as strings
	switch e.RequestType {
	case cfnresponse.Create, cfnresponse.Update:
		// ... apply the object, idempotently ...
		return provider.OnEventResult{PhysicalResourceId: "default/" + name, Data: map[string]any{"Name": name}}, nil
	default:
		// ... delete it, treating "not found" as done ...
		return provider.OnEventResult{}, nil
	}
}

// A single Lambda function that is its own service token: the kubectl
// handler's shape. Its main is just provider.Serve(configMaps{}).
func ExampleServe() {
	provider.Serve(configMaps{})
}

// InProcess is what Serve runs: here it answers a Create to a local stand-in
// for CloudFormation's pre-signed response URL.
func ExampleInProcess() {
	cfn := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		fmt.Printf("%s %q\n%s\n", r.Method, r.Header.Get("Content-Type"), body)
	}))
	defer cfn.Close()

	handle := provider.InProcess(configMaps{}, provider.Options{})
	err := handle(context.Background(), provider.Event{
		RequestType:        cfnresponse.Create,
		ResponseURL:        cfn.URL + "/response?X-Amz-Signature=abc",
		StackId:            "arn:aws:cloudformation:us-east-1:123456789012:stack/app/1",
		RequestId:          "b3c1f0e2",
		ResourceType:       "Custom::ConfigMap",
		LogicalResourceId:  "Settings",
		ResourceProperties: map[string]any{"Name": "settings", "Replicas": "3"},
	})
	fmt.Println(err)
	// Output:
	// PUT ""
	// {"Status":"SUCCESS","Reason":"SUCCESS","PhysicalResourceId":"default/settings","StackId":"arn:aws:cloudformation:us-east-1:123456789012:stack/app/1","RequestId":"b3c1f0e2","LogicalResourceId":"Settings","Data":{"Name":"settings"}}
	// <nil>
}
