#!/usr/bin/env bash
# Builds the libFuzzer target (preset `fuzz`, clang) and fuzzes the campaign loader for SECONDS.
# Usage: scripts/fuzz.sh [SECONDS]   (default 30; `make fuzz-long SECONDS=3600` for a long run)
# Exits non-zero when the fuzzer finds a crash, a sanitizer error, a leak, a timeout or an input
# that needs more than 2 GB; the input that did it is saved under build-fuzz/artifacts/.
set -euo pipefail

seconds="${1:-30}"
case "$seconds" in
  '' | *[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;;
esac

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
build=build-fuzz
fuzzer="$build/fuzz/campaign_loader_fuzz"
seeds=fuzz/corpus/campaign
work=fuzz/corpus-work  # grows as the fuzzer finds new inputs; kept between runs, not committed
artifacts="$build/artifacts"

# Quiet unless something fails: then show what the build said.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if [ ! -f "$build/CMakeCache.txt" ]; then
  if ! cmake --preset fuzz >"$log" 2>&1; then
    cat "$log" >&2
    echo "fuzz: configuring the fuzz preset failed (needs clang and libclang-rt-14-dev)" >&2
    exit 1
  fi
fi
if ! cmake --build "$build" --target campaign_loader_fuzz -j2 >"$log" 2>&1; then
  cat "$log" >&2
  echo "fuzz: building campaign_loader_fuzz failed" >&2
  exit 1
fi

mkdir -p "$work" "$artifacts"
cp "$seeds"/* "$work"/

echo "fuzz: campaign loader for ${seconds}s (corpus $work, dictionary fuzz/campaign.dict)"
status=0
ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}" \
  "$fuzzer" "$work" \
  -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -max_len=8192 \
  -dict=fuzz/campaign.dict -artifact_prefix="$artifacts/" -print_final_stats=1 \
  >"$log" 2>&1 || status=$?

if [ "$status" -ne 0 ]; then
  # libFuzzer's own report: the sanitizer trace and the name of the saved input.
  tail -n 80 "$log" >&2
  echo "fuzz: FAILED (exit $status); reproduce with: $fuzzer <artifact printed above>" >&2
  exit "$status"
fi
runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")"
echo "fuzz: ok, ${runs:-?} inputs in ${seconds}s, corpus now $(find "$work" -type f | wc -l) files"
