// Command synthbench measures synthesis side by side: for every example
// under examples/ and every scale case under bench/scale/, the eksforge
// program (built once, then run as a process) against its aws-cdk-lib
// counterpart (`node bench/cdk/.../app.js`), on the same machine in one run.
// Each side runs -runs times, alternating; the table gives the median wall
// time and the median peak resident memory (the process's max RSS, from
// wait4's rusage) of each side, and their ratios. eksforge's first run of an
// app is a warm-up, reported on its own: it builds the app's Go Lambda
// handlers into the eksforge cache when they are not there yet.
//
//	go run ./bench/cmd/synthbench -node-modules DIR [-runs 3] [-out bench/out/synth.md] [-only a,b]
//
// make bench runs it through scripts/bench-synth.sh, which installs the npm
// packages first. It must run from the module root.
package main
