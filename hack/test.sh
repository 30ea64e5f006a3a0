#!/usr/bin/env bash
# make test: unit tests + ITs. Brings the local control plane up when it is not, and leaves it as found.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
MVN=${MVN:-mvn -B -ntp}

hack/cluster.sh build
started=0
if ! hack/cluster.sh is-up; then
  hack/cluster.sh up
  started=1
fi
cleanup() { if [ $started -eq 1 ]; then hack/cluster.sh down; fi; }
trap cleanup EXIT
eval "$(hack/cluster.sh env)"

t0=$SECONDS
$MVN verify "$@"
echo "[test] make test took $((SECONDS - t0))s (plus cluster start-up)"
