#!/usr/bin/env bash
# make bench: the benchmark of dev.slipway.bench.Bench on the local control plane. Sizes:
#   BENCH_APPS (1000) BENCH_STEADY_SECONDS (300) BENCH_CHANGES (100) BENCH_ABORTS (10)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec hack/test-main.sh dev.slipway.bench.Bench ${BENCH_JVM:+"-Dbench.jvm=$BENCH_JVM"} \
  -Dbench.apps="${BENCH_APPS:-1000}" -Dbench.steadySeconds="${BENCH_STEADY_SECONDS:-300}" \
  -Dbench.changes="${BENCH_CHANGES:-100}" -Dbench.aborts="${BENCH_ABORTS:-10}"
