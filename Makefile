# Slipway — see README.md. `make run` shows a rollout end to end; `make test` runs every test.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
MVN ?= mvn -B -ntp
CLUSTER := hack/cluster.sh

.PHONY: help build crds cluster-build cluster-up cluster-down cluster-status test check test-times unit run clean image sbom deploy-manifest install-plugin bench chaos
IMAGE ?= ghcr.io/slipway-dev/slipway:0.1.0
BASES ?= public

help:
	@echo "make run            local control plane + operator + django-celery sample + a visible rollout"
	@echo "make test           everything: the demo, unit tests and every integration test (before a submission)"
	@echo "make check          the fast loop after a change: unit tests + core ITs on kwok (about 6 min)"
	@echo "make test-times     where the last make test / make check spent its time, slowest first"
	@echo "make unit           unit tests only (no cluster)"
	@echo "make build          compile, package the operator, regenerate crds/"
	@echo "make cluster-up     start the local control plane (make cluster-down stops it)"
	@echo "make bench          scale, latency, memory and API-economy figures (BENCH_APPS=1000 ...)"
	@echo "make chaos          kill the operator, restart the control plane, fuzz the API (CHAOS_ROUNDS=20 FUZZ_DOCUMENTS=10000 ...)"
	@echo "make install-plugin install kubectl-slipway (BINDIR=~/.local/bin)"
	@echo "make image          build the operator image (Docker with BuildKit), IMAGE=$(IMAGE); BASES=local without a registry"
	@echo "make sbom           CycloneDX SBOM of the operator into target/bom.json"
	@echo "make deploy-manifest  render deploy/slipway.yaml (plain kubectl install) from the chart"

build:
	$(MVN) package -DskipTests
	$(MAKE) --no-print-directory crds

# The CRDs are generated at build time; crds/ holds the checked-in copy (a test fails on drift).
crds:
	@mkdir -p crds helm/slipway/files/crds
	cp target/kubernetes/webapps.slipway.dev-v1.yml target/kubernetes/rolloutpolicies.slipway.dev-v1.yml crds/
	cp crds/*.yml helm/slipway/files/crds/

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

check:
	hack/check.sh

test-times:
	hack/test-times.sh

run:
	hack/demo.sh

clean:
	$(MVN) clean

# BASES=public (default): the Dockerfile's public bases, Maven runs in the build stage.
# BASES=local: no registry needed; the JRE base is made here from Debian packages, the app is target/quarkus-app.
image:
	@if [ "$(BASES)" = local ] && [ ! -f target/quarkus-app/quarkus-run.jar ]; then $(MVN) -q package -DskipTests; fi
	IMAGE=$(IMAGE) BASES=$(BASES) hack/images.sh operator

bench:
	hack/bench.sh

chaos:
	hack/chaos.sh

install-plugin:
	@[ -f target/quarkus-app/quarkus-run.jar ] || $(MVN) -q package -DskipTests
	hack/install-plugin.sh

sbom:
	$(MVN) -q org.cyclonedx:cyclonedx-maven-plugin:2.9.1:makeBom -DoutputFormat=json -DoutputName=bom
	@echo "SBOM: target/bom.json"

# deploy/slipway.yaml is the chart rendered with its defaults, for `kubectl apply`; a test keeps it in sync.
deploy-manifest:
	@mkdir -p deploy
	hack/render-deploy.sh > deploy/slipway.yaml
