#!/usr/bin/env bash
# Runs chosen ITs against the running local control plane: hack/it.sh WebAppRolloutIT[,OtherIT]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
eval "$(hack/cluster.sh env)"
exec ${MVN:-mvn -B -ntp} verify -Dit.test="$1" -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false "${@:2}"
