#!/usr/bin/env bash
# Where the last `make test` (or `make check`) spent its time, slowest first: every IT class from the failsafe
# reports, every unit-test class from the surefire reports (top 5 and the sum), and every step of the demo
# from target/make-run.log. IT classes run concurrently (pom.xml, it.parallelism), so their times add up to more
# than the wall time; the wall times hack/test.sh measured are printed last.
#   hack/test-times.sh            tables as Markdown
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# name<TAB>seconds<TAB>tests for each report
attr() { sed -E "s/.* $1=\"([^\"]*)\".*/\\1/" <<<"$tag"; }   # an attribute of $tag
suites() {
  local f tag
  for f in "$1"/TEST-*.xml; do
    [ -f "$f" ] || continue
    tag=$(grep -o -m1 '<testsuite [^>]*>' "$f")
    printf '%s\t%s\t%s\n' "$(attr name | sed 's/^dev\.slipway\.[a-z0-9.]*\.//')" "$(attr time | tr -d ,)" "$(attr tests)"
  done
}

table() {
  local dir=$1 title=$2 limit=${3:-1000}
  [ -d "$dir" ] || { echo "($dir: no reports: run make test first)"; return; }
  echo "| $title | s | tests |"
  echo "| --- | ---: | ---: |"
  suites "$dir" | sort -t$'\t' -k2,2 -g -r | head -n "$limit" | awk -F'\t' '{printf "| %s | %.0f | %s |\n", $1, $2, $3}'
  suites "$dir" | awk -F'\t' '{s += $2; n += $3; c++} END {printf "| all %d classes | %.0f | %d |\n", c, s, n}'
  echo
}

table target/failsafe-reports "IT class"
table target/surefire-reports "unit-test class (5 slowest)" 5

if [ -f target/make-run.log ]; then
  echo "| demo step (make run) | s |"
  echo "| --- | ---: |"
  # "== STEP  (+Ns)" headings: a step lasts until the next heading.
  sed 's/\x1b\[[0-9;]*m//g' target/make-run.log | sed -nE 's/^== (.*)  \(\+([0-9]+)s\)$/\2\t\1/p' \
    | awk -F'\t' 'NR > 1 {printf "%d\t%s\n", $1 - t, step} {t = $1; step = $2}' \
    | sort -t$'\t' -k1,1 -n -r | awk -F'\t' '{printf "| %s | %d |\n", $2, $1}'
  echo
fi
grep -h '^\[test\] CPU\|^\[test\] .*took\|^\[test\] make run reached\|^\[check\] .*took' target/test-times.log 2>/dev/null || true
