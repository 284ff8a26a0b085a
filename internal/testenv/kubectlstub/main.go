// Command kubectlstub stands in for the kubectl handler
// (handlers/kubectl/cmd/kubectl) in synthesis tests: tests set
// eks.KubectlHandlerPackage to this package so that they build a tiny binary
// instead of the real handler. It is never deployed.
package main

func main() {}
