// Package waitersim runs the provider framework's waiter state machine
// (handlers/provider/spec.WaiterDefinition) in process, for tests: Task
// states call Go functions registered by their Resource ARN, with the
// definition's Retry and Catch semantics, and waits are recorded rather
// than slept. Step Functions' local emulators (and moto) do not invoke
// Lambda tasks; this runs exactly the definition a template holds.
package waitersim
