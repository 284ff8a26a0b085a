package kubectl

import (
	"context"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
	"github.com/eksforge/eksforge/handlers/kubectl/awsauth"
	"github.com/eksforge/eksforge/handlers/provider"
)

func (h *Handler) awsAuth(ctx context.Context, e provider.Event) (provider.OnEventResult, error) {
	id, _ := physicalIDFor(kindAwsAuth, e)
	p := props(e.ResourceProperties)
	cl, err := h.connect(ctx, p)
	if err != nil {
		return provider.OnEventResult{PhysicalResourceId: existingID(e)}, err
	}
	if h.staleEvent(ctx, cl, eventRef{stack: e.StackId, id: id, request: e.RequestId}) {
		// A late replay: running it again would put back entries a later
		// event removed (or remove entries it added).
		return provider.OnEventResult{PhysicalResourceId: id}, nil
	}
	if e.RequestType == cfnresponse.Delete {
		if err := awsauth.Apply(ctx, cl.cs, id, nil); err != nil {
			return provider.OnEventResult{}, err
		}
		return provider.OnEventResult{PhysicalResourceId: id}, nil
	}
	var want awsauth.Entries
	if _, err := p.decode("MapRoles", &want.MapRoles); err != nil {
		return provider.OnEventResult{PhysicalResourceId: existingID(e)}, err
	}
	if _, err := p.decode("MapUsers", &want.MapUsers); err != nil {
		return provider.OnEventResult{PhysicalResourceId: existingID(e)}, err
	}
	if _, err := p.decode("MapAccounts", &want.MapAccounts); err != nil {
		return provider.OnEventResult{PhysicalResourceId: existingID(e)}, err
	}
	if err := awsauth.Apply(ctx, cl.cs, id, &want); err != nil {
		return provider.OnEventResult{PhysicalResourceId: existingID(e)}, err
	}
	return provider.OnEventResult{PhysicalResourceId: id}, nil
}
