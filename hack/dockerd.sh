#!/usr/bin/env bash
# Docker for the image builds and Testcontainers: Debian's docker.io, started here when no engine answers
# (machines of this kind have no init system that would start it).
#   hack/dockerd.sh start   install docker.io if missing; start dockerd unless an engine already answers
#   hack/dockerd.sh stop    stop the dockerd this script started (by its PID), nothing else
set -euo pipefail
RUN=/run/slipway-dockerd
log() { printf '[dockerd] %s\n' "$*" >&2; }
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cmd_start() {
  if docker info >/dev/null 2>&1; then return 0; fi
  if ! command -v dockerd >/dev/null; then
    log "installing Debian's docker.io"
    apt_install docker.io || { log "apt-get install docker.io failed"; exit 1; }
  fi
  mkdir -p "$RUN"
  setsid dockerd --pidfile "$RUN/dockerd.pid.own" >"$RUN/dockerd.log" 2>&1 </dev/null &
  echo $! > "$RUN/dockerd.pid"
  local deadline=$((SECONDS + 60))
  until docker info >/dev/null 2>&1; do
    kill -0 "$(cat "$RUN/dockerd.pid")" 2>/dev/null || { tail -20 "$RUN/dockerd.log" >&2; log "dockerd exited"; exit 1; }
    [ $SECONDS -lt $deadline ] || { tail -20 "$RUN/dockerd.log" >&2; log "dockerd not answering after 60s"; exit 1; }
    sleep 0.5
  done
  log "dockerd up (pid $(cat "$RUN/dockerd.pid"), log $RUN/dockerd.log)"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) stop_pid_file "$RUN/dockerd.pid" dockerd >/dev/null ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
