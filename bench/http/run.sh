#!/usr/bin/env bash
# Benchmark: loa's /healthz and a small JSON route under wrk, against nginx serving the same bytes
# from files, same number of server threads/workers, in the same run. Prints a Markdown table.
# Usage: bench/http/run.sh [THREADS] [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/../.."

loa=${LOA:-./build/loa}
threads=${1:-1}
seconds=${2:-10}
conns=${3:-50}
loa_port=18080
nginx_port=18081
work=$(mktemp -d /tmp/loa-bench.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "wrk is missing: scripts/deps.sh bench" >&2; exit 1; }
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "nginx is missing: scripts/deps.sh bench" >&2; exit 1; }

# loa with the bundled campaigns in a fresh database, access log off (nginx logs nothing either).
"$loa" import --db "$work/loa.db" campaigns/*.yaml >/dev/null
printf 'access_log: off\nthreads: %s\n' "$threads" > "$work/loa.yaml"
"$loa" serve --db "$work/loa.db" --listen "127.0.0.1:$loa_port" --config "$work/loa.yaml" \
  >"$work/loa.out" 2>"$work/loa.err" &
pids+=($!)
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$loa_port/healthz" >/dev/null && break; sleep 0.1; done

# The same bytes as files for nginx.
routes=(/healthz /api/v1/campaigns /api/v1/campaigns/haiphong-2024-anti-trafficking)
mkdir -p "$work/www"
for r in "${routes[@]}"; do
  name=$(echo "$r" | tr '/' '_')
  curl -fs "http://127.0.0.1:$loa_port$r" > "$work/www/$name.json"
done
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
  default_type application/json;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
  }
}
NGINX
mkdir -p "$work/tmp"
/usr/sbin/nginx -c "$work/nginx.conf" &
pids+=($!)
sleep 0.5

rps() {  # wrk's Requests/sec for a URL
  wrk -t"$threads" -c"$conns" -d"${seconds}s" "$1" | awk '/Requests\/sec/ {print $2}'
}

echo "| route | bytes | loa req/s | nginx req/s | loa / nginx |"
echo "| --- | --- | --- | --- | --- |"
for r in "${routes[@]}"; do
  name=$(echo "$r" | tr '/' '_')
  bytes=$(wc -c < "$work/www/$name.json")
  a=$(rps "http://127.0.0.1:$loa_port$r")
  b=$(rps "http://127.0.0.1:$nginx_port/$name.json")
  ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')
  echo "| \`$r\` | $bytes | $a | $b | $ratio |"
done
echo
echo "threads/workers: $threads, wrk: -t$threads -c$conns -d${seconds}s, $(nproc) cores, $(date -u +%Y-%m-%d)"
