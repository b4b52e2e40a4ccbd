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
# playwright-core and `node --test --test-concurrency/--test-timeout` need Node.js 20 or later;
# Debian 12's own nodejs package is 18.
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "feeds: Node.js $(node --version 2>/dev/null || echo '(none)') found, 20 or later needed (Debian 12's nodejs is 18; install Node.js 20, e.g. NodeSource's nodejs package)" >&2
  exit 1
fi
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
