#!/usr/bin/env bash
# Benchmark of the planner (issue 4 §5): builds planner_bench (RelWithDebInfo, -O2), then runs every
# instance family × with/without separation rules × several seeds, each instance in processes of
# its own (REPEAT, the times their medians) pinned to core 0 (taskset -c 0): greedy baseline and
# make_plan timed on the steady clock,
# the validator on every plan (the run stops at the first violation), max RSS from getrusage, and
# for small and city-month the LP written and solved by CBC (`cbc FILE sec N solve solu OUT`, also
# on core 0) to compare optima and times. Prints Markdown tables.
# Usage: bench/planner/run.sh
#   BUILD=dir         build directory (default: build, configured with the dev preset if new)
#   CBC_SECONDS=n     CBC's time limit per instance (default 300; timeout(1) ends it 60 s later)
#   SEEDS="s c p n"   seeds for small, city-month, province-year, national-month (default "10 5 3 2")
#   KEEP=file         also copy the raw TSV rows there
#   REPEAT=n          processes per instance, the times being their medians (default 3; 1: one run)
set -euo pipefail
cd "$(dirname "$0")/../.."

build=${BUILD:-build}
cbc_seconds=${CBC_SECONDS:-300}
read -r seeds_small seeds_city seeds_province seeds_national <<<"${SEEDS:-10 5 3 2}"
repeat=${REPEAT:-3}

command -v cbc >/dev/null || { echo "cbc is missing: scripts/deps.sh test installs coinor-cbc" >&2; exit 1; }
command -v taskset >/dev/null || { echo "taskset (util-linux) is missing" >&2; exit 1; }

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
cmake --build "$build" --target planner_bench >/dev/null
bench="$build/bench/planner/planner_bench"

work=$(mktemp -d /tmp/loa-planner-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
rows="$work/rows.tsv"
"$bench" --header >"$rows"

# family, seeds, CBC seconds (0 = no LP, no CBC)
# Each instance is planned in $repeat processes (the first one also writes the LP and runs CBC, the
# others only plan); the row keeps the first process's figures but for the four times, which are
# the medians over the processes. Every process must find the same plan (objectives and bound).
run_family() {
  local family=$1 seeds=$2 cbc=$3 rules seed k first extra
  for rules in nosep sep; do
    for seed in $(seq 1 "$seeds"); do
      echo "planner bench: $family $rules seed $seed" >&2
      first=$(taskset -c 0 "$bench" --family "$family" --seed "$seed" --rules "$rules" --cbc "$cbc" \
        --cbc-max-vars 5000000 --work "$work/cbc")
      extra=""
      for k in $(seq 2 "$repeat"); do
        extra+=$(taskset -c 0 "$bench" --family "$family" --seed "$seed" --rules "$rules" --cbc 0)$'\n'
      done
      printf '%s\n%s' "$first" "$extra" | awk -F'\t' -v OFS='\t' '
        NF == 0 { next }
        NR == 1 { split($0, row, "\t"); n = NF; same = $12 "|" $13 "|" $14 }
        { if ($12 "|" $13 "|" $14 != same) { print "planner bench: another plan in a repeated run" > "/dev/stderr"; exit 2 }
          for (c = 8; c <= 11; ++c) t[c, ++m[c]] = $c }
        END {
          for (c = 8; c <= 11; ++c) {
            k = m[c]; for (i = 1; i <= k; ++i) v[i] = t[c, i] + 0
            for (i = 2; i <= k; ++i) { x = v[i]; for (j = i - 1; j >= 1 && v[j] > x; --j) v[j + 1] = v[j]; v[j + 1] = x }
            row[c] = k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2
          }
          line = row[1]; for (c = 2; c <= n; ++c) line = line OFS row[c]; print line
        }' >>"$rows"
    done
  done
}

commit=${LOA_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)}
if git rev-parse HEAD >/dev/null 2>&1 && ! git diff --quiet HEAD -- core scheduler tests/support bench/planner 2>/dev/null; then
  commit="$commit + uncommitted changes"
fi
echo "build: $build ($build_type), commit $commit, $(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(cbc -quit 2>/dev/null | sed -n 's/^Version: \(.*[^ ]\) *$/CBC \1/p' | head -1)"
echo
run_family small "$seeds_small" "$cbc_seconds"
run_family city-month "$seeds_city" "$cbc_seconds"
run_family province-year "$seeds_province" 0
run_family national-month "$seeds_national" 0
"$bench" --summary "$rows"
if [ -n "${KEEP:-}" ]; then cp "$rows" "$KEEP"; fi
