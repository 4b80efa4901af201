#!/usr/bin/env bash
# Creates the standard base tags the repository's Dockerfiles start FROM, on a machine that
# reaches no registry, so the same Dockerfiles and compose file build unchanged (docs/adr/0016):
#   debian:bookworm-slim        mmdebstrap (minbase) from this machine's apt sources, docker import;
#                               it trusts the CAs this machine added (/usr/local/share/ca-certificates),
#                               so builds behind a TLS-inspecting proxy reach Maven Central and npm
#   node:<N>-bookworm-slim      that base plus this machine's Node <N> binary and npm, user node (1000)
#   golang:<X.Y>-bookworm       that base plus this machine's Go X.Y toolchain
# A tag that already exists is kept (a user with a registry has pulled the real one).
# Then checks that every FROM in the repository's Dockerfiles names a tag that exists.
set -euo pipefail
cd "$(dirname "$0")/../.."

have() { docker image inspect "$1" >/dev/null 2>&1; }
timed() { local t0=$SECONDS; "$@"; echo "[base-images] $1 done in $((SECONDS - t0)) s"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

debian_base() {
  # The host's apt sources (deb822 or one-line), so apt inside images reaches the same mirror.
  local sources=()
  for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list /etc/apt/sources.list; do
    [ -s "$f" ] && grep -q bookworm "$f" && sources+=("$f")
  done
  [ ${#sources[@]} -gt 0 ] || { echo "[base-images] no bookworm apt source on this machine" >&2; exit 1; }
  echo "[base-images] debian:bookworm-slim: mmdebstrap from ${sources[*]}"
  local hooks=()
  compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null &&
    hooks=(--customize-hook='copy-in /usr/local/share/ca-certificates /usr/local/share'
      --customize-hook='chroot "$1" update-ca-certificates --fresh >/dev/null 2>&1')
  mmdebstrap --quiet --variant=minbase --include=ca-certificates --dpkgopt=path-exclude=/usr/share/doc/* \
    --dpkgopt=path-exclude=/usr/share/man/* "${hooks[@]}" bookworm "$work/rootfs.tar" "${sources[@]}"
  docker import --change 'CMD ["bash"]' "$work/rootfs.tar" debian:bookworm-slim >/dev/null
}

node_base() {
  local tag=$1 ctx="$work/node"
  mkdir -p "$ctx"
  cp "$(readlink -f "$(command -v node)")" "$ctx/node"
  cp -r "$(dirname "$(readlink -f "$(command -v npm)")")/.." "$ctx/npm"
  cat >"$ctx/Dockerfile" <<'DOCKERFILE'
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libstdc++6 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
COPY node /usr/local/bin/node
# Node bundles its own CA list; this makes it (and npm) trust the system's, as the host does.
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx && node --version && npm --version
CMD ["node"]
DOCKERFILE
  echo "[base-images] $tag: the host's Node $(node --version)"
  DOCKER_BUILDKIT=0 docker build -q -t "$tag" "$ctx" >/dev/null
}

golang_base() {
  local tag=$1 ctx="$work/go"
  mkdir -p "$ctx"
  cp -r "$(go env GOROOT)" "$ctx/go"
  cat >"$ctx/Dockerfile" <<'DOCKERFILE'
FROM debian:bookworm-slim
COPY go /usr/local/go
ENV GOPATH=/go PATH=/go/bin:/usr/local/go/bin:$PATH
RUN go version
DOCKERFILE
  echo "[base-images] $tag: the host's $(go version | cut -d' ' -f3)"
  DOCKER_BUILDKIT=0 docker build -q -t "$tag" "$ctx" >/dev/null
}

have debian:bookworm-slim || timed debian_base
if command -v node >/dev/null; then
  node_tag="node:$(node -p 'process.versions.node.split(".")[0]')-bookworm-slim"
  have "$node_tag" || timed node_base "$node_tag"
fi
if command -v go >/dev/null; then
  go_tag="golang:$(go env GOVERSION | sed -E 's/^go([0-9]+\.[0-9]+).*/\1/')-bookworm"
  have "$go_tag" || timed golang_base "$go_tag"
fi

missing=0
dockerfiles=$(find apps infra -name '*Dockerfile' -not -path '*/node_modules/*')
for from in $(grep -hiE '^FROM ' $dockerfiles | awk '{print $2}' | sort -u); do
  grep -qiE "^FROM .* AS ${from}\$" $dockerfiles && continue # a build stage, not an image
  have "$from" || { echo "[base-images] no image $from: install Node/Go of that version or pull it" >&2; missing=1; }
done
exit $missing
