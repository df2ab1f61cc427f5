#!/usr/bin/env bash
# Builds local stand-ins for the images docker-compose.yml names, since none can be pulled here:
#   docker.io/library/eclipse-temurin:17-jre  Debian 12 with openjdk-17-jre-headless (the Dockerfile builds on it)
#   localhost/caravan-it/postgres:15          the same root with postgresql-15 and an entrypoint that honours
#                                             POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB
#   localhost/caravan-it/registry:2           Debian's docker-registry binary and its libraries, from scratch
# The root file system is built once with debootstrap from the Debian mirror apt uses, and cached.
# Usage: stand-ins.sh CACHE_DIR (podman's environment, CONTAINERS_CONF included, comes from the caller; with
# CARAVAN_IT_ENGINE=docker they go into the Docker engine DOCKER_HOST names instead)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="$1"
engine="${CARAVAN_IT_ENGINE:-podman}"
mkdir -p "$cache"
rootfs_tar="$cache/debian-jre-postgres.tar"

mirror() {
  local uri
  uri=$(grep -h -m1 -E '^(URIs:|deb ) *http' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
    | grep -v security | head -1 | sed -E 's/^URIs: *//; s/^deb +(\[[^]]*\] +)?//; s/ .*//')
  echo "${uri:-http://deb.debian.org/debian}"
}

build_rootfs() {
  local root="$cache/rootfs"
  rm -rf "$root"
  echo "stand-ins: debootstrap of Debian 12 from $(mirror) (a minute or two, once)" >&2
  debootstrap --variant=minbase bookworm "$root" "$(mirror)" >"$cache/debootstrap.log" 2>&1 \
    || { tail -20 "$cache/debootstrap.log" >&2; exit 1; }
  # no service starts inside the chroot (postgresql's package would start a server on the host's network)
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod +x "$root/usr/sbin/policy-rc.d"
  mkdir -p "$root/etc/postgresql-common"
  echo "create_main_cluster = false" >"$root/etc/postgresql-common/createcluster.conf"
  mount -t proc proc "$root/proc"
  trap 'umount "$root/proc" 2>/dev/null || true' EXIT
  chroot "$root" apt-get -o DPkg::Lock::Timeout=300 update >"$cache/apt.log" 2>&1
  DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get -o DPkg::Lock::Timeout=300 install -y \
    --no-install-recommends openjdk-17-jre-headless postgresql-15 >>"$cache/apt.log" 2>&1 \
    || { tail -20 "$cache/apt.log" >&2; exit 1; }
  chroot "$root" apt-get clean
  rm -f "$root/usr/sbin/policy-rc.d"
  umount "$root/proc"
  trap - EXIT
  install -m 0755 "$here/postgres-entrypoint.sh" "$root/usr/local/bin/postgres-entrypoint"
  tar -C "$root" -cf "$rootfs_tar.part" .
  mv "$rootfs_tar.part" "$rootfs_tar"
  rm -rf "$root"
}

[ -s "$rootfs_tar" ] || build_rootfs

"$engine" import --change 'CMD ["/bin/bash"]' "$rootfs_tar" docker.io/library/eclipse-temurin:17-jre >/dev/null
# the same layer, with the server's entrypoint
"$engine" build --quiet --tag localhost/caravan-it/postgres:15 --file - "$here" >/dev/null <<'CONTAINERFILE'
FROM docker.io/library/eclipse-temurin:17-jre
ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
ENV PGDATA=/var/lib/postgresql/data
ENTRYPOINT ["/usr/local/bin/postgres-entrypoint"]
# as the official image: a stop or restart is a fast shutdown that ends every session (SIGTERM would wait for them)
STOPSIGNAL SIGINT
CONTAINERFILE

registry_root="$cache/registry-root"
rm -rf "$registry_root"
mkdir -p "$registry_root/etc/docker/registry" "$registry_root/var/lib/registry"
binary=$(command -v docker-registry)
for file in "$binary" $(ldd "$binary" | grep -o '/[^ ]*'); do
  mkdir -p "$registry_root$(dirname "$file")"
  cp -L "$file" "$registry_root$file"
done
cat >"$registry_root/etc/docker/registry/config.yml" <<'YAML'
version: 0.1
storage:
  filesystem:
    rootdirectory: /var/lib/registry
http:
  addr: 0.0.0.0:5000
YAML
tar -C "$registry_root" -c . | "$engine" import \
  --change "ENTRYPOINT [\"$binary\", \"serve\", \"/etc/docker/registry/config.yml\"]" - \
  localhost/caravan-it/registry:2 >/dev/null
rm -rf "$registry_root"
echo "stand-ins: eclipse-temurin:17-jre, postgres:15 and registry:2 imported" >&2
