#!/usr/bin/env bash
# Benchmark of the dispatcher (issue 5 §6): builds dispatch_bench (RelWithDebInfo), starts one sink
# (nginx from Debian answering every POST with 204, no logging, one worker), then REPEAT times, in
# alternating order, the durable run (real runner, real SQLite file, N placements due at one instant)
# and the bare POST loop (same client, body, signing, concurrency, no database), each in its own
# process, both to that sink; then the nominal run (RATE placements due each second for SECONDS s)
# for lateness; then the store run (the outbox alone on one thread: claims, bodies and records of
# N deliveries without network; its "seconds" are CPU seconds, per_s deliveries per CPU second).
# The sink's own request counter (stub_status) is checked against every phase.
# Prints the raw rows and a Markdown table of medians.
# Usage: bench/dispatch/run.sh
#   BUILD=dir         build directory (default: build, configured with the dev preset if new)
#   N=n               dispatches in the durable and bare runs (default 20000)
#   CONCURRENCY=c     the target's concurrency = the bare loop's workers (default 64)
#   RATE=r NOMINAL_SECONDS=s  nominal load (default 500 due per second for 20 s)
#   REPEAT=k          repetitions (default 5; medians reported, and the median of the durable / bare
#                     ratios of each repetition)
#   PIN=1             pin: the bench process (io and db threads) on core 0, nginx on core 1 (default:
#                     no pinning, as a server runs; see docs/benchmarks.md for why)
#   KEEP=file         also copy the raw TSV rows there
set -euo pipefail
cd "$(dirname "$0")/../.."

build=${BUILD:-build}
n=${N:-20000}
concurrency=${CONCURRENCY:-64}
rate=${RATE:-500}
seconds=${NOMINAL_SECONDS:-20}
repeat=${REPEAT:-5}
pin=${PIN:-0}
sink=nginx
port=18090

if [ ! -f "$build/CMakeCache.txt" ]; then
  if [ "$build" = build ]; then
    cmake --preset dev >/dev/null
  else
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=g++ >/dev/null
  fi
fi
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt")
case "$build_type" in
  Release|RelWithDebInfo) ;;
  *) echo "$build is a '$build_type' build: benchmark a Release or RelWithDebInfo build (BUILD=dir)" >&2; exit 1 ;;
esac
cmake --build "$build" --target dispatch_bench >/dev/null
bench="$build/bench/dispatch/dispatch_bench"

work=$(mktemp -d /tmp/loa-dispatch-bench.XXXXXX)
chmod 755 "$work"
nginx_pid=
cleanup() {
  if [ -n "$nginx_pid" ]; then kill "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

on_core() {  # on_core CORE command…: pinned when PIN=1
  local core=$1; shift
  if [ "$pin" = 1 ]; then taskset -c "$core" "$@"; else "$@"; fi
}

url_args=()
count_requests() { echo 0; }
if [ "$sink" = nginx ]; then
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "nginx is missing: scripts/deps.sh bench" >&2; exit 1; }
  mkdir -p "$work/tmp"
  cat > "$work/nginx.conf" <<NGINX
daemon off;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx.err;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  server {
    listen 127.0.0.1:$port backlog=4096;
    location = /status { stub_status; }
    location / { return 204; }
  }
}
NGINX
  # Not through on_core: $! must be nginx's own pid (taskset execs it), or the cleanup misses it.
  if [ "$pin" = 1 ]; then taskset -c 1 /usr/sbin/nginx -c "$work/nginx.conf" & else /usr/sbin/nginx -c "$work/nginx.conf" & fi
  nginx_pid=$!
  for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/status" >/dev/null && break; sleep 0.1; done
  url_args=(--url "http://127.0.0.1:$port/hook")
  # Requests nginx has answered so far (stub_status counts the status request itself too).
  count_requests() { curl -fs "http://127.0.0.1:$port/status" | awk 'NR == 3 { print $3 }'; }
fi

commit=${LOA_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)}
if git rev-parse HEAD >/dev/null 2>&1 && ! git diff --quiet HEAD -- core scheduler server tests/support bench/dispatch 2>/dev/null; then
  commit="$commit + uncommitted changes"
fi
echo "build: $build ($build_type), commit $commit, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); sink: $sink$( [ "$sink" = nginx ] && /usr/sbin/nginx -v 2>&1 | sed 's/^nginx version: / /'); pinned: $( [ "$pin" = 1 ] && echo 'bench core 0, sink core 1' || echo no)"
echo

