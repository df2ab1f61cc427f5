#!/usr/bin/env bash
# A private container engine for the compose stack test: `podman system service` in a network namespace of its
# own (so no port clashes and the host's iptables stay untouched), reachable from the host through a veth pair,
# with its own storage under DIR, and a loop that runs the containers' healthchecks (podman 4.3 schedules them
# only with systemd). docker-compose v1 drives it through DOCKER_HOST.
#   stack.sh start DIR   starts it all; prints the variables to export (KEY=VALUE lines) and the engine's address
#   stack.sh stop DIR    stops the engine and removes the namespace, the veth pair and the storage
# Runs as root (rootful podman; ip netns).
set -euo pipefail
command="$1"
dir="$(mkdir -p "$2" && cd "$2" && pwd)"
name="cvn$(printf '%s' "$dir" | sha256sum | cut -c1-8)"
host_if="${name}h"
ns_if="${name}n"
subnet_octet=$(( 0x$(printf '%s' "$dir" | sha256sum | cut -c9-10) ))
host_ip="10.213.$subnet_octet.1"
ns_ip="10.213.$subnet_octet.2"

environment() {
  echo "CONTAINERS_CONF=$dir/containers.conf"
  echo "CONTAINERS_STORAGE_CONF=$dir/storage.conf"
  echo "DOCKER_HOST=unix://$dir/podman.sock"
  echo "CARAVAN_IT_ENGINE_ADDRESS=$ns_ip"
}

start() {
  stop_engine
  local nofile
  nofile=$(ulimit -Hn)
  cat >"$dir/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=32768:32768"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$dir/events.log"
CONF
  cat >"$dir/storage.conf" <<CONF
[storage]
driver = "overlay"
graphroot = "$dir/storage"
runroot = "$dir/run"
CONF
  ip netns add "$name"
  ip -n "$name" link set lo up
  ip link add "$host_if" type veth peer name "$ns_if"
  ip link set "$ns_if" netns "$name"
  ip addr add "$host_ip/30" dev "$host_if"
  ip link set "$host_if" up
  ip -n "$name" addr add "$ns_ip/30" dev "$ns_if"
  ip -n "$name" link set "$ns_if" up
  ip -n "$name" route add default via "$host_ip"
  export CONTAINERS_CONF="$dir/containers.conf" CONTAINERS_STORAGE_CONF="$dir/storage.conf"
  nohup nsenter --net="/run/netns/$name" podman system service --time=0 "unix://$dir/podman.sock" \
    >"$dir/service.log" 2>&1 &
  echo $! >"$dir/service.pid"
  # a session of its own, so that stopping ends the loop and the podman command it may be running (which would
  # mount the storage again after the stop unmounted it)
  setsid nohup bash -c "while sleep 2; do
      for id in \$(podman ps -q --filter health=starting) \$(podman ps -q --filter health=healthy) \
                \$(podman ps -q --filter health=unhealthy); do
        nsenter --net=/run/netns/$name podman healthcheck run \"\$id\" >/dev/null 2>&1 || true
      done
    done" >/dev/null 2>&1 &
  echo $! >"$dir/health.pid"
  for _ in $(seq 100); do
    [ -S "$dir/podman.sock" ] && break
    sleep 0.1
  done
  [ -S "$dir/podman.sock" ] || { cat "$dir/service.log" >&2; exit 1; }
  environment
}

stop_engine() {
  for pidfile in "$dir/health.pid" "$dir/service.pid"; do
    if [ -s "$pidfile" ]; then
      local pid
      pid=$(cat "$pidfile")
      kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
      for _ in $(seq 100); do # gone, children too, before the storage is unmounted, or they mount it again
        pgrep -s "$pid" >/dev/null 2>&1 || kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
      rm -f "$pidfile"
    fi
  done
  # a container's end starts its monitor's `podman container cleanup` (with --root under DIR) on its own time,
  # and monitors of exec sessions can outlive their containers: none may touch the storage after it is unmounted
  for _ in $(seq 50); do
    pgrep -f "$dir/" >/dev/null || break
    sleep 0.2
  done
  pkill -9 -f "$dir/" 2>/dev/null || true
  ip link del "$host_if" 2>/dev/null || true
  ip netns del "$name" 2>/dev/null || true
}

stop() {
  if [ -f "$dir/storage.conf" ]; then
    CONTAINERS_CONF="$dir/containers.conf" CONTAINERS_STORAGE_CONF="$dir/storage.conf" \
      podman system reset --force >/dev/null 2>&1 || true
  fi
  stop_engine
  # podman's overlay driver mounts its own folder; nothing may stay mounted under DIR
  for _ in $(seq 10); do
    mounts=$(awk -v dir="$dir/" 'index($2, dir) == 1 { print $2 }' /proc/mounts | sort -r)
    [ -z "$mounts" ] && break
    for mounted in $mounts; do
      umount "$mounted" 2>/dev/null || umount -l "$mounted" 2>/dev/null || true
    done
    sleep 0.3
  done
  rm -rf "$dir/storage" "$dir/run"
}

case "$command" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: stack.sh start|stop DIR" >&2; exit 2 ;;
esac
