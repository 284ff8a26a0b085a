package cdkcli

import (
	"slices"
	"testing"
)

func TestWithNoNotices(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{name: "adds it before the command", args: []string{"ls", "--app", "x"}, want: []string{"--no-notices", "ls", "--app", "x"}},
		{name: "adds it to --version", args: []string{"--version"}, want: []string{"--no-notices", "--version"}},
		{name: "keeps an explicit --notices", args: []string{"ls", "--notices"}, want: []string{"ls", "--notices"}},
		{name: "keeps an explicit --notices=false", args: []string{"ls", "--notices=false"}, want: []string{"ls", "--notices=false"}},
		{name: "keeps an explicit --no-notices", args: []string{"--no-notices", "ls"}, want: []string{"--no-notices", "ls"}},
		{name: "ignores --notices after --", args: []string{"ls", "--", "--notices"}, want: []string{"--no-notices", "ls", "--", "--notices"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := withNoNotices(tt.args); !slices.Equal(got, tt.want) {
				t.Errorf("withNoNotices(%q) = %q, want %q", tt.args, got, tt.want)
			}
		})
	}
}

func TestEnvTurnsOffVersionCheckAndTelemetry(t *testing.T) {
	t.Setenv("CDK_DISABLE_VERSION_CHECK", "")
	env := Env()
	for _, kv := range []string{"CDK_DISABLE_VERSION_CHECK=1", "CDK_DISABLE_CLI_TELEMETRY=true"} {
		if !slices.Contains(env, kv) {
			t.Errorf("Env() lacks %s", kv)
		}
	}
	// exec.Cmd keeps the last value of a duplicated variable: ours.
	if i, j := slices.Index(env, "CDK_DISABLE_VERSION_CHECK="), slices.Index(env, "CDK_DISABLE_VERSION_CHECK=1"); i > j {
		t.Errorf("Env() sets CDK_DISABLE_VERSION_CHECK=1 before the process's empty value")
	}
}
