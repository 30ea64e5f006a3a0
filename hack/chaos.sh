#!/usr/bin/env bash
# make chaos: the reliability campaigns of docs/reliability.md on the local control plane.
#   Operator and control-plane faults (dev.slipway.chaos.Chaos):
#     CHAOS_APPS (10) × CHAOS_ROUNDS (20) rollouts, half rolling, half canary; CHAOS_FAILOVERS (10)
#   Bad-input fuzzing (dev.slipway.chaos.Fuzz): FUZZ_DOCUMENTS (10000)
#   CHAOS_SEED repeats a run (both campaigns print the seed they used).
# Exits non-zero when either campaign has a finding.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seed=()
[ -n "${CHAOS_SEED:-}" ] && seed=(-Dchaos.seed="$CHAOS_SEED" -Dfuzz.seed="$CHAOS_SEED")
status=0
hack/test-main.sh dev.slipway.chaos.Chaos "${seed[@]}" -Dchaos.apps="${CHAOS_APPS:-10}" \
  -Dchaos.rounds="${CHAOS_ROUNDS:-20}" -Dchaos.failovers="${CHAOS_FAILOVERS:-10}" || status=1
SLIPWAY_SKIP_BUILD=1 hack/test-main.sh dev.slipway.chaos.Fuzz "${seed[@]}" \
  -Dfuzz.documents="${FUZZ_DOCUMENTS:-10000}" || status=1
exit $status
