package cfnresponse

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// MaxResponseSize is the largest response body, in bytes, that CloudFormation
// accepts from a custom resource.
const MaxResponseSize = 4096

// encode renders r as compact JSON without HTML escaping (so "<" and "&" in a
// Reason cost one byte, not six).
func encode(r Response) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// Marshal renders r as the JSON body CloudFormation expects, shortened to at
// most [MaxResponseSize] bytes by the rules in the package documentation.
// logStream names where the full text can be read (a CloudWatch Logs stream);
// it appears in the truncation note. Marshal fails only if Data holds a value
// that cannot be encoded as JSON, and then it drops Data and says so rather
// than fail: the error is returned alongside a usable body.
func Marshal(r Response, logStream string) ([]byte, error) {
	body, err := encode(r)
	if err != nil {
		// Data holds something JSON cannot encode (a channel, a NaN): the
		// response must still go out.
		r.Reason = fmt.Sprintf("%s (Data dropped: %v)", r.Reason, err)
		r.Data = nil
		body, _ = encode(r) // only strings and a bool remain
		if len(body) <= MaxResponseSize {
			return body, err
		}
		b, _ := Marshal(r, logStream)
		return b, err
	}
	if len(body) <= MaxResponseSize {
		return body, nil
	}

	// 1. Shorten Reason.
	if b, ok := fitReason(r, r.Reason, logStream); ok {
		return b, nil
	}

	// 2. Drop Data keys, largest first.
	keys := make([]string, 0, len(r.Data))
	sizes := make(map[string]int, len(r.Data))
	for k, v := range r.Data {
		keys = append(keys, k)
		enc, _ := json.Marshal(v)
		sizes[k] = len(k) + len(enc)
	}
	slices.SortFunc(keys, func(a, b string) int {
		return cmp.Or(cmp.Compare(sizes[b], sizes[a]), cmp.Compare(a, b))
	})
	data := make(map[string]any, len(r.Data))
	for k, v := range r.Data {
		data[k] = v
	}
	var dropped []string
	for _, k := range keys {
		delete(data, k)
		dropped = append(dropped, k)
		sorted := slices.Clone(dropped)
		slices.Sort(sorted)
		rr := r
		rr.Data = data
		if len(data) == 0 {
			rr.Data = nil
		}
		note := fmt.Sprintf("response exceeded CloudFormation's %d-byte limit; dropped Data keys %s. ", MaxResponseSize, strings.Join(sorted, ", "))
		if b, ok := fitReason(rr, note+r.Reason, logStream); ok {
			return b, nil
		}
	}

	// 3. Last resort: the fixed fields alone are too large.
	rr := Response{
		Status:            Failed,
		StackId:           r.StackId,
		RequestId:         r.RequestId,
		LogicalResourceId: r.LogicalResourceId,
		Reason: fmt.Sprintf("response exceeds CloudFormation's %d-byte limit even without Data "+
			"(PhysicalResourceId is %d bytes); see CloudWatch log stream %s", MaxResponseSize, len(r.PhysicalResourceId), logStream),
	}
	rr.PhysicalResourceId = truncateUTF8(r.PhysicalResourceId, 1024)
	for {
		b, _ := encode(rr)
		if len(b) <= MaxResponseSize || rr.PhysicalResourceId == "" {
			return b, nil
		}
		rr.PhysicalResourceId = truncateUTF8(rr.PhysicalResourceId, len(rr.PhysicalResourceId)/2)
	}
}

// fitReason returns r encoded with the longest prefix of reason (plus a
// truncation note when shortened) that keeps the body within
// MaxResponseSize, or false if even an empty reason does not fit.
func fitReason(r Response, reason, logStream string) ([]byte, bool) {
	r.Reason = reason
	if b, _ := encode(r); len(b) <= MaxResponseSize {
		return b, true
	}
	note := "… (truncated; see CloudWatch log stream " + logStream + ")"
	if logStream == "" {
		note = "… (truncated; see the handler's CloudWatch logs)"
	}
	try := func(n int) []byte {
		r.Reason = truncateUTF8(reason, n) + note
		b, _ := encode(r)
		return b
	}
	if len(try(0)) > MaxResponseSize {
		return nil, false
	}
	// Largest n with try(n) fitting; JSON escaping makes the size
	// non-linear in n, so search instead of computing.
	lo, hi := 0, len(reason)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if len(try(mid)) <= MaxResponseSize {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return try(lo), true
}

// truncateUTF8 returns the longest prefix of s of at most n bytes that does
// not split a UTF-8 sequence.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
