package cli_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/eksforge/eksforge/internal/testenv/motoserver"
)

// resourceDrift is one resource's drift as DescribeStackResourceDrifts
// reports it.
type resourceDrift struct {
	LogicalResourceId        string
	PhysicalResourceId       string
	ResourceType             string
	StackResourceDriftStatus string // MODIFIED, DELETED, IN_SYNC, NOT_CHECKED
	PropertyDifferences      []propertyDifference
}

type propertyDifference struct {
	PropertyPath, ExpectedValue, ActualValue, DifferenceType string
}

// cfnDrift serves the CloudFormation drift detection calls moto does not
// implement — DetectStackDrift, DescribeStackDriftDetectionStatus and
// DescribeStackResourceDrifts — in the query protocol's wire shapes that
// aws-sdk-go-v2 reads (form-encoded POST, XML answers in the 2010-05-15
// namespace, lists as <member> elements, NextToken pages), and passes every
// other request (CloudFormation stacks, STS, S3) to moto.
//
// A detection is in progress for the first status call and complete (or
// failed, with failReason) afterwards; drifts are served one per page.
type cfnDrift struct {
	drifts     []resourceDrift
	failReason string

	mu       sync.Mutex
	polls    int
	detected []string          // the stack names detection was started for
	filters  map[string]string // the last StackResourceDriftStatusFilters asked
}

