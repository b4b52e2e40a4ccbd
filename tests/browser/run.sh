#!/usr/bin/env bash
# Runs the browser flows: a fresh database with the shipped campaigns and test users, `loa serve` on a free loopback port, then Playwright/Chromium through `node --test`.
# Usage: tests/browser/run.sh PATH/TO/loa [flow files…]   (ctest: `ctest -L browser`)
# Exit: 0 all passed, 1 a failure, 77 skipped (ctest's SKIP_RETURN_CODE) when the binary has no
# `user` subcommand yet. Screenshots go to browser-screenshots/ beside the binary (not committed).
set -euo pipefail

skip=77
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

if [ $# -lt 1 ]; then
  echo "usage: $0 PATH/TO/loa [flow files…]" >&2
  exit 2
fi
loa=$(realpath "$1")
shift

chromium=${LOA_CHROMIUM:-/usr/bin/chromium}
for tool in node npm "$chromium"; do
  if ! command -v "$tool" >/dev/null; then
    echo "browser tests: $tool not found; install the test dependencies with scripts/deps.sh test" >&2
    exit 1
  fi
done

# playwright-core and `node --test --test-concurrency/--test-timeout` need Node.js 20 or later;
# Debian 12's own nodejs package is 18.
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "browser tests: Node.js $(node --version 2>/dev/null || echo '(none)') found, 20 or later needed (Debian 12's nodejs is 18; install Node.js 20, e.g. NodeSource's nodejs package)" >&2
  exit 1
fi

if ! "$loa" --help 2>/dev/null | grep -q '^  user '; then
  echo "browser tests: SKIPPED: $loa has no 'user' subcommand yet (loa user add creates the test accounts)"
  exit "$skip"
fi

# Node packages: `npm ci` only when node_modules is missing or the lock file changed since the last
# install (its hash is kept inside node_modules). A lock keeps two runs from installing at once.
# playwright-core never downloads a browser; the variable makes sure nothing tries.
(
  flock 9
  stamp="$here/node_modules/.loa-lock-sha256"
  want=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "browser tests: npm ci (node_modules missing or package-lock.json changed)"
    (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" >"$stamp"
  fi
) 9>"$here/.npm-ci.lock"

work=$(mktemp -d "${TMPDIR:-/tmp}/loa-browser.XXXXXX")
server_pid=""
cleanup() {
  local rc=$?
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "$rc" -ne 0 ] && [ "$rc" -ne "$skip" ] && [ -s "$work/server.err" ]; then
    echo "---- last lines of the server's stderr ----" >&2
    grep -v ' access ' "$work/server.err" | tail -n 40 >&2 || true
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

db="$work/loa.db"
"$loa" import --db "$db" "$root"/campaigns/*.yaml >"$work/import.log" 2>&1 || {
  cat "$work/import.log" >&2
  echo "browser tests: loa import failed" >&2
  exit 1
}

# The accounts: names with Vietnamese diacritics (as staff will have), random passwords per run.
declare -A names=(
  [admin]="admin"
  [approver]="Phạm Văn Duyệt"
  [editorEducation]="Lê Thị Giáo"
  [editorPolice]="Võ Công An"
  [viewer]="Đỗ Thị Xem"
)
declare -A roles=([admin]=admin [approver]=approver [editorEducation]=editor [editorPolice]=editor [viewer]=viewer)
declare -A departments=([editorEducation]=education [editorPolice]=police)
users_json="{"
sep=""
for key in admin approver editorEducation editorPolice viewer; do
  password="Mật-khẩu-$(head -c 12 /dev/urandom | base64 | tr -d '/+=')"
  dept_args=()
  if [ -n "${departments[$key]:-}" ]; then dept_args=(--department "${departments[$key]}"); fi
  if ! printf '%s\n' "$password" |
    "$loa" user add --db "$db" --name "${names[$key]}" --role "${roles[$key]}" "${dept_args[@]}" >"$work/user.log" 2>&1; then
    cat "$work/user.log" >&2
    echo "browser tests: loa user add ${names[$key]} failed" >&2
    exit 1
  fi
  users_json+="$sep\"$key\":{\"name\":\"${names[$key]}\",\"password\":\"$password\",\"role\":\"${roles[$key]}\",\"department\":\"${departments[$key]:-}\"}"
  sep=","
done
users_json+="}"

# The server on a free port; its first stdout line names it.
"$loa" serve --db "$db" --listen 127.0.0.1:0 >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
url=""
for _ in $(seq 1 200); do
  url=$(sed -n 's/^loa: listening on \(http:\/\/[^ ]*\)$/\1/p' "$work/server.out" | head -n 1)
  [ -n "$url" ] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "browser tests: loa serve exited before listening" >&2
    cat "$work/server.err" >&2
    exit 1
  fi
  sleep 0.05
done
if [ -z "$url" ]; then
  echo "browser tests: loa serve printed no listening line within 10 s" >&2
  exit 1
fi
echo "browser tests: server at $url"

screenshots="$(dirname "$loa")/browser-screenshots"
mkdir -p "$screenshots"

if [ $# -gt 0 ]; then
  flows=()
  for f in "$@"; do flows+=("$(realpath "$f")"); done
else
  flows=("$here"/flows/*.test.js)
fi

# Every flow file runs in its own process with its own Chromium; two at a time fit two cores.
set +e
(
  cd "$here"
  LOA_URL="$url" LOA_CAMPAIGN="haiphong-2024-anti-trafficking" LOA_USERS="$users_json" \
    LOA_SCREENSHOTS="$screenshots" LOA_CHROMIUM="$chromium" LOA_BINARY="$loa" LOA_DB="$db" \
    node --test --test-reporter=spec --test-concurrency="${LOA_BROWSER_JOBS:-2}" --test-timeout=180000 "${flows[@]}"
)
rc=$?
set -e
echo "browser tests: screenshots in $screenshots"

# The server must have lived through the run and must stop cleanly on SIGTERM.
if ! kill -0 "$server_pid" 2>/dev/null; then
  status=0
  wait "$server_pid" || status=$?
  server_pid=""
  echo "browser tests: FAILED: loa serve died during the run (exit status $status)" >&2
  exit 1
fi
kill -TERM "$server_pid"
for _ in $(seq 1 150); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$server_pid" 2>/dev/null; then
  echo "browser tests: FAILED: loa serve did not stop within 15 s of SIGTERM" >&2
  exit 1
fi
status=0
wait "$server_pid" || status=$?
server_pid=""
if [ "$status" -ne 0 ]; then
  echo "browser tests: FAILED: loa serve exited with status $status after SIGTERM" >&2
  exit 1
fi

if [ "$rc" -ne 0 ]; then
  echo "browser tests: FAILED (node --test exit $rc)" >&2
  exit 1
fi
exit 0
