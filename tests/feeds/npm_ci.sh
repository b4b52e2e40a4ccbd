#!/usr/bin/env bash
# Makes sure tests/browser/node_modules matches tests/browser/package-lock.json: `npm ci` only when
# node_modules is missing or the lock file changed since the last install (its hash is kept in
# node_modules/.loa-lock-sha256), under the same lock file as tests/browser/run.sh so two runs never
# install at once. Messages go to stderr (callers print JSON on stdout).
set -euo pipefail
browser=$(cd "$(dirname "$0")/../browser" && pwd)
for tool in node npm; do
  if ! command -v "$tool" >/dev/null; then
    echo "feeds: $tool not found; install the test dependencies with scripts/deps.sh test" >&2
    exit 1
  fi
done
(
  flock 9
  stamp="$browser/node_modules/.loa-lock-sha256"
  want=$(sha256sum "$browser/package-lock.json" | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "feeds: npm ci in tests/browser (node_modules missing or package-lock.json changed)" >&2
    (cd "$browser" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error) >&2
    echo "$want" >"$stamp"
  fi
) 9>"$browser/.npm-ci.lock"
