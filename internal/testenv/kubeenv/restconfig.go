package kubeenv

import (
	"k8s.io/client-go/rest"
)

// RestConfig returns a client-go configuration for the API server: [Env.Host],
// trusting [Env.CAData], authenticated by [Env.Token], with QPS and burst
// raised so client-side throttling does not slow tests down. Each call
// returns a new *rest.Config the caller may change.
func (e *Env) RestConfig() *rest.Config {
	return &rest.Config{
		Host:            e.Host,
		BearerToken:     e.Token,
		TLSClientConfig: rest.TLSClientConfig{CAData: append([]byte(nil), e.CAData...)},
		QPS:             1000,
		Burst:           2000,
		UserAgent:       "eksforge-kubeenv",
	}
}
