package gobuild

import (
	"fmt"
	"path/filepath"
	"sync"
	"time"
)

// progressInterval is ProgressInterval; tests shorten it.
var progressInterval = ProgressInterval

// progress reports on o.Progress that the program is being built into the
// cache entry of key, then every ProgressInterval that it still is, until
// the returned function is called with the build's error.
func (o *config) progress(key string, attempt int) func(error) {
	if o.Progress == nil {
		return func(error) {}
	}
	what := fmt.Sprintf("%s for %s/%s", o.name, o.GOOS, o.GOARCH)
	why := "not in the cache"
	if attempt > 1 {
		why = "its sources changed during the previous build"
	}
	final := filepath.Join(o.CacheDir, key)
	var mu sync.Mutex // one line at a time
	printf := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(o.Progress, "eksforge: "+format+"\n", args...)
	}
	printf("building %s (%s; cached in %s once built)", what, why, final)
	start := time.Now()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(progressInterval)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				printf("still building %s (%s)", what, elapsed(start))
			}
		}
	}()
	return func(err error) {
		close(stop)
		wg.Wait()
		if err != nil {
			printf("building %s failed after %s", what, elapsed(start))
			return
		}
		printf("built %s in %s", what, elapsed(start))
	}
}

// elapsed is the time since start, rounded for people.
func elapsed(start time.Time) time.Duration {
	d := time.Since(start)
	if d < 10*time.Second {
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Second)
}
