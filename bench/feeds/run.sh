#!/usr/bin/env bash
# Benchmark of the media feeds (docs/benchmarks.md, "Feeds"), in one run:
#  1. wrk against loa's cached 50-entry Atom feed (an outlet's schedule, with its feed token) and
#     against nginx serving the same bytes from a file: 200s, then 304s (If-None-Match with each
#     server's own ETag), with 1 and then 2 server threads / nginx workers (wrk -t the same);
#  2. feed_render_bench: what a cache miss of a 100-entry feed costs (read + render + gzip), pinned
#     to one core.
# Usage: bench/feeds/run.sh [SECONDS] [CONNECTIONS]    (LOA=path/to/loa, BUILD=dir with the bench,
# REPEAT=n: every wrk measurement n times, loa and nginx alternating; the tables show medians)
set -euo pipefail
cd "$(dirname "$0")/../.."

build=${BUILD:-build}
loa=${LOA:-./$build/loa}
render_bench=./$build/bench/feeds/feed_render_bench
seconds=${1:-10}
conns=${2:-50}
repeat=${REPEAT:-3}
loa_port=18090
nginx_port=18091
# The benchmark campaign (bench/feeds/campaign.yaml) planned as of 30 June 2024; at 19:20 on 2 July
# bench-radio's window holds 50 placements, at 19:20 on 10 July bench-radio-week's holds 100.
plan_as_of=2024-06-30T00:00:00+07:00
serve_as_of=2024-07-02T19:20:00+07:00
render_now=2024-07-10T19:20:00+07:00

for tool in wrk curl taskset; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: scripts/deps.sh bench" >&2; exit 1; }
done
[ -x /usr/sbin/nginx ] || { echo "nginx is missing: scripts/deps.sh bench" >&2; exit 1; }
[ -x "$render_bench" ] || { echo "$render_bench is missing: cmake --build $build --target feed_render_bench" >&2; exit 1; }

work=$(mktemp -d /tmp/loa-feeds-bench.XXXXXX)
chmod 755 "$work"
pids=()
stop_all() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}
cleanup() { stop_all; rm -rf "$work"; }
trap cleanup EXIT

db="$work/loa.db"
"$loa" import --db "$db" bench/feeds/campaign.yaml >/dev/null
"$loa" plan --db "$db" --campaign bench-feeds --as-of "$plan_as_of" >/dev/null
token=$("$loa" token add --db "$db" --outlet bench-radio --label benchmark | tail -n 1)
path="/feeds/outlets/bench-radio/schedule.atom"

rps() {  # wrk's Requests/sec; extra arguments go to wrk (e.g. -H)
  local url=$1 threads=$2
  shift 2
  wrk -t"$threads" -c"$conns" -d"${seconds}s" "$@" "$url" | awk '/Requests\/sec/ {print $2}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

declare -A loa200 loa304 ngx200 ngx304
entries=0
bytes=0
for threads in 1 2; do
  printf 'access_log: off\nthreads: %s\n' "$threads" > "$work/loa.yaml"
  "$loa" serve --db "$db" --listen "127.0.0.1:$loa_port" --config "$work/loa.yaml" --as-of "$serve_as_of" \
    >"$work/loa.out" 2>"$work/loa.err" &
  pids+=($!)
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$loa_port/healthz" >/dev/null && break; sleep 0.1; done

  # The exact bytes loa serves, as nginx's file; each server's own ETag for the 304 runs.
  mkdir -p "$work/www"
  curl -fs -D "$work/loa.headers" -o "$work/www/schedule.atom" "http://127.0.0.1:$loa_port$path?token=$token"
  loa_etag=$(awk 'tolower($1) == "etag:" {sub(/\r$/, "", $2); print $2}' "$work/loa.headers")
  entries=$(grep -o '<entry>' "$work/www/schedule.atom" | wc -l)
  bytes=$(wc -c < "$work/www/schedule.atom")
  [ -n "$loa_etag" ] || { echo "loa sent no ETag" >&2; exit 1; }
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $loa_etag" "http://127.0.0.1:$loa_port$path?token=$token")
  [ "$status" = 304 ] || { echo "loa answered $status to its own ETag" >&2; exit 1; }

  cat > "$work/nginx.conf" <<NGINX
daemon off;
worker_processes $threads;
pid $work/nginx.pid;
error_log $work/nginx.err;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  types { application/atom+xml atom; }
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
  }
}
NGINX
  mkdir -p "$work/tmp"
  /usr/sbin/nginx -c "$work/nginx.conf" &
  pids+=($!)
  for _ in $(seq 50); do curl -fs -o /dev/null "http://127.0.0.1:$nginx_port/schedule.atom" && break; sleep 0.1; done
  ngx_etag=$(curl -fsI "http://127.0.0.1:$nginx_port/schedule.atom" | awk 'tolower($1) == "etag:" {sub(/\r$/, "", $2); print $2}')

  runs_l200=() runs_n200=() runs_l304=() runs_n304=()
  for _ in $(seq "$repeat"); do
    runs_l200+=("$(rps "http://127.0.0.1:$loa_port$path?token=$token" "$threads")")
    runs_n200+=("$(rps "http://127.0.0.1:$nginx_port/schedule.atom" "$threads")")
    runs_l304+=("$(rps "http://127.0.0.1:$loa_port$path?token=$token" "$threads" -H "If-None-Match: $loa_etag")")
    runs_n304+=("$(rps "http://127.0.0.1:$nginx_port/schedule.atom" "$threads" -H "If-None-Match: $ngx_etag")")
  done
  echo "threads $threads: loa 200 ${runs_l200[*]}; nginx 200 ${runs_n200[*]}; loa 304 ${runs_l304[*]}; nginx 304 ${runs_n304[*]}"
  loa200[$threads]=$(median "${runs_l200[@]}")
  ngx200[$threads]=$(median "${runs_n200[@]}")
  loa304[$threads]=$(median "${runs_l304[@]}")
  ngx304[$threads]=$(median "${runs_n304[@]}")
  stop_all
done

echo "Atom feed of bench-radio: $entries entries, $bytes bytes (identity), as of $serve_as_of"
echo
echo "| threads | response | loa req/s | nginx req/s | loa / nginx |"
echo "| --- | --- | --- | --- | --- |"
for threads in 1 2; do
  echo "| $threads | 200 | ${loa200[$threads]} | ${ngx200[$threads]} | $(ratio "${loa200[$threads]}" "${ngx200[$threads]}") |"
  echo "| $threads | 304 | ${loa304[$threads]} | ${ngx304[$threads]} | $(ratio "${loa304[$threads]}" "${ngx304[$threads]}") |"
done
echo
echo "loa, two threads / one: 200 $(ratio "${loa200[2]}" "${loa200[1]}")×, 304 $(ratio "${loa304[2]}" "${loa304[1]}")×" \
  "(nginx: 200 $(ratio "${ngx200[2]}" "${ngx200[1]}")×, 304 $(ratio "${ngx304[2]}" "${ngx304[1]}")×)"
echo
echo "Cache miss (bench-radio-week as of $render_now; read + render_atom + gzip; taskset -c 0):"
taskset -c 0 "$render_bench" --db "$db" --outlet bench-radio-week --now "$render_now" --runs 2000
echo
echo "wrk: -t = threads, -c$conns, -d${seconds}s, medians of $repeat; $(nproc) cores; $(date -u +%Y-%m-%d)"
