#!/usr/bin/env bash
# Makes a Docker engine and Compose answer, idempotently (docs/adr/0016):
#   - installs docker.io, containerd, runc, iptables, mmdebstrap and docker-compose from apt
#     when they are missing (needs root; otherwise says what to install);
#   - starts dockerd in the background when no engine answers, with its data under the cache
#     (CHOREO_CACHE, default ~/.cache/choreo), so images survive between runs;
#   - makes `docker compose` (v2, which has `up --wait`) answer: Debian ships only v1.29, so v2
#     is built once from its Go module source (COMPOSE_VERSION) into the cache, then installed
#     as a CLI plugin.
# Prints nothing but one line per action it took.
set -euo pipefail

cache="${CHOREO_CACHE:-$HOME/.cache/choreo}"
packages=(docker.io containerd runc iptables mmdebstrap)
compose_version=v2.40.3

engine_answers() { docker info >/dev/null 2>&1; }

install_packages() {
  local missing=()
  for p in "${packages[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "[docker] missing: ${missing[*]}; install them with: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  echo "[docker] installing ${missing[*]} (apt)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null ||
    { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; }
}

start_dockerd() {
  mkdir -p "$cache/docker"
  echo "[docker] starting dockerd (data root $cache/docker, log $cache/dockerd.log)"
  nohup dockerd --data-root "$cache/docker" --pidfile "$cache/dockerd.pid" >>"$cache/dockerd.log" 2>&1 &
  local deadline=$((SECONDS + 60))
  until engine_answers; do
    if [ $SECONDS -gt $deadline ]; then
      echo "[docker] dockerd did not answer within 60 s; see $cache/dockerd.log" >&2
      tail -n 20 "$cache/dockerd.log" >&2
      exit 1
    fi
    sleep 0.5
  done
}

ensure_compose() {
  docker compose version >/dev/null 2>&1 && return 0
  local bin="$cache/bin/docker-compose-$compose_version" plugins="${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins"
  if [ ! -x "$bin" ]; then
    command -v go >/dev/null || { echo "[docker] Compose v2 is missing and Go is needed to build it (https://go.dev/dl/)" >&2; exit 1; }
    echo "[docker] building Compose $compose_version from its module source (once; several minutes)"
    local t0=$SECONDS dir
    dir=$(go mod download -json "github.com/docker/compose/v2@$compose_version" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
    mkdir -p "$cache/bin"
    (cd "$dir" && CGO_ENABLED=0 go build -trimpath -o "$bin.tmp" \
      -ldflags "-s -w -X github.com/docker/compose/v2/internal.Version=$compose_version" ./cmd)
    mv "$bin.tmp" "$bin"
    echo "[docker] Compose built in $((SECONDS - t0)) s"
  fi
  mkdir -p "$plugins"
  cp "$bin" "$plugins/docker-compose"
}

install_packages
engine_answers || start_dockerd
ensure_compose
