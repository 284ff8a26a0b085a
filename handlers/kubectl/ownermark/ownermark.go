package ownermark

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Annotation marks every object a manifest applies with its owner (see
// [Mark]).
const Annotation = "eksforge.io/owner"

// LegacyFieldManager is the one field manager of every manifest before
// each resource had its own.
const LegacyFieldManager = "eksforge"

// Mark is the owner mark of the custom resource named name (its construct
// address, the property Owner, or else its logical ID) in the stack
// stackID: "<first 8 hex of sha256(stackID)>/<name>".
func Mark(stackID, name string) string {
	h := sha256.Sum256([]byte(stackID))
	return hex.EncodeToString(h[:4]) + "/" + name
}

// FieldManager is the server-side apply field manager of the owner with
// mark: "eksforge-<first 16 hex of sha256(mark)>".
func FieldManager(mark string) string {
	return "eksforge-" + Hash16(mark)
}

// Hash16 is the first 16 hex digits of sha256(s).
func Hash16(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:8])
}

// Name is the name part of a mark (after the stack hash).
func Name(mark string) string {
	_, name, _ := strings.Cut(mark, "/")
	return name
}
