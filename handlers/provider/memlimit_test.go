package provider_test

import (
	"math"
	"runtime/debug"
	"testing"

	"github.com/eksforge/eksforge/handlers/provider"
)

func TestMemoryLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		want int64
	}{
		{"the default kubectl memory", map[string]string{provider.EnvLambdaMemorySize: "256"}, 192 << 20},
		{"Lambda's smallest memory", map[string]string{provider.EnvLambdaMemorySize: "128"}, 96 << 20},
		{"Lambda's largest memory", map[string]string{provider.EnvLambdaMemorySize: "10240"}, 7680 << 20},
		{"GOMEMLIMIT wins", map[string]string{provider.EnvLambdaMemorySize: "256", "GOMEMLIMIT": "100MiB"}, 0},
		{"outside Lambda", map[string]string{}, 0},
		{"not a number", map[string]string{provider.EnvLambdaMemorySize: "256MB"}, 0},
		{"zero", map[string]string{provider.EnvLambdaMemorySize: "0"}, 0},
		{"negative", map[string]string{provider.EnvLambdaMemorySize: "-128"}, 0},
		{"absurdly large", map[string]string{provider.EnvLambdaMemorySize: "99999999999999"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := provider.MemoryLimit(func(k string) string { return tt.env[k] }); got != tt.want {
				t.Errorf("MemoryLimit(%v) = %d, want %d", tt.env, got, tt.want)
			}
		})
	}
}

// TestSetMemoryLimit changes the process's memory limit: not parallel.
func TestSetMemoryLimit(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })

	t.Setenv("GOMEMLIMIT", "")
	t.Setenv(provider.EnvLambdaMemorySize, "512")
	if got := provider.SetMemoryLimit(); got != 384<<20 {
		t.Errorf("SetMemoryLimit() = %d, want %d", got, 384<<20)
	}
	if got := debug.SetMemoryLimit(-1); got != 384<<20 {
		t.Errorf("the runtime's limit is %d after SetMemoryLimit, want %d", got, 384<<20)
	}

	debug.SetMemoryLimit(math.MaxInt64)
	t.Setenv(provider.EnvLambdaMemorySize, "")
	if got := provider.SetMemoryLimit(); got != 0 {
		t.Errorf("SetMemoryLimit() outside Lambda = %d, want 0", got)
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("the runtime's limit is %d after SetMemoryLimit outside Lambda, want it untouched", got)
	}
}
