#!/usr/bin/env bash
# Installs (from the committed lockfile), starts, stops and checks the Azurite storage emulator
# that the demo and the tests run against. Usage: .ci/azurite.sh install|start|stop|status|restart
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="$here/azurite"
data="${AZURITE_DATA:-$dir/data}"
pidfile="$dir/azurite.pid"
log="$dir/azurite.log"

listening() {
  # All three services must answer before callers may use the emulator.
  for port in 10000 10001 10002; do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || return 1
  done
}

install() {
  if [ ! -x "$dir/node_modules/.bin/azurite" ]; then
    echo "azurite: installing from .ci/azurite/package-lock.json" >&2
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
}

start() {
  if listening; then echo "azurite: already running" >&2; return 0; fi
  install
  mkdir -p "$data"
  # --skipApiVersionCheck: current Azure SDKs send API versions newer than Azurite knows.
  # AZURITE_IN_MEMORY=1 keeps everything in memory (faster; lost when Azurite stops).
  local persistence=()
  if [ "${AZURITE_IN_MEMORY:-0}" = "1" ]; then persistence=(--inMemoryPersistence); fi
  nohup "$dir/node_modules/.bin/azurite" --silent --skipApiVersionCheck --loose "${persistence[@]}" \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
    --location "$data" >"$log" 2>&1 &
  echo $! >"$pidfile"
  for _ in $(seq 1 100); do
    if listening; then echo "azurite: started (pid $(cat "$pidfile"))" >&2; return 0; fi
    sleep 0.2
  done
  echo "azurite: did not start within 20 s; see $log" >&2
  cat "$log" >&2 || true
  return 1
}

stop() {
  if [ -f "$pidfile" ]; then
    kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  fi
  pkill -f "$dir/node_modules/.bin/azurite" 2>/dev/null || true
}

case "${1:-start}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  restart) stop; sleep 1; start ;;
  status) if listening; then echo running; else echo stopped; exit 1; fi ;;
  *) echo "usage: $0 install|start|stop|status|restart" >&2; exit 2 ;;
esac
