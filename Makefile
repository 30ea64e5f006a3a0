# Slipway — see README.md. `make run` shows a rollout end to end; `make test` runs every test.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
MVN ?= mvn -B -ntp
CLUSTER := hack/cluster.sh

.PHONY: help build crds cluster-build cluster-up cluster-down cluster-status test unit run clean

help:
	@echo "make run            local control plane + operator + django-celery sample + a visible rollout"
	@echo "make test           unit tests and integration tests against the local control plane"
	@echo "make unit           unit tests only (no cluster)"
	@echo "make build          compile, package the operator, regenerate crds/"
	@echo "make cluster-up     start the local control plane (make cluster-down stops it)"

build:
	$(MVN) package -DskipTests
	$(MAKE) --no-print-directory crds

# The CRDs are generated at build time; crds/ holds the checked-in copy (a test fails on drift).
crds:
	@mkdir -p crds
	cp target/kubernetes/webapps.slipway.dev-v1.yml target/kubernetes/rolloutpolicies.slipway.dev-v1.yml crds/

cluster-build:
	$(CLUSTER) build

cluster-up:
	$(CLUSTER) up

cluster-down:
	$(CLUSTER) down

cluster-status:
	$(CLUSTER) status

unit:
	$(MVN) test

test:
	hack/test.sh

run:
	hack/demo.sh

clean:
	$(MVN) clean
