package provider

import (
	"log/slog"
	"os"
	"runtime/debug"
	"strconv"
)

// EnvLambdaMemorySize is the environment variable in which Lambda gives a
// function its configured memory, in MiB.
const EnvLambdaMemorySize = "AWS_LAMBDA_FUNCTION_MEMORY_SIZE"

// MemoryLimitShare is the share of a function's configured memory that
// [SetMemoryLimit] gives the Go runtime as its soft limit: three quarters.
// The rest is for what the limit does not count and Lambda does: the
// executable's pages in memory (measured at 25 MB for the kubectl
// handler's nohelm build and 58 MB for its Helm build, which the kernel
// can reclaim under pressure, at the cost of reading them again) and the
// runtime's own overshoot while it catches up.
const MemoryLimitShare = 0.75

// MemoryLimit returns the soft memory limit in bytes that [SetMemoryLimit]
// sets for a function whose environment getenv reads: [MemoryLimitShare]
// of [EnvLambdaMemorySize] MiB. It returns 0 (no limit to set) when
// GOMEMLIMIT is set, which the Go runtime has applied already and which
// wins, or when the memory size is missing or not a positive integer
// (outside Lambda).
func MemoryLimit(getenv func(string) string) int64 {
	if getenv("GOMEMLIMIT") != "" {
		return 0
	}
	mib, err := strconv.ParseInt(getenv(EnvLambdaMemorySize), 10, 64)
	if err != nil || mib <= 0 || mib > 1<<20 {
		return 0
	}
	return int64(float64(mib<<20) * MemoryLimitShare)
}

// SetMemoryLimit sets the Go runtime's soft memory limit
// (debug.SetMemoryLimit) from the function's configured memory, as
// [MemoryLimit] derives it from the process environment, and returns it;
// 0 means it set nothing. Without a limit the garbage collector lets the
// heap grow to twice its live data whatever the function's memory, so a
// large manifest or chart could take a function over its memory (Lambda
// then ends it, and CloudFormation waits for an answer that never comes);
// with it the collector works harder as the heap nears the limit instead.
// The Lambda mains call it first thing.
func SetMemoryLimit() int64 {
	limit := MemoryLimit(os.Getenv)
	if limit > 0 {
		debug.SetMemoryLimit(limit)
		slog.Info("Go soft memory limit set from the function's memory", "limitBytes", limit, EnvLambdaMemorySize, os.Getenv(EnvLambdaMemorySize))
	}
	return limit
}
