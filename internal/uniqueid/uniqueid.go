package uniqueid

import (
	"crypto/md5"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

const (
	// hiddenID is the construct id that is dropped from every calculation
	// ("Default" children stand in for their parent).
	hiddenID = "Default"
	// hiddenFromHumanID is the construct id that is left out of the
	// human-readable part of a name but still goes into its hash.
	hiddenFromHumanID = "Resource"

	pathSep     = "/"
	hashLen     = 8
	maxHumanLen = 240 // the CDK's MAX_HUMAN_LEN: a logical ID is at most 255 characters
	maxIDLen    = 255

	// anyTokenMarker is in every encoded string or list token (the CDK's
	// ANY_TOKEN_MARKER).
	anyTokenMarker = "Token["

	defaultMaxResourceNameLen = 256
)

// ErrNoComponents is returned by [MakeUniqueID] when no component is left
// once the "Default" components are dropped.
var ErrNoComponents = errors.New("unable to calculate a unique id for an empty set of components")

// MakeUniqueID returns the logical ID the AWS CDK gives to an element whose
// construct path (below its stack) is components, e.g. ["Cluster", "Role",
// "Resource"] gives "ClusterRoleFA261979".
//
// Components equal to "Default" are dropped first. If a single component is
// left and its alphanumeric characters number at most 255, they are the ID
// (so a top-level "LaunchTemplate" keeps its name). Otherwise the ID is the
// human part — the components without consecutive duplicates (a component
// the previous one ends with) and without "Resource", stripped to
// [A-Za-z0-9], concatenated and cut to 240 characters — followed by the first
// 8 upper-case hex digits of the MD5 of the components joined by "/".
//
// It returns [ErrNoComponents] when nothing is left, and an error naming the
// offending components when any contains an encoded token such as
// "${Token[TOKEN.12]}", recognised as the CDK recognises one.
func MakeUniqueID(components []string) (string, error) {
	components = withoutHidden(components)
	if len(components) == 0 {
		return "", ErrNoComponents
	}
	var unresolved []string
	for _, c := range components {
		if isUnresolved(c) {
			unresolved = append(unresolved, c)
		}
	}
	if len(unresolved) > 0 {
		return "", fmt.Errorf("ID components may not include unresolved tokens: %s", strings.Join(unresolved, ","))
	}

	if len(components) == 1 {
		if candidate := removeNonAlphanumeric(components[0]); len(candidate) <= maxIDLen {
			return candidate, nil
		}
	}

	var human strings.Builder
	for _, c := range removeDupes(components) {
		if c == hiddenFromHumanID {
			continue
		}
		human.WriteString(removeNonAlphanumeric(c))
	}
	h := human.String()
	// Only ASCII letters and digits are left, so bytes are characters.
	if len(h) > maxHumanLen {
		h = h[:maxHumanLen]
	}
	return h + pathHash(components), nil
}

// ResourceNameOptions tunes [MakeUniqueResourceName]; its zero value is the
// CDK's default.
type ResourceNameOptions struct {
	// MaxLength is the longest name to return, in characters.
	// Default: 256.
	MaxLength int

	// Separator goes between the kept path components, and after the last
	// of them when a hash follows.
	// Default: none.
	Separator string

	// AllowedSpecialCharacters are the characters besides [A-Za-z0-9] that
	// survive in the name. As in the CDK the string is placed inside a
	// regular-expression character class, so "-" between two characters
	// denotes a range; put "-" first or last to mean itself.
	// Default: none, only letters and digits are kept.
	AllowedSpecialCharacters string

	// Prefix is put in front of the name, and counts towards MaxLength.
	// Default: none.
	Prefix string
}

// MakeUniqueResourceName returns a physical name for the construct at the
// given path, as the AWS CDK's Names.uniqueResourceName does: "Default"
// components dropped; a single component (with the prefix) kept as it is when
// short enough; otherwise the prefix, the components without duplicates,
// "Resource" and disallowed characters, each followed by the separator, with
// the middle cut out to fit MaxLength, then the 8-hex-digit MD5 path hash.
//
// Lengths are counted in Unicode code points, where the CDK counts UTF-16
// units; the two differ only for characters outside the Basic Multilingual
// Plane, which neither construct ids nor stack names contain in practice.
//
// It panics, naming the problem, when no component is left after dropping
// "Default" or when AllowedSpecialCharacters does not form a valid character
// class: both are programming mistakes (the CDK throws).
func MakeUniqueResourceName(components []string, opts ResourceNameOptions) string {
	maxLength := opts.MaxLength
	if maxLength == 0 {
		maxLength = defaultMaxResourceNameLen
	}
	components = withoutHidden(components)
	if len(components) == 0 {
		panic("uniqueid: unable to calculate a unique resource name for an empty set of components")
	}
	disallowed := disallowedChars(opts.AllowedSpecialCharacters)

	if len(components) == 1 {
		top := []rune(opts.Prefix + disallowed.ReplaceAllString(components[0], ""))
		if len(top) <= maxLength {
			return string(top)
		}
	}

	hash := pathHash(components)
	var kept []string
	for _, c := range removeDupes(components) {
		if c == hiddenFromHumanID {
			continue
		}
		if s := disallowed.ReplaceAllString(c, ""); s != "" {
			kept = append(kept, s)
		}
	}
	human := []rune(opts.Prefix + strings.Join(kept, opts.Separator) + opts.Separator)
	maxHuman := maxLength - hashLen
	if len(human) > maxHuman {
		human = splitInMiddle(human, maxHuman)
	}
	return string(human) + hash
}

// maxStackNameLen is CloudFormation's limit on stack names.
const maxStackNameLen = 128

// MakeStackName returns the name the AWS CDK generates for a stack (and,
// with an empty prefix, its cloud-assembly artifact id) from the ids of the
// scopes from below its assembly (App or Stage) down to the stack, as the
// CDK's makeStackName does: a single id is used as it is, hyphens and all,
// with the prefix (a stage's "<stageName>-") in front, when that fits in 128
// characters; otherwise it is [MakeUniqueResourceName] with MaxLength 128
// and the prefix, which keeps only letters and digits ("Parent/My-Stack"
// gives "ParentMyStackFD86828E").
func MakeStackName(components []string, prefix string) string {
	if len(components) == 1 {
		if name := prefix + components[0]; len([]rune(name)) <= maxStackNameLen {
			return name
		}
	}
	return MakeUniqueResourceName(components, ResourceNameOptions{MaxLength: maxStackNameLen, Prefix: prefix})
}

// Addr returns the construct address the constructs library gives a node
// (node.addr): "c8" followed by the SHA-1, in lower-case hex, of each id
// followed by a newline, skipping ids equal to "Default". The result is 42
// characters long.
//
// path holds the ids of every scope from the root down to the construct,
// root first, exactly as node.scopes gives them: for a tree rooted at an App
// the first id is the App's, the empty string (["", "Stack", "Bucket"]).
func Addr(path []string) string {
	h := sha1.New()
	for _, c := range path {
		if c == hiddenID {
			continue
		}
		h.Write([]byte(c))
		h.Write([]byte{'\n'})
	}
	return "c8" + hex.EncodeToString(h.Sum(nil))
}

func withoutHidden(components []string) []string {
	out := make([]string, 0, len(components))
	for _, c := range components {
		if c != hiddenID {
			out = append(out, c)
		}
	}
	return out
}

// pathHash is the first 8 hex digits, upper-cased, of the MD5 of the path.
func pathHash(components []string) string {
	sum := md5.Sum([]byte(strings.Join(components, pathSep)))
	return strings.ToUpper(hex.EncodeToString(sum[:]))[:hashLen]
}

func removeNonAlphanumeric(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// removeDupes skips a component when the previously kept one ends with it.
func removeDupes(components []string) []string {
	var out []string
	for _, c := range components {
		if len(out) == 0 || !strings.HasSuffix(out[len(out)-1], c) {
			out = append(out, c)
		}
	}
	return out
}

// stringToken matches an encoded string token, or a stringified number
// token, as the CDK's STRING_TOKEN_REGEX does.
var stringToken = regexp.MustCompile(`\$\{Token\[[a-zA-Z0-9:._-]+\]\}|-1\.\d{10,16}e\+289`)

// isUnresolved is the CDK's unresolved() for a string.
func isUnresolved(s string) bool {
	return strings.Contains(s, anyTokenMarker) && stringToken.MatchString(s)
}

var alphanumericOnly = regexp.MustCompile(`[^A-Za-z0-9]`)

func disallowedChars(allowed string) *regexp.Regexp {
	if allowed == "" {
		return alphanumericOnly
	}
	re, err := regexp.Compile(`[^A-Za-z0-9` + allowed + `]`)
	if err != nil {
		panic(fmt.Sprintf("uniqueid: AllowedSpecialCharacters %q does not form a character class: %v", allowed, err))
	}
	return re
}

// splitInMiddle keeps the first and the last maxLength/2 characters the way
// the CDK's s.slice(0, half) + s.slice(-half) does, including its corner
// cases: the half is truncated towards zero (31.5 becomes 31), a half of zero
// keeps the whole string (s.slice(-0)), and a negative half counts from the
// other end.
func splitInMiddle(s []rune, maxLength int) []rune {
	half := maxLength / 2 // Go truncates towards zero, as ToIntegerOrInfinity does
	out := append([]rune{}, jsSlice(s, 0, half)...)
	return append(out, jsSlice(s, -half, len(s))...)
}

// jsSlice is JavaScript's String.prototype.slice over code points.
func jsSlice(s []rune, start, end int) []rune {
	clamp := func(i int) int {
		if i < 0 {
			i += len(s)
		}
		return min(max(i, 0), len(s))
	}
	start, end = clamp(start), clamp(end)
	if start >= end {
		return nil
	}
	return s[start:end]
}
