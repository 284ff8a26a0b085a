# eksforge: the commands contributors and CI run.
#
#   make test        what CI runs (via .ci/run): gofmt, go vet, generated
#                    code up to date, staticcheck, the race detector on the
#                    concurrent packages (handlers/kubectl's against
#                    kube-apiserver), then go test with the AWS CDK CLI
#                    set up and kube-apiserver/etcd built (EKSFORGE_KUBE_BINARIES)
#                    (make -k test runs every check even after one fails)
#   make go-race-kubectl  handlers/kubectl under the race detector alone
#   make cdk-cli     install the pinned AWS CDK CLI into the cache
#   make kube-binaries  build kube-apiserver and etcd (Go module proxy) into the cache
#   make lint        staticcheck (lint-go), cfn-lint on cdk.out/ (lint-cfn)
#   make bench       run the benchmarks, then synthesis side by side with aws-cdk-lib
#   make parity      compare every example with its aws-cdk-lib app (docs/parity.md)
#   make clean       remove build and synthesis outputs in the repo
#   make clean-cache remove the tool cache outside the repo
#   make generate    regenerate the typed CloudFormation resources (cfn/*)
#   make cfn-schemas refresh internal/cfngen/schemas from the installed cfn-lint
#   make cfn-docs    refresh internal/cfngen/descriptions.json.gz from npm
#
# Tools the tests need live in a cache outside the repo, keyed by version:
# $(EKSFORGE_CACHE), by default ${XDG_CACHE_HOME:-$HOME/.cache}/eksforge.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
# The checks in `test` must run in order (check-generate rewrites files).
.NOTPARALLEL:
.DEFAULT_GOAL := help

GO ?= go
export GO
# Bounds the whole go test run; a hung test fails with a goroutine dump.
TEST_TIMEOUT ?= 30m
# Extra go test flags, e.g. make test GOTESTFLAGS='-run TestX -v' PKGS=./cdk/...
GOTESTFLAGS ?=
PKGS ?= ./...
EKSFORGE_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/eksforge
# staticcheck 2026.2.2, fetched through the Go module proxy by go run.
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
BENCH_OUT ?= bench/out

.PHONY: help
help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 18

.PHONY: test
test: fmt-check vet check-generate lint-go go-race go-race-kubectl go-test ## everything CI checks

.PHONY: fmt-check
fmt-check: ## fail listing the Go files gofmt would change
	@bash scripts/check-gofmt.sh

.PHONY: vet
vet: ## go vet every package
	$(GO) vet $(PKGS)

.PHONY: check-generate
check-generate: ## go generate must leave the tree unchanged
	@bash scripts/check-generate.sh

.PHONY: generate
generate: ## go generate ./... (the L1 packages under cfn/ from internal/cfngen/schemas)
	$(GO) generate ./...

.PHONY: cfn-schemas
cfn-schemas: ## refresh internal/cfngen/schemas from the installed cfn-lint, then run make generate
	python3 internal/cfngen/refresh_schemas.py internal/cfngen/schemas
	$(GO) generate ./cfn/...

# The documentation text cfn-lint strips from its schemas, from the npm
# package @aws-cdk/aws-service-spec (its db.json.gz).
SERVICE_SPEC_VERSION ?= 0.1.216
.PHONY: cfn-docs
cfn-docs: ## refresh internal/cfngen/descriptions.json.gz from @aws-cdk/aws-service-spec, then run make generate
	@tmp="$$(mktemp -d)"; trap 'rm -rf "$$tmp"' EXIT; \
		(cd "$$tmp" && npm pack --silent @aws-cdk/aws-service-spec@$(SERVICE_SPEC_VERSION) >/dev/null && tar xzf *.tgz package/db.json.gz); \
		python3 internal/cfngen/refresh_docs.py "$$tmp/package/db.json.gz" internal/cfngen/descriptions.json.gz
	$(GO) generate ./cfn/...

.PHONY: go-test
go-test: ## go test, after installing the AWS CDK CLI and building kube-apiserver/etcd
	@bash scripts/with-kube-binaries.sh bash scripts/go-test.sh -timeout $(TEST_TIMEOUT) $(GOTESTFLAGS) $(PKGS)

