package eks_test

import "github.com/eksforge/eksforge/eks"

// StubKubectlHandler is a tiny main package standing in for the real kubectl
// handler, so synthesis tests do not build client-go and Helm.
const StubKubectlHandler = "github.com/eksforge/eksforge/internal/testenv/kubectlstub"

func init() { eks.KubectlHandlerPackage = StubKubectlHandler }
