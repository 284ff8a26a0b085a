package apply

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"syscall"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

// retry runs f until it succeeds, fails with an error that is not
// transient, RetryFor passes or ctx ends. The pause grows from 200 ms to 5 s.
func (c *Client) retry(ctx context.Context, f func() error) error {
	deadline := time.Now().Add(c.retryFor())
	pause := 200 * time.Millisecond
	for {
		err := f()
		if err == nil || !Transient(err) || time.Now().Add(pause).After(deadline) || ctx.Err() != nil {
			return err
		}
		slog.Debug("retrying after a transient error", "error", err)
		if serr := sleep(ctx, pause); serr != nil {
			return err
		}
		pause = min(pause*2, 5*time.Second)
	}
}

// Transient reports whether err is worth retrying: the API server could not
// be reached or dropped the connection, answered 429, 503 or 504, or timed
// out. A 500 is not retried: the API server reports some invalid objects
// (an unknown field under strict validation) that way.
func Transient(err error) bool {
	if err == nil {
		return false
	}
	if apierrors.IsTooManyRequests(err) || apierrors.IsServiceUnavailable(err) || apierrors.IsServerTimeout(err) ||
		apierrors.IsTimeout(err) {
		return true
	}
	if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	s := err.Error()
	for _, m := range []string{"connection refused", "connection reset", "http2: client connection lost",
		"http2: server sent GOAWAY", "EOF", "TLS handshake timeout", "i/o timeout", "broken pipe",
		"the server is currently unable to handle the request", "etcdserver: leader changed",
		"the server was unable to return a response in the time allotted"} {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}

// Retry runs f again on transient errors, as every call of the Client does
// (see [Transient] and [Client.RetryFor]).
func (c *Client) Retry(ctx context.Context, f func() error) error { return c.retry(ctx, f) }
