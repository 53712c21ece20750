# shellcheck shell=bash
# Source this file to run on Node 24 LTS when the machine's Node is older than the project
# supports (>=22.19). The npm registry serves Node itself: the platform package
# node-<os>-<arch> carries the binary and its C headers. It is installed once into a cache
# outside the clone, its bin/ goes first on PATH, and npm_config_nodedir points native addons
# (better-sqlite3) at its headers.
#   . .ci/use-node.sh        # then node -v prints v24.x
NODE_WANTED_VERSION="${NODE_WANTED_VERSION:-24.21.0}"
NODE_MIN_MAJOR=22
NODE_MIN_MINOR=19

node_is_recent_enough() {
  command -v node >/dev/null 2>&1 || return 1
  node -e '
    const [maj, min] = process.versions.node.split(".").map(Number);
    const [wantMaj, wantMin] = process.argv.slice(1).map(Number);
    process.exit(maj > wantMaj || (maj === wantMaj && min >= wantMin) ? 0 : 1);
  ' "$NODE_MIN_MAJOR" "$NODE_MIN_MINOR"
}

if ! node_is_recent_enough; then
  case "$(uname -s)" in Linux) node_os=linux ;; Darwin) node_os=darwin ;; *) node_os=unknown ;; esac
  case "$(uname -m)" in x86_64|amd64) node_arch=x64 ;; aarch64|arm64) node_arch=arm64 ;; *) node_arch=unknown ;; esac
  node_pkg="node-${node_os}-${node_arch}"
  node_cache="${NODE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/article-ingest}/node-${NODE_WANTED_VERSION}"
  node_home="$node_cache/node_modules/$node_pkg"
  if [ ! -x "$node_home/bin/node" ]; then
    echo "Node $(node -v 2>/dev/null || echo none) is older than ${NODE_MIN_MAJOR}.${NODE_MIN_MINOR}: installing $node_pkg@$NODE_WANTED_VERSION into $node_cache" >&2
    mkdir -p "$node_cache"
    npm install --no-audit --no-fund --no-save --prefix "$node_cache" "$node_pkg@$NODE_WANTED_VERSION" >&2
  fi
  export PATH="$node_home/bin:$PATH"
  export npm_config_nodedir="$node_home"
  hash -r
  if ! node_is_recent_enough; then
    echo "error: could not bring Node $NODE_WANTED_VERSION (tried $node_home)" >&2
    return 1 2>/dev/null || exit 1
  fi
fi
