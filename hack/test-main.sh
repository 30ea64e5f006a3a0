#!/usr/bin/env bash
# Runs a main class of the test sources (a benchmark, a campaign) against the local control plane:
#   hack/test-main.sh dev.slipway.bench.Bench -Dbench.apps=200 ...
# Starts the control plane if needed, packages the operator, then runs the class with the test classpath.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
MVN=${MVN:-mvn -B -ntp -q}
main=$1; shift
hack/cluster.sh up >/dev/null
eval "$(hack/cluster.sh env)"
if [ -z "${SLIPWAY_SKIP_BUILD:-}" ]; then
  $MVN package -DskipTests
  $MVN test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
fi
# The JBoss LogManager (on the classpath through Quarkus) must be named before anything logs, or it prints an
# ERROR line about being accessed too early; surefire and failsafe set the same property.
exec java -Xmx1g -Djava.util.logging.manager=org.jboss.logmanager.LogManager "$@" -cp "target/test-classes:target/classes:$(cat target/test.classpath)" "$main"
