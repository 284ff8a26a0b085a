// Command fn is a Lambda function on the bare Runtime API, for the
// package's tests: it takes one event, touches ALLOC_MB MiB of memory,
// PUTs {"Status":"SUCCESS"} to the event's ResponseURL, answers the
// runtime with the event's RequestId, and waits for the next event.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strconv"
)

var kept []byte

func main() {
	api := "http://" + os.Getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime/invocation/"
	for {
		r, err := http.Get(api + "next")
		if err != nil {
			panic(err)
		}
		var e struct{ ResponseURL, RequestId string }
		if err := json.NewDecoder(r.Body).Decode(&e); err != nil {
			panic(err)
		}
		r.Body.Close()
		mb, _ := strconv.Atoi(os.Getenv("ALLOC_MB"))
		kept = make([]byte, mb<<20)
		for i := range kept {
			kept[i] = byte(i)
		}
		req, _ := http.NewRequest(http.MethodPut, e.ResponseURL, bytes.NewReader([]byte(`{"Status":"SUCCESS"}`)))
		if _, err := http.DefaultClient.Do(req); err != nil {
			panic(err)
		}
		id := r.Header.Get("Lambda-Runtime-Aws-Request-Id")
		body := fmt.Sprintf("%q", e.RequestId)
		if _, err := http.Post(api+id+"/response", "application/json", bytes.NewReader([]byte(body))); err != nil {
			panic(err)
		}
	}
}
