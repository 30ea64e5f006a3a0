#!/usr/bin/env bash
# make install-plugin: installs kubectl-slipway into $BINDIR (default ~/.local/bin), with its libraries in
# $PLUGIN_HOME (default ~/.local/share/slipway/plugin). kubectl finds it on the PATH as `kubectl slipway`.
# A class-data-sharing archive made by a training run cuts the JVM's start-up (measured: see README).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BINDIR=${BINDIR:-$HOME/.local/bin}
PLUGIN_HOME=${PLUGIN_HOME:-$HOME/.local/share/slipway/plugin}
app=$REPO/target/quarkus-app
[ -f "$app/quarkus-run.jar" ] || { echo "build first: make build" >&2; exit 1; }

rm -rf "$PLUGIN_HOME" && mkdir -p "$PLUGIN_HOME/lib" "$BINDIR"
cp "$app"/lib/main/*.jar "$app"/app/*.jar "$PLUGIN_HOME/lib/"
# The operator logs through JBoss LogManager; a command-line tool prints only its own words.
rm -f "$PLUGIN_HOME"/lib/*slf4j-jboss-logmanager*.jar
JAVA_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k \
-Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider -Dslf4j.internal.verbosity=ERROR"
# Training run: archive the classes `list` loads (client, TLS, models) for class-data sharing; it works
# without a cluster too (the classes of the failure path are archived instead).
java $JAVA_OPTS -XX:ArchiveClassesAtExit="$PLUGIN_HOME/cli.jsa" -cp "$PLUGIN_HOME/lib/*" dev.slipway.cli.SlipwayCli \
  list -A >/dev/null 2>&1 || true
cat > "$BINDIR/kubectl-slipway" <<LAUNCHER
#!/bin/sh
# kubectl-slipway, installed by 'make install-plugin' from $REPO
exec java $JAVA_OPTS -XX:SharedArchiveFile="$PLUGIN_HOME/cli.jsa" -Xshare:auto \\
  -cp "$PLUGIN_HOME/lib/*" dev.slipway.cli.SlipwayCli "\$@"
LAUNCHER
chmod +x "$BINDIR/kubectl-slipway"
echo "installed $BINDIR/kubectl-slipway (libraries in $PLUGIN_HOME)"
case ":$PATH:" in *":$BINDIR:"*) ;; *) echo "note: $BINDIR is not on your PATH" ;; esac
