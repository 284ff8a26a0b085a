package motoserver

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Query sends a request of an AWS Query API (EC2, SNS: APIs whose SDK
// clients the module does not depend on) to the endpoint of cfg, signed as
// the SDK signs for service, and returns the answer's body, error or not.
// params must hold the Action and the API's Version.
func Query(t testing.TB, cfg aws.Config, service string, params url.Values) string {
	t.Helper()
	body := params.Encode()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, aws.ToString(cfg.BaseEndpoint)+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	creds, err := cfg.Credentials.Retrieve(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(body))
	if err := v4.NewSigner().SignHTTP(t.Context(), creds, req, hex.EncodeToString(sum[:]), service, cfg.Region, time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
