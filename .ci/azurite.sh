#!/usr/bin/env bash
# Installs (from the committed lockfile), starts, stops and checks the Azurite storage emulator
# that the demo and the tests run against. Usage: .ci/azurite.sh install|start|stop|status|restart|reset
# reset deletes everything stored in the emulator (its data folder) and starts it empty.
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
  # Every test run leaves its own tables, queues and blobs behind; a data folder of many hundred MB makes
  # Azurite slow to load and has made it die. Say so rather than fail later without a word.
  local size_mb
  size_mb=$(du -sm "$data" 2>/dev/null | cut -f1)
  if [ "${size_mb:-0}" -gt "${AZURITE_WARN_MB:-300}" ]; then
    echo "azurite: warning: $data holds ${size_mb} MB; if Azurite is slow or dies, run '.ci/azurite.sh reset' (deletes all emulator data)" >&2
  fi
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
  reset) stop; sleep 1; rm -rf "$data"; echo "azurite: data folder $data deleted" >&2; start ;;
  status) if listening; then echo running; else echo stopped; exit 1; fi ;;
  *) echo "usage: $0 install|start|stop|status|restart|reset" >&2; exit 2 ;;
esac
