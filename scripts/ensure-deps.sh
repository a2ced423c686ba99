#!/usr/bin/env bash
# Installs and starts what the tests need when it is missing, from the OS
# packages (Debian, Ubuntu):
#   gcc and the C library headers  go test -race needs cgo
#   redis-server                   the Redis bus tests, on 127.0.0.1:6379
#   redis-tools (redis-cli)        the Redis Cluster tests create their cluster with it
#   chromium                       the browser tests of the example pages
#   CJK fonts                      the Chinese example pages (screenshots, readers)
# then starts redis-server when nothing answers on 127.0.0.1:6379.
#
# Safe to run again: it does nothing when all is there. When another apt or
# dpkg process holds the package lock (unattended upgrades on a fresh
# machine), it waits for it, up to RXSSE_APT_LOCK_WAIT seconds (600).
set -euo pipefail

lock_wait=${RXSSE_APT_LOCK_WAIT:-600}

has() { command -v "$1" >/dev/null 2>&1; }

# cgo_ok reports whether gcc can build against the C library (runtime/cgo
# includes stdlib.h and pthread.h).
cgo_ok() {
  has gcc || return 1
  printf '#include <stdlib.h>\n#include <pthread.h>\nint main(void){return 0;}\n' |
    gcc -x c -o /dev/null - >/dev/null 2>&1
}

# cjk_font_ok reports whether a font covering Chinese is installed.
cjk_font_ok() {
  if has fc-list; then
    [ -n "$(fc-list :lang=zh family 2>/dev/null)" ]
  else
    dpkg-query -W -f='${Status}\n' fonts-noto-cjk fonts-wqy-zenhei 2>/dev/null | grep -q 'install ok installed'
  fi
}

need_apt=()
cgo_ok || need_apt+=(gcc libc6-dev)
has redis-server || need_apt+=(redis-server)
has redis-cli || need_apt+=(redis-tools)
has chromium || has chromium-browser || has google-chrome || need_apt+=(chromium)
cjk_font_ok || need_apt+=(cjk-font) # resolved below, once the package lists are known

sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive

# apt_get runs apt-get, waiting while another process holds one of apt's
# locks. DPkg::Lock::Timeout covers the dpkg lock only; the package lists'
# and the archives' locks fail at once, so any lock failure is retried until
# lock_wait has passed.
apt_get() {
  local deadline=$((SECONDS + lock_wait)) err said=""
  err=$(mktemp)
  while :; do
    if "${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout="$lock_wait" "$@" 2>"$err"; then
      rm -f "$err"
      return 0
    fi
    if grep -qiE 'could not (get|open) lock|unable to (acquire|lock)' "$err" && [ "$SECONDS" -lt "$deadline" ]; then
      if [ -z "$said" ]; then
        echo "ensure-deps: waiting for the apt lock: $(grep -m1 -i 'lock' "$err")" >&2
        said=1
      fi
      sleep 3
      continue
    fi
    cat "$err" >&2
    rm -f "$err"
    return 1
  done
}

# candidate reports whether apt knows a version of package $1.
candidate() {
  local v
  v=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}')
  [ -n "$v" ] && [ "$v" != "(none)" ]
}

if [ ${#need_apt[@]} -gt 0 ]; then
  echo "ensure-deps: missing ${need_apt[*]}; updating the package lists"
  apt_get update -qq
  pkgs=()
  for p in "${need_apt[@]}"; do
    if [ "$p" = cjk-font ]; then
      if candidate fonts-noto-cjk; then
        p=fonts-noto-cjk
      elif candidate fonts-wqy-zenhei; then
        p=fonts-wqy-zenhei
      else
        echo "ensure-deps: no CJK font package (fonts-noto-cjk, fonts-wqy-zenhei) in the package lists" >&2
        exit 1
      fi
    fi
    pkgs+=("$p")
  done
  echo "ensure-deps: installing ${pkgs[*]}"
  apt_get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
  has fc-cache && fc-cache >/dev/null 2>&1 || true
fi

redis_up() {
  if has redis-cli; then
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
echo "ensure-deps: gcc, redis, redis-cli, chromium and CJK fonts ready"
