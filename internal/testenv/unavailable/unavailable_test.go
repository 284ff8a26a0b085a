package unavailable_test

import (
	"runtime"
	"strings"
	"testing"

	"github.com/eksforge/eksforge/internal/testenv/unavailable"
)

func TestMessage(t *testing.T) {
	tool := unavailable.Tool{
		Source:  "motoserver",
		What:    "moto is not installed",
		Reason:  "no module named moto\nline two",
		Skipped: "Tests that need moto",
		Remedy:  "Install it with `pip install 'moto[server]'`.",
		CINeeds: "have moto installed",
	}
	dev := tool.Message(false)
	for _, want := range []string{"!!! motoserver: moto is not installed:", "!!! line two", "Tests that need moto are SKIPPED. Install it"} {
		if !strings.Contains(dev, want) {
			t.Errorf("developer message lacks %q:\n%s", want, dev)
		}
	}
	ci := tool.Message(true)
	if !strings.Contains(ci, "CI=true: this is a FAILURE, not a skip. CI must have moto installed.") || strings.Contains(ci, "SKIPPED") {
		t.Errorf("CI message:\n%s", ci)
	}
}

func TestSkipOrFail(t *testing.T) {
	tool := unavailable.Tool{Source: "x", What: "y is missing", Skipped: "Tests", Remedy: "Get y.", CINeeds: "have y"}
	for _, ci := range []string{"true", ""} {
		t.Run("CI="+ci, func(t *testing.T) {
			t.Setenv("CI", ci)
			rec := &recorder{TB: t}
			done := make(chan struct{})
			go func() { // Skip and Fatal end the goroutine with runtime.Goexit.
				defer close(done)
				unavailable.SkipOrFail(rec, tool)
			}()
			<-done
			if ci == "true" && (!rec.fatal || rec.skipped) {
				t.Errorf("CI=true: fatal=%v skipped=%v, want a failure", rec.fatal, rec.skipped)
			}
			if ci == "" && (rec.fatal || !rec.skipped) {
				t.Errorf("no CI: fatal=%v skipped=%v, want a skip", rec.fatal, rec.skipped)
			}
		})
	}
}

// recorder records Fatal and Skip instead of ending the test.
type recorder struct {
	testing.TB
	fatal, skipped bool
}

func (r *recorder) Helper()           {}
func (r *recorder) Fatal(args ...any) { r.fatal = true; runtimeGoexit() }
func (r *recorder) Skip(args ...any)  { r.skipped = true; runtimeGoexit() }

func runtimeGoexit() { runtime.Goexit() }
