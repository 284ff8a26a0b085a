package ownermark_test

import (
	"testing"

	"github.com/eksforge/eksforge/handlers/kubectl/apply"
	"github.com/eksforge/eksforge/handlers/kubectl/ownermark"
)

// TestNames pins the names: objects already in clusters carry them, so a
// change would make every handler and drift see them as another owner's.
func TestNames(t *testing.T) {
	mark := ownermark.Mark("arn:aws:cloudformation:us-east-1:123456789012:stack/S/1", "c8abc")
	if len(mark) != 8+1+5 || mark[8:] != "/c8abc" {
		t.Errorf("Mark = %q, want <8 hex>/c8abc", mark)
	}
	if ownermark.Name(mark) != "c8abc" {
		t.Errorf("Name(%q) = %q", mark, ownermark.Name(mark))
	}
	if got, want := ownermark.FieldManager("0123abcd/x"), "eksforge-"+ownermark.Hash16("0123abcd/x"); got != want || len(got) != len("eksforge-")+16 {
		t.Errorf("FieldManager = %q, want %q", got, want)
	}
	if got := ownermark.Hash16(""); got != "e3b0c44298fc1c14" {
		t.Errorf("Hash16(\"\") = %q, want the first 16 hex of sha256(\"\")", got)
	}
	if ownermark.LegacyFieldManager != apply.DefaultFieldManager {
		t.Errorf("LegacyFieldManager %q is not apply's default %q", ownermark.LegacyFieldManager, apply.DefaultFieldManager)
	}
}
