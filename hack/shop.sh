#!/usr/bin/env bash
# The sample shop's settings for `make run` and ShopIT, each made from the file users read, in one place:
#
#   hack/shop.sh scrape-config NAMESPACE KUBECONFIG
#       samples/apps/shop/prometheus-scrape.yaml for a Prometheus outside the cluster: the pods of NAMESPACE,
#       found through the apiserver of KUBECONFIG
#   hack/shop.sh quick-policy PROMETHEUS_URL
#       samples/apps/shop/canary-policy.yaml with seconds for minutes (pauses and gate steps 3 s, a measurement
#       every 3 s over 20 s windows), reading the Prometheus at PROMETHEUS_URL; nothing else changes
set -euo pipefail
SHOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../samples/apps/shop" && pwd)

# replace FILE FROM TO [FROM TO ...]: FILE with every FROM replaced by its TO; fails when a FROM is not in
# it (the sample changed under this script).
replace() {
  python3 - "$@" <<'PY'
import sys
path, pairs = sys.argv[1], sys.argv[2:]
text = open(path).read()
for old, new in zip(pairs[::2], pairs[1::2]):
    if old not in text:
        sys.exit(f"hack/shop.sh: {old!r} is no longer in {path}")
    text = text.replace(old, new)
sys.stdout.write(text)
PY
}

case "${1:-}" in
  scrape-config)
    [ $# -eq 3 ] || { echo "usage: hack/shop.sh scrape-config NAMESPACE KUBECONFIG" >&2; exit 2; }
    replace "$SHOP/prometheus-scrape.yaml" "    namespaces: {names: [shop]}" \
      "    namespaces: {names: ['$2']}
    kubeconfig_file: '$3'"
    ;;
  quick-policy)
    [ $# -eq 2 ] || { echo "usage: hack/shop.sh quick-policy PROMETHEUS_URL" >&2; exit 2; }
    replace "$SHOP/canary-policy.yaml" "duration: 10m" "duration: 3s" "interval: 1m" "interval: 3s" \
      "[2m]" "[20s]" "address: http://127.0.0.1:19090" "address: $2"
    ;;
  *)
    sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
