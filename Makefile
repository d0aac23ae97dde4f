# ScriptForge for Kubernetes: the entry points. `make help` lists them.
SHELL := /usr/bin/env bash
.DEFAULT_GOAL := help

JAVA_HOME := $(shell ./hack/find-jdk.sh)
ifeq ($(JAVA_HOME),)
$(error no JDK >= 21 found: see the message above)
endif
export JAVA_HOME
export PATH := $(JAVA_HOME)/bin:$(PATH)

MVN      := ./mvnw -B --no-transfer-progress
RUNNER   := function-runner/target
RUN_JAR  := $(RUNNER)/quarkus-app/quarkus-run.jar
DIR      ?= examples
# make run's embedded PostgreSQL keeps the Apps' data here between runs (delete it to start afresh).
PGDATA   ?= $(HOME)/.local/share/scriptforge/pgdata
PORT     ?= 8080

.PHONY: help build run test unit lint format bench bench-apps bench-cold crds image image-push node-up node-down e2e e2e-kind clean

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

build: ## compile and package everything, without tests
	$(MVN) -DskipTests install

$(RUN_JAR): $(shell find pom.xml crds/pom.xml crds/src app-manifest/pom.xml app-manifest/src js-syntax/pom.xml js-syntax/src sandbox/pom.xml sandbox/src runner-core/pom.xml runner-core/src runner-apps/pom.xml runner-apps/src runner-scripts/pom.xml runner-scripts/src function-runner/pom.xml function-runner/src runner-scripts/npm -path runner-scripts/npm/node_modules -prune -o -type f -print 2>/dev/null)
	$(MVN) -DskipTests -pl function-runner -am install

run: $(RUN_JAR) ## start the runner on $(PORT) with no cluster: the Scripts and Apps in DIR (default examples/), hot-reloaded, on an embedded PostgreSQL
	java @$(RUNNER)/jvm.args -Dquarkus.http.port=$(PORT) -Dscriptforge.dir="$(abspath $(DIR))" \
	  -Dscriptforge.database.embedded-dir="$(PGDATA)" -jar $(RUN_JAR)

test: ## run every test: unit, component over a real port, and *IT against a real kube-apiserver (built once from Go modules, cached in ~/.cache/scriptforge)
	$(MVN) install

unit: ## the fast tier, no Kubernetes and no node: every module's unit tests and the runner's *ComponentTest (a real port, embedded PostgreSQL)
	$(MVN) test -pl '!integration-tests'

lint: ## the formatter's check (spotless with palantir-java-format; `make format` fixes it) and the module boundaries (each module's ArchitectureTest)
	$(MVN) spotless:check
	$(MVN) test -pl '!integration-tests,!helm' -Dtest='ArchitectureTest,TestTiersTest' -Dsurefire.failIfNoSpecifiedTests=false

format: ## format every Java file of the tree, as make lint wants it
	$(MVN) spotless:apply

bench: $(RUN_JAR) ## HTTP benchmark vs Node.js node:vm side by side (needs wrk and node), then the Apps benchmark
	./bench/run.sh
	./bench/apps.sh

bench-cold: $(RUN_JAR) ## cold start of fresh runners, warm-up off vs on: start -> ready, the first 10 s after ready, warm (needs wrk); figures in bench/results/cold-start.md
	./bench/cold-start.sh

bench-apps: $(RUN_JAR) ## Apps benchmark alone: SqlExec of 10,000 rows (rows/s, peak heap), SqlMonitor latency (p50/p99)
	./bench/apps.sh

crds: ## regenerate the CRD YAML in crds/yaml from the Java model and copy it into the chart (commit the result)
	$(MVN) -q -pl crds -am test -Dtest=CrdYamlTest -Dsurefire.failIfNoSpecifiedTests=false -Dmaven.test.failure.ignore=true
	cp crds/target/crds/*.yml crds/yaml/
	cp crds/yaml/*.yml helm/scriptforge/crds/
	@echo "crds/yaml and helm/scriptforge/crds updated: review and commit them"

image: ## build the operator and runner images with Jib, no Docker engine (target/jib-image.tar of each); base: IMAGE_BASE, else the registry's JRE, else one built here (hack/image-base.sh)
	$(MVN) -DskipTests install
	$(MVN) -pl operator,function-runner jib:buildTar -Dimage.base="$$(./hack/image-base.sh)"

image-push: ## build and push the images to IMAGE_REGISTRY (default ghcr.io/scriptforge), no Docker engine
	$(MVN) -DskipTests install
	$(MVN) -pl operator,function-runner jib:build $(if $(IMAGE_REGISTRY),-Dimage.registry=$(IMAGE_REGISTRY))

node-up: ## a real one-node Kubernetes cluster on this machine, no Docker (Linux, root): KUBECONFIG=/var/lib/scriptforge-node/kubeconfig
	./hack/node.sh up

node-down: ## stop that node and leave the machine as it was (also cleans up after a crashed run)
	./hack/node.sh down

e2e: ## the *E2E tests on a real node of this machine (root): helm install, examples, autoscaling, rollouts, failover; node always torn down
	./hack/e2e-node.sh

e2e-kind: image ## on a machine with Docker: a Kind cluster, the images, the chart, the examples, invoked
	./hack/e2e-kind.sh

clean: ## remove build output
	$(MVN) -q clean
