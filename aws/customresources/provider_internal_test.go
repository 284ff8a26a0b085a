package customresources

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFrameworkBuildDirIsTheModuleRoot(t *testing.T) {
	t.Parallel()
	dir := frameworkBuildDir()
	if _, err := os.Stat(filepath.Join(dir, "handlers", "provider", "cmd", "framework", "main.go")); err != nil {
		t.Errorf("frameworkBuildDir() = %q, which holds no framework sources: %v", dir, err)
	}
	if isEksforgeRoot(t.TempDir()) || isEksforgeRoot("") {
		t.Error("isEksforgeRoot accepts a directory without eksforge's go.mod")
	}
}
