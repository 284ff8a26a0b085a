// Package gobuild compiles Go Lambda handlers into assets for the
// provided.al2023 runtime: a directory holding one static executable named
// bootstrap, built for linux/arm64 (or linux/amd64) with CGO_ENABLED=0,
// -trimpath, -buildvcs=false and -ldflags="-s -w -buildid=", so that the same
// sources give the same bytes on any machine and in any checkout.
//
// [Build] names the result by a hash of its inputs that is computed without
// building ([Hash]), and keeps built binaries in a cache outside the
// repository (<cache>/<hash>/bootstrap, see [DefaultCacheDir]), with their
// zips beside them (<cache>/zips/<hash>.zip, [Zip]), so an unchanged
// handler is compiled once per machine. The hash is also the asset's
// identity: synthesis takes [Hash] as cdk.FileAssetSource.SourceHash and
// gives [Command] as its Executable, the command (go run of
// cmd/eksforge-asset, [BuildZip]) that the deploy tool runs to build and
// zip the handler when it publishes the asset. [Options.Progress] reports
// a build that runs: what, why, where it is cached, and its elapsed time
// every [ProgressInterval].
//
// It is not a general build tool: it builds one main package for a Linux
// Lambda, without cgo, without version-control stamping and without a
// build ID, and it does not cross-compile anything that needs a C toolchain.
//
// # The hash
//
// Computing the hash never compiles, and for most builds it does not run go
// list either, so it needs none of the handler's modules on disk: only go
// env runs (about 10 ms), then the main module's own packages are read
// with go/build. That is the hash "without go list", below; the hash "with
// go list" is the fallback for the builds it does not cover.
//
// # Without go list
//
// When the main package belongs to the module whose go.mod the go command
// uses in Options.Dir (go env GOMOD), that go.mod replaces no module by a
// directory, no workspace is in use (GOWORK) and GOFLAGS has no -modfile
// or -overlay, every module other than the main one is fixed by the main
// module's go.mod (which versions are selected) and go.sum (their content
// hashes): go build -mod=readonly cannot use anything else. The hash is
// then the SHA-256 of these records:
//
//   - the scheme name "eksforge-gobuild/v2-gosum";
//   - the Go version, target and flags exactly as below (go env);
//   - the main package's import path;
//   - the SHA-256 of go.mod, of go.sum and of vendor/modules.txt (the last
//     two when present), and of the main package's default.pgo;
//   - for every package of the main module that the main package imports,
//     directly or not, as go/build selects its files for GOOS, GOARCH, the
//     tags, CGO_ENABLED=0 and the Go version's release tags: its import
//     path and, per file go build reads (Go, assembly, syso and the files
//     its //go:embed patterns name), the path relative to the module root
//     and the SHA-256 of the content, sorted by import path.
//
// Packages of the standard library and of other modules are not read:
// the Go version and go.sum identify them. The price of not listing them
// is that any change to go.mod or go.sum changes the hash, including one
// that does not concern the handler; the go build cache makes the rebuild
// that follows a relink. Build and the publish-time command compute the
// same hash, so synthesis and publishing agree.
//
// # With go list
//
// Otherwise (a workspace, a directory replacement, a package of another
// module) the hash is the SHA-256 of a list of records, one per line, in
// this order:
//
//   - the scheme name "eksforge-gobuild/v1";
//   - the Go version (go env GOVERSION, after any toolchain switch);
//   - GOOS, GOARCH, GOEXPERIMENT, GOFIPS140, GOFLAGS (without the flags that
//     cannot change the binary once the package graph is known: -buildvcs,
//     -trimpath, -mod, -modcacherw, -modfile, -p, -v, -x, -work) and the
//     architecture's level variable (GOARM64, GOAMD64, ...), all as go env
//     reports them with [Options.Env] applied; CGO_ENABLED=0;
//   - the build tags (sorted) and the linker flags, then the compiler
//     flags in their order when there are any ([Options.GCFlags]; a build
//     without them has no such record);
//   - the main package's import path and its default GODEBUG settings (which
//     come from the go and godebug lines of go.mod), and the SHA-256 of the
//     package's default.pgo profile when there is one;
//   - one record for every package of the build graph, as go list -deps
//     reports it with GOOS, GOARCH, CGO_ENABLED=0 and the tags, sorted by
//     import path (below).
//
// A standard-library package is recorded by its import path: the Go version
// identifies its source. A package of a module from the module cache is
// recorded by its import path and the module's path, version and go.sum hash
// (h1:) (those of the replacement when the module is replaced by another
// module version). A package of a main (or workspace) module, or of a module
// replaced by a local directory, is recorded by its import path, the
// module's path and go version, and then, for each file of the package that
// go build reads (Go, assembly, syso and embedded files), the path relative
// to the module's root and the SHA-256 of the content. Each record is a kind
// followed by its Go-quoted fields, so no field runs into the next.
//
// No absolute path, file time, user name or host name enters the hash, so
// two checkouts of the same commit agree, on one machine or on two, as long
// as they use the same Go release (a toolchain line in go.mod pins it). The
// process environment matters only through the go env values above.
//
// Not covered: a GOROOT whose sources were modified without changing its
// version, vendored module sources edited in place (a vendored package is
// identified by its module version), overlays (-overlay in GOFLAGS is
// hashed as a flag, not by content), and sources edited while a build is
// running.
//
// # The cache
//
// A binary is built into a temporary directory in the cache and renamed to
// <cache>/<hash>, so the directory of a hash appears complete or not at all;
// builders that race for one hash, in one process or several, all succeed
// and share the first rename's output. Nothing is evicted: remove the cache
// directory to reclaim its space.
//
// # Stamps
//
// Computing the hash runs go env (and go list for the fallback): 30 to 100
// ms for the kubectl handler without go list, 1.2 to 1.5 s with it on a
// loaded 2-core machine (about 600 packages). Hash therefore keeps a stamp per options
// and environment in <cache>/stamps: the hash together with the size,
// modification time and mode of every path whose change could change it
// (the local packages' directories and files, including ignored ones, the
// directories under embed patterns, go.mod, go.sum and go.work files, the go
// command and GOROOT). While all of them are unchanged the stamp is the
// answer, in about 50 µs. A stamp is not written when one of those paths was
// modified within two seconds of hashing, where a later edit might keep the
// same size and time. Module-cache packages are read-only and identified by
// version, so they are not watched.
package gobuild
