package gobuild

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// lockKey takes an exclusive advisory lock (flock) for building key into
// cacheDir, waiting while another process builds the same key, and returns
// the function that releases it. The lock file lives in the system's
// temporary directory, named after the cache and the key, so the cache holds
// builds only; the lock dies with its process, so a killed builder never
// blocks the next one.
func lockKey(ctx context.Context, cacheDir, key string) (func(), error) {
	dir := filepath.Join(os.TempDir(), "eksforge-gobuild-locks")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(cacheDir)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(abs))
	f, err := os.OpenFile(filepath.Join(dir, hex.EncodeToString(sum[:8])+"-"+key[:16]), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() {
				_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
				f.Close()
			}, nil
		}
		if err != syscall.EWOULDBLOCK {
			f.Close()
			return nil, fmt.Errorf("unable to lock the build of %s: %w", key[:16], err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}
