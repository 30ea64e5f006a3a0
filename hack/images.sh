#!/usr/bin/env bash
# Local base images made from Debian packages, for machines that reach no container registry (only
# Debian's package mirror). Each is a debootstrap'd Debian (minbase) with a few packages, imported into
# Docker once and reused while its package list is unchanged.
#
#   hack/images.sh jre         slipway.local/jre:17  — the operator image's runtime base (OpenJDK 17 JRE)
#   hack/images.sh python      slipway.local/python:3 — base of the test apps (Debian's python3)
#   hack/images.sh testapp     slipway.local/testapp:1 — the real-node ITs' app (src/test/images/testapp)
#   hack/images.sh shop [load] the sample Django + Celery shop (samples/apps/shop) and its PostgreSQL and
#                              Redis: slipway.local/shop:1, slipway.local/postgres:15, slipway.local/redis:7;
#                              with `load`, imported into the real node's runtime (hack/cluster.sh load)
#   hack/images.sh operator    the operator image (`make image`), IMAGE=... (default slipway.local/slipway:dev)
#                              BASES=public: the Dockerfile's public bases, Maven builds in the build stage
#                              BASES=local:  target/quarkus-app (mvn package) on the local JRE base
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/slipway
SUITE=bookworm
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
JRE_IMAGE=slipway.local/jre:17
PYTHON_IMAGE=slipway.local/python:3
TESTAPP_IMAGE=slipway.local/testapp:1
SHOP_IMAGES=(slipway.local/shop:1 slipway.local/postgres:15 slipway.local/redis:7)

mkdir -p "$CACHE/logs"
# shellcheck source=lib.sh
source "$REPO/hack/lib.sh"
log() { printf '[images] %s\n' "$*" >&2; }
die() { printf '[images] ERROR: %s\n' "$*" >&2; exit 1; }

need_docker() {
  command -v docker >/dev/null || die "docker is not installed (.ci/run installs Debian's docker.io)"
  docker info >/dev/null 2>&1 || die "no Docker engine answers (start dockerd: hack/dockerd.sh start)"
}

# debian_image NAME PACKAGE... : NAME made by debootstrap with PACKAGES; skipped when an image of that name
# was made from the same list (a label records it).
debian_image() {
  local name=$1; shift
  local key; key=$(printf '%s\n' "$SUITE" "$@" | sha256sum | cut -c1-16)
  if [ "$(docker image inspect -f '{{index .Config.Labels "dev.slipway.packages"}}' "$name" 2>/dev/null)" = "$key" ]; then
    return 0
  fi
  command -v debootstrap >/dev/null || {
    log "installing debootstrap"
    apt_install debootstrap || die "apt-get install debootstrap failed"
  }
  local root; root=$(mktemp -d "$CACHE/rootfs.XXXXXX")
  log "building $name from Debian $SUITE packages: $* (about a minute)"
  local includes; includes=$(IFS=,; echo "$*")
  debootstrap --variant=minbase --include="$includes" "$SUITE" "$root" "$MIRROR" > "$CACHE/logs/debootstrap-${name//[\/:]/_}.log" 2>&1 \
    || { rm -rf "$root"; die "debootstrap of $name failed (log: $CACHE/logs/debootstrap-${name//[\/:]/_}.log)"; }
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/var/log/*
  tar -C "$root" -c . | docker import --change "LABEL dev.slipway.packages=$key" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$name" >/dev/null
  rm -rf "$root"
  log "$name ready"
}

cmd_jre() { need_docker; debian_image "$JRE_IMAGE" openjdk-17-jre-headless; }

# The Dockerfile needs BuildKit (cache mounts; only the stages the image needs). Newer Docker CLIs reach it
# through the buildx plugin; Debian bookworm packages no buildx, but its docker.io CLI has BuildKit built in.
build_cli() {
  if docker buildx version >/dev/null 2>&1; then echo docker
  elif [ -x /usr/bin/docker ] && [ "$(/usr/bin/docker version -f '{{.Client.Version}}' 2>/dev/null | cut -d. -f1)" = 20 ]; then
    echo /usr/bin/docker
  else die "docker build needs BuildKit: install the buildx plugin (or Debian's docker.io)"
  fi
}

cmd_python() { need_docker; debian_image "$PYTHON_IMAGE" python3; }

cmd_testapp() {
  cmd_python
  docker_build "$TESTAPP_IMAGE" "$REPO/src/test/images/testapp" --build-arg BASE="$PYTHON_IMAGE"
}

cmd_shop() {
  need_docker
  local shop=$REPO/samples/apps/shop
  debian_image slipway.local/shop-base:1 python3 python-is-python3 python3-django gunicorn celery python3-celery python3-redis \
    python3-psycopg2 python3-django-prometheus python3-prometheus-client
  debian_image slipway.local/postgres-base:15 postgresql-15
  debian_image slipway.local/redis-base:7 redis-server
  docker_build "${SHOP_IMAGES[0]}" "$shop"
  docker_build "${SHOP_IMAGES[1]}" "$shop/backing/postgres"
  docker_build "${SHOP_IMAGES[2]}" "$shop/backing/redis"
  if [ "${1:-}" = load ]; then
    for image in "${SHOP_IMAGES[@]}"; do "$REPO/hack/cluster.sh" load "$image"; done
  fi
}

# docker_build IMAGE CONTEXT ARGS...: a BuildKit build with its output in a log, shown when it fails.
docker_build() {
  local image=$1 context=$2; shift 2
  local t0=$SECONDS logf=$CACHE/logs/build-${image//[\/:]/_}.log
  if ! DOCKER_BUILDKIT=1 "$(build_cli)" build -t "$image" "$@" "$context" > "$logf" 2>&1; then
    tail -n 30 "$logf" >&2
    return 1
  fi
  log "$image ready in $((SECONDS - t0))s"
}

cmd_operator() {
  local image=${IMAGE:-slipway.local/slipway:dev} args=()
  need_docker
  case ${BASES:-local} in
    local)
      [ -f "$REPO/target/quarkus-app/quarkus-run.jar" ] || die "target/quarkus-app is missing: run mvn package first"
      cmd_jre
      args=(--build-arg APP=prebuilt --build-arg RUNTIME_IMAGE="$JRE_IMAGE") ;;
    public) ;;
    *) die "BASES is public or local, not '${BASES}'" ;;
  esac
  log "building $image (bases: ${BASES:-local})"
  if ! docker_build "$image" "$REPO" "${args[@]}"; then
    [ "${BASES:-local}" = local ] || log "no registry reachable? BASES=local builds on bases made here from Debian packages"
    die "docker build of $image failed"
  fi
}

case "${1:-}" in
  jre) cmd_jre ;;
  python) cmd_python ;;
  testapp) cmd_testapp ;;
  shop) shift; cmd_shop "$@" ;;
  operator) cmd_operator ;;
  *) echo "usage: $0 jre|python|testapp|shop|operator" >&2; exit 2 ;;
esac
