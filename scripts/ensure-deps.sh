#!/usr/bin/env bash
# Installs and starts what the tests need when it is missing: a Redis server
# (from the OS packages) listening on 127.0.0.1:6379, redis-cli (which the
# Redis Cluster tests use to create the cluster they start on their own
# ports), and Chromium for the browser tests. Safe to run again: it does
# nothing when all is there.
set -euo pipefail

need_apt=()
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || need_apt+=(redis-tools)
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1 \
  && ! command -v google-chrome >/dev/null 2>&1; then
  need_apt+=(chromium)
fi

if [ ${#need_apt[@]} -gt 0 ]; then
  echo "ensure-deps: installing ${need_apt[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

redis_up() {
  if command -v redis-cli >/dev/null 2>&1; then
    redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG
  else
    (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null
  fi
}

if ! redis_up; then
  echo "ensure-deps: starting redis-server on 127.0.0.1:6379"
  mkdir -p /tmp/rxsse-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /tmp/rxsse-redis --logfile /tmp/rxsse-redis/redis.log
  for _ in $(seq 1 50); do redis_up && break; sleep 0.1; done
  redis_up || { echo "ensure-deps: redis-server did not start" >&2; exit 1; }
fi
echo "ensure-deps: redis, redis-cli and chromium ready"
