package lambda

import "strings"

// Runtime is a Lambda runtime identifier, as CloudFormation's Runtime
// property takes it ("provided.al2023", "python3.13", ...). Any identifier
// Lambda knows may be used; the constants name the current ones.
type Runtime string

// Runtimes.
const (
	// RuntimeProvidedAl2023 is the OS-only runtime on Amazon Linux 2023: the
	// function is an executable named bootstrap. Go functions use it.
	RuntimeProvidedAl2023 Runtime = "provided.al2023"
	// RuntimeProvidedAl2 is the OS-only runtime on Amazon Linux 2.
	RuntimeProvidedAl2 Runtime = "provided.al2"
	// RuntimeNodejs20X is Node.js 20.
	RuntimeNodejs20X Runtime = "nodejs20.x"
	// RuntimeNodejs22X is Node.js 22.
	RuntimeNodejs22X Runtime = "nodejs22.x"
	// RuntimeNodejs24X is Node.js 24.
	RuntimeNodejs24X Runtime = "nodejs24.x"
	// RuntimePython312 is Python 3.12.
	RuntimePython312 Runtime = "python3.12"
	// RuntimePython313 is Python 3.13.
	RuntimePython313 Runtime = "python3.13"
	// RuntimePython314 is Python 3.14.
	RuntimePython314 Runtime = "python3.14"
	// RuntimeJava21 is Java 21 (Amazon Corretto).
	RuntimeJava21 Runtime = "java21"
	// RuntimeDotnet8 is .NET 8.
	RuntimeDotnet8 Runtime = "dotnet8"
	// RuntimeRuby34 is Ruby 3.4.
	RuntimeRuby34 Runtime = "ruby3.4"
)

// IsProvided reports whether r is an OS-only runtime ("provided…"), whose
// handler is an executable named bootstrap.
func (r Runtime) IsProvided() bool { return strings.HasPrefix(string(r), "provided") }

// SupportsInlineCode reports whether Lambda accepts inline code
// (Code.ZipFile) for r: Node.js and Python runtimes.
func (r Runtime) SupportsInlineCode() bool {
	return strings.HasPrefix(string(r), "nodejs") || strings.HasPrefix(string(r), "python")
}

// Architecture is the instruction set a function runs on.
type Architecture string

// Architectures.
const (
	// ArchitectureArm64 is AWS Graviton (arm64). The default for Go code.
	ArchitectureArm64 Architecture = "arm64"
	// ArchitectureX8664 is x86-64, Lambda's default for other code.
	ArchitectureX8664 Architecture = "x86_64"
)

// GOARCH is the Go architecture name of a ("arm64" or "amd64"), or "" for
// an unknown architecture.
func (a Architecture) GOARCH() string {
	switch a {
	case ArchitectureArm64:
		return "arm64"
	case ArchitectureX8664:
		return "amd64"
	}
	return ""
}

// architectureOfGOARCH maps a Go architecture name to a Lambda one.
func architectureOfGOARCH(goarch string) Architecture {
	switch goarch {
	case "arm64":
		return ArchitectureArm64
	case "amd64":
		return ArchitectureX8664
	}
	return ""
}
