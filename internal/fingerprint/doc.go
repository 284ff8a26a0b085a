// Package fingerprint hashes and packages asset sources the way the AWS CDK
// does, so that eksforge's asset hashes (and therefore S3 object keys and
// template contents) equal the CDK's for the same source tree.
//
// [Dir] is the CDK's fingerprint function (core/lib/fs/fingerprint.ts),
// which computes AssetHashType.SOURCE hashes: a SHA-256 over the relative
// paths and contents of the files of a tree, with CRLF line endings
// normalised in text files, symbolic links followed or recorded according to
// a [SymlinkFollowMode], and files left out by exclude patterns evaluated as
// the CDK's glob ignore strategy evaluates them (minimatch with matchBase).
// The hash does not depend on where the tree lives or on the order in which
// the file system lists directories.
//
// [Zip] and [ZipFile] write deterministic zip archives of a tree: entries
// sorted by path, a fixed 1980-01-01 timestamp, fixed modes (0644, 0755 for
// executables and directories), no extra fields and one compression level,
// so the same content always gives the same bytes and a Lambda `bootstrap`
// stays executable. The CDK leaves zipping to cdk-assets at publish time;
// nothing here has to match its bytes, only its meaning.
//
// # Differences from the CDK
//
//   - The glob (default) and docker ignore modes are implemented; the git
//     mode returns an error rather than a hash that would differ from the
//     CDK's.
//   - Glob patterns follow minimatch 10 (as bundled with aws-cdk-lib
//     2.276.0) for braces, "**", character classes (POSIX classes included),
//     escapes, "#" comments and "!" negation. Extended globs such as
//     "+(a|b)" or "!(x)" are refused with an error.
//   - Docker patterns become regular expressions as in @balena/dockerignore,
//     whose raw regular-expression syntax ("[a-z]", "(a|b)") is Go's here;
//     syntax Go does not have (look-around, back references) is an error,
//     and case folding is Go's Unicode folding rather than JavaScript's.
//   - Characters are handled as Unicode code points where JavaScript sees
//     UTF-16 units: a "?" matches one character even outside the Basic
//     Multilingual Plane, where minimatch needs two. File names that are not
//     valid UTF-8 are hashed as their bytes where Node.js would substitute
//     U+FFFD. Sorting of directory entries does follow UTF-16 order.
//   - A symbolic-link cycle that is followed is an error; the CDK would
//     recurse until the file system refused the path.
//   - The CDK caches file hashes by inode, size and mtime within a process;
//     Dir hashes every file every time.
//
// It is not for the cdk package's asset staging decisions (which hash type,
// bundling, output directories), nor for uploading: only for the bytes.
package fingerprint
