#!/usr/bin/env bash
# make chaos: the reliability campaign of docs/reliability.md on the local control plane.
#   Operator and control-plane faults (dev.slipway.chaos.Chaos):
#     CHAOS_APPS (10) × CHAOS_ROUNDS (20) rollouts, half rolling, half canary; CHAOS_FAILOVERS (10)
#   Bad-input fuzzing (dev.slipway.chaos.Fuzz): FUZZ_DOCUMENTS (10000)
#   CHAOS_SEED repeats a run (both campaigns print the seed they used).
# Exits non-zero when either campaign has a finding.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
MVN=${MVN:-mvn -B -ntp -q}
hack/cluster.sh up >/dev/null
eval "$(hack/cluster.sh env)"
$MVN package -DskipTests
$MVN test-compile dependency:build-classpath -Dmdep.outputFile=target/chaos.classpath -Dmdep.includeScope=test
cp="target/test-classes:target/classes:$(cat target/chaos.classpath)"
seed=${CHAOS_SEED:+-Dchaos.seed=$CHAOS_SEED -Dfuzz.seed=$CHAOS_SEED}
status=0
java -Xmx1g $seed -Dchaos.apps="${CHAOS_APPS:-10}" -Dchaos.rounds="${CHAOS_ROUNDS:-20}" \
  -Dchaos.failovers="${CHAOS_FAILOVERS:-10}" -cp "$cp" dev.slipway.chaos.Chaos || status=1
java -Xmx1g $seed -Dfuzz.documents="${FUZZ_DOCUMENTS:-10000}" -cp "$cp" dev.slipway.chaos.Fuzz || status=1
exit $status