func (c *cfnDrift) start(t *testing.T, moto *motoserver.Server) string {
	t.Helper()
	target, err := url.Parse(moto.Endpoint())
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		if r.Method != http.MethodPost || r.URL.Path != "/" || form.Get("Version") != "2010-05-15" {
			proxy.ServeHTTP(w, r)
			return
		}
		switch form.Get("Action") {
		case "DetectStackDrift":
			c.mu.Lock()
			c.detected = append(c.detected, form.Get("StackName"))
			c.mu.Unlock()
			c.reply(w, "DetectStackDrift", "<StackDriftDetectionId>b78ac9b0-dec1-11e7-a451-503a3example</StackDriftDetectionId>")
		case "DescribeStackDriftDetectionStatus":
			c.mu.Lock()
			c.polls++
			first := c.polls == 1
			c.mu.Unlock()
			status, stackStatus, reason := "DETECTION_COMPLETE", "DRIFTED", ""
			switch {
			case first:
				status, stackStatus = "DETECTION_IN_PROGRESS", "UNKNOWN"
			case c.failReason != "":
				status, reason = "DETECTION_FAILED", "<DetectionStatusReason>"+xmlText(c.failReason)+"</DetectionStatusReason>"
			case len(c.drifts) == 0:
				stackStatus = "IN_SYNC"
			}
			c.reply(w, "DescribeStackDriftDetectionStatus", fmt.Sprintf(
				"<StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/%[1]s/1</StackId><StackDriftDetectionId>%[2]s</StackDriftDetectionId>"+
					"<StackDriftStatus>%[3]s</StackDriftStatus><DetectionStatus>%[4]s</DetectionStatus>%[5]s"+
					"<DriftedStackResourceCount>%[6]d</DriftedStackResourceCount><Timestamp>2026-12-05T20:00:00.000Z</Timestamp>",
				"stack", form.Get("StackDriftDetectionId"), stackStatus, status, reason, len(c.drifts)))
		case "DescribeStackResourceDrifts":
			c.mu.Lock()
			c.filters = map[string]string{}
			for k, v := range form {
				if strings.HasPrefix(k, "StackResourceDriftStatusFilters.member.") {
					c.filters[v[0]] = k
				}
			}
			c.mu.Unlock()
			var page []resourceDrift
			for _, d := range c.drifts {
				if _, ok := c.filters[d.StackResourceDriftStatus]; ok || len(c.filters) == 0 {
					page = append(page, d)
				}
			}
			i, _ := strconv.Atoi(form.Get("NextToken"))
			next := ""
			if i+1 < len(page) {
				next = "<NextToken>" + strconv.Itoa(i+1) + "</NextToken>"
			}
			items := ""
			if i < len(page) {
				d := page[i]
				var diffs strings.Builder
				for _, p := range d.PropertyDifferences {
					fmt.Fprintf(&diffs, "<member><PropertyPath>%s</PropertyPath><ExpectedValue>%s</ExpectedValue><ActualValue>%s</ActualValue><DifferenceType>%s</DifferenceType></member>",
						xmlText(p.PropertyPath), xmlText(p.ExpectedValue), xmlText(p.ActualValue), p.DifferenceType)
				}
				items = fmt.Sprintf("<member><StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/%s/1</StackId><LogicalResourceId>%s</LogicalResourceId>"+
					"<PhysicalResourceId>%s</PhysicalResourceId><ResourceType>%s</ResourceType><ExpectedProperties>{}</ExpectedProperties><ActualProperties>{}</ActualProperties>"+
					"<PropertyDifferences>%s</PropertyDifferences><StackResourceDriftStatus>%s</StackResourceDriftStatus><Timestamp>2026-12-05T20:00:00.000Z</Timestamp></member>",
					xmlText(form.Get("StackName")), d.LogicalResourceId, d.PhysicalResourceId, d.ResourceType, diffs.String(), d.StackResourceDriftStatus)
			}
			c.reply(w, "DescribeStackResourceDrifts", "<StackResourceDrifts>"+items+"</StackResourceDrifts>"+next)
		default:
			proxy.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func (c *cfnDrift) reply(w http.ResponseWriter, action, result string) {
	w.Header().Set("Content-Type", "text/xml")
	fmt.Fprintf(w, `<%[1]sResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><%[1]sResult>%[2]s</%[1]sResult><ResponseMetadata><RequestId>4af14eec-350e-11e4-b260-EXAMPLE</RequestId></ResponseMetadata></%[1]sResponse>`, action, result)
}

func xmlText(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// logicalIDOf returns the logical ID of the template's only resource of
// type typ.
func logicalIDOf(t *testing.T, asm, stack, typ string) string {
	t.Helper()
	tmpl := readTemplate(t, asm, stack)
	var ids []string
	for id, r := range tmpl["Resources"].(map[string]any) {
		if r.(map[string]any)["Type"] == typ {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	if len(ids) != 1 {
		t.Fatalf("%s has %d resources of type %s", stack, len(ids), typ)
	}
	return ids[0]
}

// TestDriftCloudFormation deploys a stack to moto and reads CloudFormation
// drift detection from cfnDrift: a security group rule changed by hand and
// a role deleted are drift, with the property that differs; the poll waits
// for the detection to complete; only MODIFIED and DELETED resources are
// asked for; every page is read. A detection that fails is a note, not
// drift.
func TestDriftCloudFormation(t *testing.T) {
	t.Parallel()
	moto, _, newRunner := bootstrapped(t, motoserver.Region)
	n := network{stack: "DriftCfn", name: unique("DriftCfn"), asset: "cfn", https: true}
	asm := synth(t, n.build)
	res := run(t, newRunner(), "deploy", "--app", asm, "--endpoint-url="+moto.Endpoint(), "--require-approval", "never")
	res.expect(t, 0, "stderr", "CREATE_COMPLETE")
	sg := logicalIDOf(t, asm, "DriftCfn", "AWS::EC2::SecurityGroup")
	role := logicalIDOf(t, asm, "DriftCfn", "AWS::IAM::Role")

	fake := &cfnDrift{drifts: []resourceDrift{
		{LogicalResourceId: sg, PhysicalResourceId: "sg-0123", ResourceType: "AWS::EC2::SecurityGroup", StackResourceDriftStatus: "MODIFIED",
			PropertyDifferences: []propertyDifference{{PropertyPath: "/SecurityGroupIngress/0/CidrIp", ExpectedValue: "10.0.0.0/16", ActualValue: "0.0.0.0/0", DifferenceType: "NOT_EQUAL"}}},
		{LogicalResourceId: role, PhysicalResourceId: "role-1", ResourceType: "AWS::IAM::Role", StackResourceDriftStatus: "DELETED"},
	}}
	ep := fake.start(t, moto)
	res = run(t, newRunner(), "drift", "--app", asm, "--endpoint-url", ep, "--fail")
	res.expect(t, 1, "stdout",
		"Stack DriftCfn\n",
		"  [-] AWS::IAM::Role "+role+" (DriftCfn/Role): deleted outside CloudFormation\n",
		"  [~] AWS::EC2::SecurityGroup "+sg+" (DriftCfn/SecurityGroup): modified outside CloudFormation\n        not_equal /SecurityGroupIngress/0/CidrIp: 10.0.0.0/16 -> 0.0.0.0/0\n",
		"Number of stacks with drift: 1")
	if strings.Contains(res.stdout, "note: CloudFormation drift detection") {
		t.Errorf("drift detection is reported as unavailable")
	}
	fake.mu.Lock()
	if fake.polls < 2 || len(fake.detected) != 1 || fake.detected[0] != n.name {
		t.Errorf("detection started for %v and polled %d times, want once for %s and until complete", fake.detected, fake.polls, n.name)
	}
	if len(fake.filters) != 2 || fake.filters["MODIFIED"] == "" || fake.filters["DELETED"] == "" {
		t.Errorf("asked for drifts %v, want MODIFIED and DELETED", fake.filters)
	}
	fake.mu.Unlock()

	// No drift: exit 0 with --fail.
	clean := &cfnDrift{}
	res = run(t, newRunner(), "drift", "--app", asm, "--endpoint-url", clean.start(t, moto), "--fail")
	res.expect(t, 0, "stdout", "Stack DriftCfn\n  No drift\n", "Number of stacks with drift: 0")

	// A detection that fails (a resource type drift detection does not
	// support, say) is a note.
	failing := &cfnDrift{failReason: "Failed to detect drift on resource [Custom]: unsupported"}
	res = run(t, newRunner(), "drift", "--app", asm, "--endpoint-url", failing.start(t, moto), "--fail")
	res.expect(t, 0, "stdout", "  note: CloudFormation drift detection did not check every resource: Failed to detect drift on resource [Custom]: unsupported\n", "  No drift\n")
}

func readTemplate(t *testing.T, asm, stack string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(asm, stack+".template.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}
