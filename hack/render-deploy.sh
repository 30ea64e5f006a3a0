#!/usr/bin/env bash
# Renders the chart with its defaults into one manifest for `kubectl apply -f deploy/slipway.yaml`
# (namespace slipway-system). The test HelmChartIT fails when deploy/slipway.yaml differs from this output.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
helm=${HELM:-$(command -v helm || echo "$HOME/.cache/slipway/current/helm")}
echo "# Rendered from helm/slipway by 'make deploy-manifest'; do not edit. Install: kubectl create namespace"
echo "# slipway-system && kubectl apply --server-side -f deploy/slipway.yaml"
"$helm" template slipway helm/slipway --namespace slipway-system