rows="$work/rows.tsv"
"$bench" --header | sed 's/$/\tsink_seen\tload1/' >"$rows"
phase() {  # phase NAME extra args…: one row, with the sink's count of requests and the load
  local name=$1; shift
  local before after seen
  before=$(count_requests)
  echo "dispatch bench: $name (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  local row
  row=$(on_core 0 "$bench" --phase "$name" "${url_args[@]}" --concurrency "$concurrency" "$@")
  after=$(count_requests)
  if [ "$sink" = nginx ]; then seen=$(( after - before - 1 )); else seen=-; fi
  printf '%s\t%s\t%s\n' "$row" "$seen" "$(cut -d' ' -f1 /proc/loadavg)" >>"$rows"
}
for r in $(seq 1 "$repeat"); do
  if [ $(( r % 2 )) = 1 ] || [ ! -f "$work/durable.db" ]; then
    phase durable --db "$work/durable.db" --n "$n"
    phase bare --db "$work/durable.db" --n "$n"
  else
    phase bare --db "$work/durable.db" --n "$n"   # the body of the previous durable run
    phase durable --db "$work/durable.db" --n "$n"
  fi
  phase nominal --db "$work/nominal.db" --rate "$rate" --seconds "$seconds"
  phase store --db "$work/store.db" --n "$n"
done

column -t -s $'\t' "$rows"
echo
# Medians per phase (the middle value of REPEAT runs; for an even count, the lower middle).
awk -F'\t' -v reps="$repeat" '
  function median(list,   a, k, i, j, t) {  # insertion sort: mawk has no asort
    k = split(list, a, " ")
    for (i = 2; i <= k; ++i) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; --j) a[j + 1] = a[j]; a[j + 1] = t }
    return a[int((k + 1) / 2)]
  }
  NR > 1 { p = $1; n[p] = $3; rate[p] = rate[p] " " $7; secs[p] = secs[p] " " $6; bytes[p] = $8
           if (p == "durable") { dur[++nd] = $7; dio[nd] = $12 } else if (p == "bare") { bar[++nb] = $7; bio[nb] = $12 }
           if ($9 != "-") { p50[p] = p50[p] " " $9; p99[p] = p99[p] " " $10; mx[p] = mx[p] " " $11 }
           load[p] = load[p] " " $14; bad[p] += $5 }
  END {
    d = median(rate["durable"]); b = median(rate["bare"])
    print "| run | dispatches | body bytes | per second (median of " reps ") | seconds | lateness p50 / p99 / max (s) | not delivered | load (1 min) |"
    print "| --- | --- | --- | --- | --- | --- | --- | --- |"
    split("bare durable nominal store", order, " ")
    for (i = 1; i <= 4; ++i) {
      p = order[i]; if (!(p in rate)) continue
      late = (p in p50) ? median(p50[p]) " / " median(p99[p]) " / " median(mx[p]) : "–"
      printf "| %s | %s | %s | %s | %s | %s | %d | %s |\n", p, n[p], bytes[p], median(rate[p]), median(secs[p]), late, bad[p], load[p]
    }
    if ("store" in rate) printf "\nstore (the outbox alone, one thread, no network): %.1f us of CPU per delivery (median)\n", 1e6 / median(rate["store"])
    printf "\ndurable / bare: %.2f (medians)\n", d / b
    # The k-th durable and bare runs ran back to back in one repetition: their ratio is not moved by
    # what the machine did in another repetition (its speed drifts by tens of percent between runs).
    ratios = ""
    for (k = 1; k <= nd && k <= nb; ++k) ratios = ratios " " sprintf("%.2f", dur[k] / bar[k])
    if (ratios != "") printf "durable / bare per repetition:%s; median %.2f\n", ratios, median(ratios)
    # The io thread does the same work per delivery in both loops (connect, POST, read, close; the
    # runner signs on its db thread): its CPU per delivery shows how fast the machine ran. Where the
    # two phases of a repetition differ in it by more than 20 %, the machine changed speed between
    # them, and their ratio says more about the machine than about the loops.
    speeds = ""; held = ""
    for (k = 1; k <= nd && k <= nb; ++k) {
      s = dio[k] / bio[k]; speeds = speeds " " sprintf("%.2f", s)
      if (s >= 1 / 1.2 && s <= 1.2) held = held " " sprintf("%.2f", dur[k] / bar[k])
    }
    if (speeds != "") printf "io thread CPU per delivery, durable / bare per repetition:%s\n", speeds
    if (held != "") printf "durable / bare where it held within 20 %%:%s; median %.2f\n", held, median(held)
  }' "$rows"
if [ -n "${KEEP:-}" ]; then cp "$rows" "$KEEP"; fi
