package cfnresponse

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"time"
)

// MaxSendDuration bounds how long [Send] keeps retrying a response.
const MaxSendDuration = 2 * time.Minute

// Retry timing for Send; variables so tests in this package can shorten them.
var (
	firstBackoff   = 250 * time.Millisecond
	maxBackoff     = 10 * time.Second
	attemptTimeout = 30 * time.Second
)

// Send delivers resp as the answer to event: one HTTP PUT of the body made by
// [Marshal] to event.ResponseURL, with an empty Content-Type and an explicit
// Content-Length. Fields CloudFormation copies from the request are filled
// from event (see [Response.For]).
//
// Network errors and 429 or 5xx answers are retried with exponential backoff
// and jitter until the answer is accepted, ctx ends or [MaxSendDuration]
// passes; any other non-2xx answer fails at once (a pre-signed URL that has
// expired or was already used will not start working). client may be nil for
// a default client.
//
// Send logs the response's status, IDs and the names of its Data keys
// (never Data values nor the Reason) and the response URL without its query
// string, which holds the signature.
func Send(ctx context.Context, client *http.Client, event Event, resp Response) error {
	if client == nil {
		client = http.DefaultClient
	}
	resp = resp.For(event)
	logStream := LogStreamName()
	body, merr := Marshal(resp, logStream)
	if merr != nil {
		slog.WarnContext(ctx, "response Data could not be encoded and was dropped", "error", merr)
	}

	u, err := url.Parse(event.ResponseURL)
	if err != nil || u.Host == "" {
		return fmt.Errorf("unable to send the response for %s: ResponseURL is not a URL", event.LogicalResourceId)
	}
	safeURL := u.Scheme + "://" + u.Host + u.Path
	slog.InfoContext(ctx, "sending response to CloudFormation", append(resp.LogAttrs(), "url", safeURL, "bytes", len(body))...)

	ctx, cancel := context.WithTimeout(ctx, MaxSendDuration)
	defer cancel()

	backoff := firstBackoff
	for attempt := 1; ; attempt++ {
		retry, err := put(ctx, client, event.ResponseURL, body)
		if err == nil {
			slog.InfoContext(ctx, "response accepted by CloudFormation", "attempt", attempt)
			return nil
		}
		err = fmt.Errorf("unable to send the response for %s to %s (attempt %d): %w", event.LogicalResourceId, safeURL, attempt, err)
		if !retry {
			return err
		}
		slog.WarnContext(ctx, "retrying the response", "error", err)
		// Full jitter: spread retries of many handlers over the window.
		wait := time.Duration(rand.Int64N(int64(backoff))) + backoff/2
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%w; gave up: %w", err, context.Cause(ctx))
		case <-t.C:
		}
		backoff = min(backoff*2, maxBackoff)
	}
}

// put makes one attempt and reports whether a failure may be retried.
func put(ctx context.Context, client *http.Client, rawURL string, body []byte) (retry bool, err error) {
	actx, cancel := context.WithTimeout(ctx, attemptTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodPut, rawURL, bytes.NewReader(body))
	if err != nil {
		return false, err
	}
	// The URL is signed without a content type; S3 compares what is sent.
	req.Header["Content-Type"] = []string{""}
	req.ContentLength = int64(len(body))
	res, err := client.Do(req)
	if err != nil {
		// Strip *url.Error: its message repeats the full URL, signature
		// included.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return ctx.Err() == nil, err
	}
	defer res.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(res.Body, 1024))
	if res.StatusCode >= 200 && res.StatusCode < 300 {
		return false, nil
	}
	err = fmt.Errorf("HTTP %d: %s", res.StatusCode, bytes.TrimSpace(msg))
	return res.StatusCode == http.StatusTooManyRequests || res.StatusCode >= 500, err
}

// LogStreamName names where this process's logs go, for pointing readers of
// a truncated Reason to the full text: "<log stream> (log group <group>)"
// from the Lambda environment, or "" outside Lambda.
func LogStreamName() string {
	group, stream := os.Getenv("AWS_LAMBDA_LOG_GROUP_NAME"), os.Getenv("AWS_LAMBDA_LOG_STREAM_NAME")
	if group != "" && stream != "" {
		return stream + " (log group " + group + ")"
	}
	return stream
}