# The packages with goroutines or state shared between goroutines, under the
# race detector (-short: their tests that build binaries or run node run in
# go-test). handlers/kubectl itself and its helm package (the client-go and
# Helm SDK builds) run under it in go-race-kubectl, against kube-apiserver;
# both are part of make test. docs/architecture.md ("The race detector") has
# the packages and the figures.
RACE_PKGS ?= ./cdk/... ./internal/deploy/... ./internal/gobuild/... ./internal/fingerprint/... \
	./internal/testenv/unavailable/... ./aws/lambda/... ./aws/customresources/... \
	./handlers/cfnresponse/... ./handlers/provider/... ./handlers/kubectl/apply/... \
	./handlers/kubectl/auth/... ./handlers/kubectl/awsauth/... ./handlers/kubectl/ownermark/...
RACE_KUBECTL_PKGS ?= ./handlers/kubectl ./handlers/kubectl/helm/...

.PHONY: go-race
go-race: ## go test -race -short on the packages with concurrency (RACE_PKGS)
	@bash scripts/go-test.sh -race -short -timeout $(TEST_TIMEOUT) $(RACE_PKGS)

.PHONY: go-race-kubectl
go-race-kubectl: ## go test -race on handlers/kubectl and its Helm package against kube-apiserver (~9 CPU-min cold build)
	@bash scripts/with-kube-binaries.sh bash scripts/go-test.sh -race -timeout $(TEST_TIMEOUT) $(GOTESTFLAGS) $(RACE_KUBECTL_PKGS)

.PHONY: cdk-cli
cdk-cli: ## install the pinned AWS CDK CLI and print its path
	@echo "$$(bash scripts/install-npm.sh internal/testenv/cdkcli)/.bin/cdk"

.PHONY: kube-binaries
kube-binaries: ## build kube-apiserver and etcd from the Go module proxy into the cache (once per version; ~5 min cold)
	@bash scripts/build-kube-binaries.sh

.PHONY: lint
lint: lint-go lint-cfn ## staticcheck, then cfn-lint on cdk.out/ (make -k lint for both)

.PHONY: lint-go
lint-go: ## staticcheck every package
	$(GO) run $(STATICCHECK) $(PKGS)

.PHONY: lint-cfn
lint-cfn: ## cfn-lint cdk.out/*.template.json when present; fails on errors only
	@if compgen -G 'cdk.out/*.template.json' >/dev/null; then \
		echo "cfn-lint cdk.out/*.template.json"; \
		bash scripts/cfn-lint.sh --non-zero-exit-code error -- cdk.out/*.template.json; \
	else \
		echo "lint-cfn: no cdk.out/*.template.json (run 'go run ./examples/minimal' first to lint a synthesized app)"; \
	fi

.PHONY: bench
bench: ## the Go benchmarks (bench/out/bench.txt), then synthesis side by side with aws-cdk-lib (bench/out/synth.md; alone: scripts/bench-synth.sh)
	@mkdir -p $(BENCH_OUT)
	$(GO) test -run '^$$' -bench . -benchmem $(GOTESTFLAGS) $(PKGS) | tee $(BENCH_OUT)/bench.txt
	@BENCH_OUT=$(BENCH_OUT) bash scripts/bench-synth.sh

.PHONY: parity
parity: ## compare every example with its aws-cdk-lib app (bench/cdk/), print the report (bench/out/parity.txt)
	@BENCH_OUT=$(BENCH_OUT) bash scripts/parity.sh

.PHONY: clean
clean: ## remove cdk.out/ and bench/out/
	rm -rf cdk.out $(BENCH_OUT)

.PHONY: clean-cache
clean-cache: ## remove the tool cache (CDK CLI, kube-apiserver/etcd builds, ...)
	@case "$(EKSFORGE_CACHE)" in \
		""|/|"$(HOME)"|"$(HOME)/"|*/.cache|*/.cache/) echo "clean-cache: refusing to remove '$(EKSFORGE_CACHE)'" >&2; exit 1;; \
	esac
	rm -rf "$(EKSFORGE_CACHE)"
