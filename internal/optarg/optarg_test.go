package optarg_test

import (
	"fmt"
	"testing"

	"github.com/eksforge/eksforge/internal/optarg"
)

type fooOptions struct{ Name string }

func TestOne(t *testing.T) {
	if got := optarg.One[fooOptions]("x", nil); got != (fooOptions{}) {
		t.Errorf("no options: got %+v, want the zero value", got)
	}
	if got := optarg.One("x", []fooOptions{{Name: "a"}}); got.Name != "a" {
		t.Errorf("one options value: got %+v", got)
	}
}

func TestOnePanicsOnMoreThanOne(t *testing.T) {
	defer func() {
		got := fmt.Sprint(recover())
		want := "App/Stack/Thing: pass at most one optarg_test.fooOptions, got 2"
		if got != want {
			t.Errorf("panic = %q, want %q", got, want)
		}
	}()
	optarg.One("App/Stack/Thing", []fooOptions{{}, {}})
}
