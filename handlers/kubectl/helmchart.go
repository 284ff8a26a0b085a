package kubectl

import (
	"context"
	"errors"

	"github.com/eksforge/eksforge/handlers/provider"
)

func (h *Handler) helmChart(ctx context.Context, e provider.Event) (provider.OnEventResult, error) {
	return provider.OnEventResult{}, errors.New("not yet")
}
