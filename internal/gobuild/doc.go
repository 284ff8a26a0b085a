// Package gobuild compiles Go Lambda handlers into assets for the
// provided.al2023 runtime: a directory holding one static executable named
// bootstrap, built for linux/arm64 (or linux/amd64) with CGO_ENABLED=0,
// -trimpath, -buildvcs=false and -ldflags="-s -w -buildid=", so that the same
// sources give the same bytes on any machine and in any checkout.
//
// [Build] names the result by a hash of its inputs that is computed without
// building, and keeps built binaries in a cache outside the repository
// (<cache>/<hash>/bootstrap, see [DefaultCacheDir]). A warm synthesis of an
// unchanged handler therefore costs one go list and one go env (tens of
// milliseconds), not a compile. The hash is also the asset's identity: give
// Result.Hash as cdk.FileAssetSource.SourceHash and Result.Dir as its
// FileName with zip-directory packaging.
//
// It is not a general build tool: it builds one main package for a Linux
// Lambda, without cgo, without version-control stamping and without a
// build ID, and it does not cross-compile anything that needs a C toolchain.
//
// # The hash
//
// The hash is the SHA-256 of a list of records, one per line, in this order:
//
//   - the scheme name "eksforge-gobuild/v1";
//   - the Go version (go env GOVERSION, after any toolchain switch);
//   - GOOS, GOARCH, GOEXPERIMENT, GOFIPS140, GOFLAGS (without the flags that
//     cannot change the binary once the package graph is known: -buildvcs,
//     -trimpath, -mod, -modcacherw, -modfile, -p, -v, -x, -work) and the
//     architecture's level variable (GOARM64, GOAMD64, ...), all as go env
//     reports them with [Options.Env] applied; CGO_ENABLED=0;
//   - the build tags (sorted) and the linker flags;
//   - the main package's import path and its default GODEBUG settings (which
//     come from the go and godebug lines of go.mod), and the SHA-256 of the
//     package's default.pgo profile when there is one;
//   - for every package of the build graph, as reported by
//     go list -deps (with GOOS, GOARCH, CGO_ENABLED=0 and the tags), sorted
//     by import path:
//   - a standard-library package: its import path (the Go version identifies
//     its source);
//   - a package of a module from the module cache: its import path and the
//     module's path, version and go.sum hash (h1:), of its replacement when
//     it is replaced by another module version;
//   - a package of a main (or workspace) module or of a module replaced by
//     a local directory: its import path, the module's path and go version,
//     and for each of its files that go build reads (Go, assembly, syso and
//     embedded files) the path relative to the module's root and the
//     SHA-256 of the content.
//
// No absolute path, file time, user name or host name enters the hash, so
// two checkouts of the same commit agree, on one machine or on two. The
// process environment matters only through the go env values above.
//
// Not covered: a GOROOT whose sources were modified without changing its
// version, vendored module sources edited in place (a vendored package is
// identified by its module version), overlays (-overlay in GOFLAGS is
// hashed as a flag, not by content), and sources edited while a build is
// running.
package gobuild
