# Sourced by ./generate and ./lint: Node and npm must be there, and the tools pinned in package-lock.json installed.
ensure_tools() {
  local tool
  for tool in node npm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "$0: $tool is not installed; the contract tools need Node.js 20.19+ with npm (e.g. apt-get install nodejs npm)" >&2
      exit 2
    fi
  done
  # npm ci once, and again only when the lockfile changed since
  if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
}
