#!/usr/bin/env bash
# A local DeviceTwins cluster on one machine: the standalone embedded Kafka-protocol cluster, a Redis server with an
# append-only file, and N silo processes (Redis clustering, each with its co-hosted REST API), optionally the
# simulator. Everything lives under .devicetwins/cluster (pids, logs, Redis data).
#
#   scripts/cluster.sh start [silos]     start Kafka, Redis and the silos (default 3), build first if needed
#   scripts/cluster.sh simulate [devices] [rate]   run the simulator against the cluster until Ctrl+C
#   scripts/cluster.sh status            what runs, and each silo's health
#   scripts/cluster.sh kill N            SIGKILL silo N (a crash)
#   scripts/cluster.sh stop-silo N       SIGTERM silo N (graceful: drains, writes, commits, leaves)
#   scripts/cluster.sh restart N         start silo N again (after kill or stop-silo)
#   scripts/cluster.sh stop              stop everything (silos gracefully first) and discard the data
#
# Silo N listens on API port 5080+N, silo port 11111+N, gateway port 30000+N. REDIS_PORT (6390) moves Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
state="$root/.devicetwins/cluster"
redis_port=${REDIS_PORT:-6390}
silo_dll="$root/src/Silo/bin/Release/net10.0/DeviceTwins.Silo.dll"
simulator_dll="$root/src/Simulator/bin/Release/net10.0/DeviceTwins.Simulator.dll"
service_id=${SERVICE_ID:-devicetwins-local}

build() {
  if [ ! -f "$silo_dll" ] || [ ! -f "$simulator_dll" ]; then
    dotnet build "$root/DeviceTwins.sln" -c Release -v minimal -nologo -nodeReuse:false -p:UseSharedCompilation=false >/dev/null
  fi
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start_silo() {
  local n=$1
  if alive "$state/silo-$n.pid"; then echo "silo $n already runs (pid $(cat "$state/silo-$n.pid"))"; return 0; fi
  # exec: the recorded pid is the silo's own, so kill reaches it, and no shell keeps the caller's output open.
  (cd "$state" && exec env \
    Kafka__BootstrapServers="$(cat "$state/.devicetwins/bootstrap.servers")" \
    Kafka__FetchWaitMax=00:00:00.010 \
    Redis__ConnectionString="127.0.0.1:$redis_port" \
    Orleans__ServiceId="$service_id" Orleans__ClusterId="$service_id" \
    Orleans__SiloPort=$((11111 + n)) Orleans__GatewayPort=$((30000 + n)) Mqtt__Port=$((1883 + n)) \
    Api__Urls="http://127.0.0.1:$((5080 + n))" Simulator__Enabled=false \
    nohup dotnet "$silo_dll" >>"$state/silo-$n.log" 2>&1 </dev/null) &
  echo $! >"$state/silo-$n.pid"
  for _ in $(seq 1 600); do
    if curl -fs "http://127.0.0.1:$((5080 + n))/health/ready" >/dev/null 2>&1; then
      echo "silo $n ready: http://127.0.0.1:$((5080 + n)) (pid $(cat "$state/silo-$n.pid"), log $state/silo-$n.log)"
      return 0
    fi
    alive "$state/silo-$n.pid" || { echo "silo $n exited; see $state/silo-$n.log"; return 1; }
    sleep 0.2
  done
  echo "silo $n did not become ready; see $state/silo-$n.log"
  return 1
}

stop_pid() {
  local file=$1 signal=${2:-TERM}
  if alive "$file"; then
    local pid
    pid=$(cat "$file")
    kill -"$signal" "$pid" 2>/dev/null || true
    for _ in $(seq 1 1200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$file"
}

case "${1:-}" in
  start)
    silos=${2:-3}
    build
    mkdir -p "$state/redis"
    if ! redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
      redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$state/redis" --appendonly yes --save "" \
        --daemonize yes --pidfile "$state/redis.pid" --logfile "$state/redis.log"
      for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
    fi
    echo "Redis: 127.0.0.1:$redis_port"
    if ! alive "$state/kafka.pid"; then
      rm -f "$state/.devicetwins/bootstrap.servers" "$state/.devicetwins/kafka-control"
      (cd "$state" && exec nohup dotnet "$silo_dll" embedded-kafka >>"$state/kafka.log" 2>&1 </dev/null) &
      echo $! >"$state/kafka.pid"
      # The control API's file is written last.
      for _ in $(seq 1 300); do [ -f "$state/.devicetwins/kafka-control" ] && break; sleep 0.1; done
    fi
    echo "Kafka: $(cat "$state/.devicetwins/bootstrap.servers") (control API $(cat "$state/.devicetwins/kafka-control" 2>/dev/null || echo none))"
    for n in $(seq 0 $((silos - 1))); do start_silo "$n"; done
    echo "API key (development, shared by the silos): $state/.devicetwins/api-key"
    ;;
  simulate)
    build
    exec dotnet "$simulator_dll" --Simulator:BootstrapServers="$(cat "$state/.devicetwins/bootstrap.servers")" \
      --Simulator:Devices="${2:-1000}" --Simulator:RatePerSecond="${3:-500}"
    ;;
  status)
    alive "$state/kafka.pid" && echo "Kafka: pid $(cat "$state/kafka.pid"), $(cat "$state/.devicetwins/bootstrap.servers")" || echo "Kafka: not running"
    redis-cli -p "$redis_port" ping >/dev/null 2>&1 && echo "Redis: 127.0.0.1:$redis_port" || echo "Redis: not running"
    for file in "$state"/silo-*.pid; do
      [ -f "$file" ] || continue
      n=$(basename "$file" .pid); n=${n#silo-}
      if alive "$file"; then
        echo "silo $n: pid $(cat "$file"), ready: $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$((5080 + n))/health/ready")"
      else
        echo "silo $n: not running"
      fi
    done
    ;;
  kill) stop_pid "$state/silo-$2.pid" KILL; echo "silo $2 killed" ;;
  stop-silo) stop_pid "$state/silo-$2.pid" TERM; echo "silo $2 stopped" ;;
  restart) start_silo "$2" ;;
  stop)
    for file in "$state"/silo-*.pid; do [ -f "$file" ] && stop_pid "$file" TERM; done
    stop_pid "$state/kafka.pid" TERM
    # The embedded cluster's records are gone with its process; twins remember Kafka offsets, so their state goes too.
    redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
    rm -rf "$state/redis" "$state/redis.pid"
    echo "stopped; the embedded cluster kept its records in memory, so the twins' Redis data was discarded with them"
    ;;
  *)
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
